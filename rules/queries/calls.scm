(call_expression function: (identifier) @callee) @call
