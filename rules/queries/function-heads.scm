; Functions defined or declared (`static inline bool f(...) { }`, `bool f(...);`, also when they
; return a pointer) and function-like macros, each with its name and what its body says: the
; block of a definition, the replacement text of a macro (which tree-sitter does not parse).
(function_definition
  declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
  ]
  body: (compound_statement) @body) @definition
(declaration
  declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
  ]) @declaration
(preproc_function_def name: (identifier) @name value: (preproc_arg)? @body) @macro
