; Names declared or defined as functions: `int f(...)`, `static inline bool f(...) { }`,
; prototypes, and function-like macros. A function pointer (`int (*f)(...)`) has a
; parenthesized declarator and is not matched.
(function_declarator declarator: (identifier) @function)
(preproc_function_def name: (identifier) @macro)
