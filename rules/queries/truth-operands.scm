; Expressions used as a truth value. Parentheses around the operand are unwrapped in code.
(binary_expression left: (_) @operand operator: ["||" "&&"])
(binary_expression operator: ["||" "&&"] right: (_) @operand)
(unary_expression operator: "!" argument: (_) @operand)
(if_statement condition: (parenthesized_expression (_) @operand))
(while_statement condition: (parenthesized_expression (_) @operand))
(do_statement condition: (parenthesized_expression (_) @operand))
(for_statement condition: (_) @operand)
(conditional_expression condition: (_) @operand)
