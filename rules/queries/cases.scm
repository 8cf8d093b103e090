(case_statement) @case
