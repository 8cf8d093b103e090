; Enum definitions (with a body) and their enumerators.
(enum_specifier body: (enumerator_list) @body) @enum
