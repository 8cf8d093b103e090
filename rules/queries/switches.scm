(switch_statement condition: (_) @condition body: (_) @body) @switch
