(enumerator name: (identifier) @name) @enumerator
