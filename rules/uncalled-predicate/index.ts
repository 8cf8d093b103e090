import { defineRule } from '../../src/engine/rule.js';
import {
  enclosingFunction, functionNames, inError, inPreprocCondition, shadowedAt, truthOperands, type SyntaxNode,
} from '../../src/syntax/index.js';
import { allPredicateNames } from '../../src/model/query.js';
import type { Model } from '../../src/model/types.js';
import { OTHER_MM_PREDICATES } from '../model/predicates.js';

export default defineRule({
  meta: {
    id: 'uncalled-predicate',
    severity: 'error',
    description: 'A function is used as a truth value without being called (its address is never null)',
    scope: 'series',
    messages: {
      uncalled: '{{name}} is a function used as a truth value without being called: the test is always {{always}}',
    },
  },
  check(ctx) {
    const steps = ctx.source().steps();
    // Candidates first: bare names in truth position on added lines. Most patches have none,
    // and then no file is searched for declarations.
    const candidates = steps.flatMap((step) => {
      const c = ctx.syntax.c(step.post);
      if (!c) return [];
      return truthOperands(c, 'added').flatMap((op) => {
        if (op.node.type !== 'identifier') return [];
        const line = c.line(op.unit, op.node);
        return line !== null && step.post.addedHere(line) ? [{ ...op, step, line }] : [];
      });
    });
    // A function is declared as `name(`: names never followed by `(` in any image (`ret`, `err`)
    // cannot be one, and need no tree search. One regex pass per image text.
    const unsure = new Set(candidates.map((c) => c.node.text).filter((n) => !predicates(ctx.data).has(n)));
    const callable = new Set<string>();
    if (unsure.size) {
      for (const step of steps) {
        for (const m of step.post.text().matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) if (unsure.has(m[1]!)) callable.add(m[1]!);
      }
    }
    const live = candidates.filter((c) => !unsure.has(c.node.text) || callable.has(c.node.text));
    if (!live.length) return;
    // Known functions: declared or defined in a header image (whole files carry the base tree),
    // or in the same .c file, plus the memory-type predicates. A name a .c file makes a function
    // says nothing about another .c file. A `__weak` function's address is a real test.
    const known = new Set<string>(predicates(ctx.data));
    const local = new Map<string, Set<string>>();
    const weak = new Set<string>();
    for (const step of steps) {
      const c = ctx.syntax.c(step.post);
      if (!c) continue;
      const header = step.post.path.endsWith('.h');
      let mine = local.get(step.post.path);
      if (!mine) local.set(step.post.path, (mine = new Set()));
      for (const f of functionNames(c)) {
        // A hunk that ends inside a comment leaves its prose to be parsed as code: "set a guest
        // storage key (handling csske)" (s390 pgtable.c) declares no function named key.
        const at = c.line(f.unit, f.node);
        if (at !== null && PROSE.test(step.post.lines[at] ?? '')) continue;
        (header ? known : mine).add(f.name);
        if (f.weak) weak.add(f.name);
      }
    }
    for (const { step, unit, node, line } of live) {
      const image = step.post;
      const name = node.text;
      if (!(known.has(name) || local.get(image.path)?.has(name)) || weak.has(name)) continue;
      if (inPreprocCondition(node) || inError(topExpression(node))) continue;
      // A hunk rarely shows its function's start, so locals may be out of view and a name could be
      // a variable there. Not so for a memory-type predicate: no kernel code names a variable so.
      const unseenScope = enclosingFunction(unit, node) === null;
      if (!(unseenScope && predicates(ctx.data).has(name)) && shadowedAt(unit, node, name)) continue;
      const negated = node.parent?.type === 'unary_expression';
      ctx.report({
        patch: step.patch,
        file: image.path,
        line: image.lineNumber(line),
        messageId: 'uncalled',
        data: { name, always: negated ? 'false' : 'true' },
        detail: `the address of a function is never null, so \`${negated ? '!' : ''}${name}\` does not depend on the page; call it: ${name}(...)`,
      });
    }
  },
});

/** A line of comment prose: ` * words`, or one opening a comment. */
const PROSE = /^\s*(?:\*(?:\s|$)|\/\*|\/\/)/;

/** The whole expression a node belongs to: judged only when it parsed without errors. */
function topExpression(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent && (n.parent.type.endsWith('_expression') || n.parent.type === 'argument_list')) n = n.parent;
  return n;
}

const predicateNames = new WeakMap<Model, ReadonlySet<string>>();

/** Names known to be functions in every era: the model's memory-type predicates and the mm ones. */
function predicates(model: Model): ReadonlySet<string> {
  let names = predicateNames.get(model);
  if (!names) predicateNames.set(model, (names = new Set([...allPredicateNames(model), ...OTHER_MM_PREDICATES])));
  return names;
}
