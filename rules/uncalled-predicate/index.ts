import { defineRule } from '../../src/engine/rule.js';
import type { FileImage } from '../../src/source/types.js';
import {
  enclosingFunction,
  functionNames,
  inError,
  inPreprocCondition,
  isCPath,
  maskAnnotations,
  shadowedAt,
  truthOperands,
  type SyntaxNode,
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
    runsOn: 'zone-device',
    messages: {
      uncalled: '{{name}} is a function used as a truth value without being called: the test is always {{always}}',
    },
    // A candidate is a name on a line a patch adds to a C file.
    interest: { paths: [/\.[ch]$/], lines: [/[A-Za-z_]/], added: true },
  },
  check(ctx) {
    const steps = ctx.source().steps();
    // Before any C is parsed, the same tests on the text (names that could be candidates, below):
    // most patches add no bare name beside a truth operator that is also a function, and then
    // nothing is parsed; otherwise only the files that add one.
    const named = steps.map((step) => maybeOperands(step.post));
    const names = new Set(named.flatMap((n) => [...n]));
    if (names.size === 0) return;
    // A function is declared as `name(`: names never followed by `(` in any image (`ret`, `err`)
    // cannot be one, and need no tree search. One regex pass per image text.
    const callableNames = new Set<string>();
    const maybeUnsure = new Set([...names].filter((n) => !predicates(ctx.data).has(n)));
    if (maybeUnsure.size) {
      for (const step of steps) {
        for (const m of step.post.text().matchAll(/\b([A-Za-z_]\w*)\s*\(/g))
          if (maybeUnsure.has(m[1]!)) callableNames.add(m[1]!);
      }
    }
    const possible = (n: string) => predicates(ctx.data).has(n) || callableNames.has(n);
    if (![...names].some(possible)) return;
    // Candidates first: bare names in truth position on added lines. Most patches have none,
    // and then no file is searched for declarations.
    const candidates = steps.flatMap((step, k) => {
      if (![...named[k]!].some(possible)) return [];
      const c = ctx.syntax.c(step.post);
      if (!c) return [];
      return truthOperands(c, 'added').flatMap((op) => {
        if (op.node.type !== 'identifier') return [];
        const line = c.line(op.unit, op.node);
        return line !== null && step.post.addedHere(line) ? [{ ...op, step, line }] : [];
      });
    });
    const live = candidates.filter((c) => possible(c.node.text));
    if (!live.length) return;
    // Only images that name a live candidate can declare it: the others are not parsed.
    const liveNames = new RegExp(`\\b(?:${[...new Set(live.map((l) => l.node.text))].join('|')})\\b`);
    // Known functions: declared or defined in a header image (whole files carry the base tree),
    // or in the same .c file, plus the memory-type predicates. A name a .c file makes a function
    // says nothing about another .c file. A `__weak` function's address is a real test.
    const known = new Set<string>(predicates(ctx.data));
    const local = new Map<string, Set<string>>();
    const weak = new Set<string>();
    for (const step of steps) {
      if (!isCPath(step.post.path) || !liveNames.test(step.post.text())) continue;
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

/**
 * Names that could be candidates in a post-image: on a line the patch adds, not a keyword, not
 * called, indexed or a member, with a truth operator beside it (`!`, `&&`, `||`, `?`, `if (`,
 * `while (`, `;` of a for) or at either end of its line (the operator on the next or the previous
 * one). Every candidate the parse finds is among them (it reads the same text, annotations
 * masked), so an image without them is not parsed for candidates.
 */
function maybeOperands(img: FileImage): Set<string> {
  const names = new Set<string>();
  if (isCPath(img.path)) {
    for (let i = 0; i < img.lines.length; i++) {
      if (!img.addedHere(i)) continue;
      const line = maskAnnotations(img.lines[i]!);
      for (const m of line.matchAll(NAME)) {
        if (KEYWORDS.has(m[0]) || names.has(m[0])) continue;
        // Walked rather than sliced: a long line has many names.
        const end = m.index + m[0].length;
        let a = end;
        while (a < line.length && SPACE.test(line[a]!)) a++;
        let b = m.index - 1;
        while (b >= 0 && SPACE.test(line[b]!)) b--;
        // Called, indexed, or a member: the operand is the call, the element, the member.
        const next = line[a];
        if (next === '(' || next === '[' || next === '.' || (next === '-' && line[a + 1] === '>')) continue;
        if (line[b] === '.' || (line[b] === '>' && line[b - 1] === '-')) continue;
        // The text before, parentheses and blanks taken off, ends with a truth operator (or is empty).
        let l = b;
        while (l >= 0 && (line[l] === '(' || SPACE.test(line[l]!))) l--;
        // The text after, closing parentheses and blanks taken off, starts with one (or is empty).
        let r = a;
        while (r < line.length && (line[r] === ')' || SPACE.test(line[r]!))) r++;
        if (l < 0 || r >= line.length || truthBefore(line, l) || truthAfter(line, r)) names.add(m[0]);
      }
    }
  }
  return names;
}

const NAME = /\b[A-Za-z_]\w*\b/g;
/** C's keywords: never an identifier. */
const KEYWORDS = new Set([
  'auto',
  'break',
  'case',
  'char',
  'const',
  'continue',
  'default',
  'do',
  'double',
  'else',
  'enum',
  'extern',
  'float',
  'for',
  'goto',
  'if',
  'inline',
  'int',
  'long',
  'register',
  'restrict',
  'return',
  'short',
  'signed',
  'sizeof',
  'static',
  'struct',
  'switch',
  'typedef',
  'union',
  'unsigned',
  'void',
  'volatile',
  'while',
]);
const SPACE = /\s/;
/** Whether line[..l] ends with what comes before a truth operand: an operator, a comment's end, `if`, `while`. */
function truthBefore(line: string, l: number): boolean {
  const c = line[l]!;
  if (c === '!' || c === '&' || c === '|' || c === ';') return true;
  if (c === '/' && line[l - 1] === '*') return true;
  const word = (w: string) => line.slice(l - w.length + 1, l + 1) === w && !/\w/.test(line[l - w.length] ?? ' ');
  return word('if') || word('while');
}

/** Whether line[r..] starts with what comes after a truth operand: `&&`, `||`, `?`, a continuation, a comment. */
function truthAfter(line: string, r: number): boolean {
  const c = line[r]!;
  return (
    c === '&' || c === '|' || c === '?' || c === '\\' || (c === '/' && (line[r + 1] === '*' || line[r + 1] === '/'))
  );
}

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
