; What a header declares, by name: object-like macros, enumerators, the fields of a struct or
; union (with the aggregate's tag), variables (file scope: declarations() filters) and typedefs. Functions and
; function-like macros are function-heads.scm's.
(preproc_def name: (identifier) @macro)
(enumerator name: (identifier) @enumerator)
(struct_specifier
  name: (type_identifier) @aggregate
  body: (field_declaration_list
    (field_declaration
      declarator: [
        (field_identifier) @field
        (pointer_declarator declarator: (field_identifier) @field)
        (pointer_declarator declarator: (pointer_declarator declarator: (field_identifier) @field))
        (array_declarator declarator: (field_identifier) @field)
        (function_declarator declarator: (parenthesized_declarator (pointer_declarator declarator: (field_identifier) @field)))
      ])))
(union_specifier
  name: (type_identifier) @aggregate
  body: (field_declaration_list
    (field_declaration
      declarator: [
        (field_identifier) @field
        (pointer_declarator declarator: (field_identifier) @field)
        (array_declarator declarator: (field_identifier) @field)
      ])))
(struct_specifier name: (type_identifier) @tag body: (field_declaration_list))
(declaration
  declarator: [
    (identifier) @variable
    (init_declarator declarator: (identifier) @variable)
    (pointer_declarator declarator: (identifier) @variable)
    (array_declarator declarator: (identifier) @variable)
  ])
(type_definition declarator: (type_identifier) @typedef)
