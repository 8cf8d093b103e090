import { defineRule } from '../src/engine/rule.js';
import {
  functionNames, inError, inPreprocCondition, shadowedAt, truthOperands, type SyntaxNode,
} from '../src/syntax/index.js';
import { MEMORY_PREDICATES } from './model/predicates.js';

export default defineRule({
  meta: {
    id: 'uncalled-predicate',
    severity: 'error',
    description: 'A function is used as a truth value without being called (its address is never null)',
    scope: 'series',
  },
  check(ctx) {
    const src = ctx.source();
    const files = src.steps().map((step) => ({ step, c: ctx.syntax.c(step.post) }));
    // Known functions: declared or defined in a header image (whole files carry the base tree),
    // or in the same .c file, plus the memory-type predicates. A name a .c file makes a function
    // says nothing about another .c file. A `__weak` function's address is a real test.
    const known = new Set<string>(MEMORY_PREDICATES);
    const local = new Map<string, Set<string>>();
    const weak = new Set<string>();
    for (const { step, c } of files) {
      if (!c) continue;
      const header = step.post.path.endsWith('.h');
      let mine = local.get(step.post.path);
      if (!mine) local.set(step.post.path, (mine = new Set()));
      for (const f of functionNames(c)) {
        (header ? known : mine).add(f.name);
        if (f.weak) weak.add(f.name);
      }
    }
    for (const { step, c } of files) {
      if (!c) continue;
      const image = step.post;
      const mine = local.get(image.path)!;
      for (const { unit, node } of truthOperands(c)) {
        if (node.type !== 'identifier') continue;
        const name = node.text;
        if (!(known.has(name) || mine.has(name)) || weak.has(name)) continue;
        const line = c.line(unit, node);
        if (line === null || !image.addedHere(line)) continue;
        if (inPreprocCondition(node) || inError(topExpression(node)) || shadowedAt(unit, node, name)) continue;
        const negated = node.parent?.type === 'unary_expression';
        ctx.report({
          patch: step.patch,
          file: image.path,
          line: image.lineNumber(line),
          message: `${name} is a function used as a truth value without being called: its address is never null, `
            + `so the test is always ${negated ? 'false' : 'true'}; call it (${name}(...))`,
        });
      }
    }
  },
});

/** The whole expression a node belongs to: judged only when it parsed without errors. */
function topExpression(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent && (n.parent.type.endsWith('_expression') || n.parent.type === 'argument_list')) n = n.parent;
  return n;
}
