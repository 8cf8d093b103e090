// A condition in added code whose memory-type test can never change its value: `A || (A && B)` is
// `A` (B is dead), `A && (A || B)` likewise, `A || (!A && B)` tests `!A` where it is always true, and
// `A || A` tests twice. Usually the second test was meant to be of another page or another type.
import { defineRule } from '../../src/engine/rule.js';
import { allPredicateNames } from '../../src/model/query.js';
import type { Model } from '../../src/model/types.js';
import { inError, inPreprocCondition, scopeRanges, type SyntaxNode } from '../../src/syntax/index.js';
import { OTHER_MM_PREDICATES } from '../model/predicates.js';

type MessageId = 'absorbed' | 'alwaysTrue' | 'repeated';

export default defineRule<MessageId>({
  meta: {
    id: 'redundant-type-test',
    severity: 'warning',
    description: 'A condition whose memory-type test can never change its value (`A || (A && B)`, `A || A`)',
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      absorbed: '`{{dead}}` can never change this condition: `{{cover}}` before it already decides it',
      alwaysTrue:
        '`{{dead}}` is always true where it is tested: `{{cover}}` before it already ruled out the other case',
      repeated: '`{{dead}}` is tested twice in the same condition',
    },
  },
  check(ctx) {
    const words = predicateWords(ctx.data);
    const steps = ctx
      .source()
      .steps()
      .filter(
        (s) =>
          /\.(c|h)$/.test(s.post.path) &&
          s.post.lines.some((l, i) => s.post.addedHere(i) && /\|\||&&/.test(l) && words.test(l)),
      );
    for (const step of steps) {
      const file = ctx.syntax.c(step.post);
      if (!file) continue;
      const image = step.post;
      const seen = new Set<number>();
      for (const unit of file.units) {
        for (const range of scopeRanges(file, unit, 'added')) {
          const nodes = unit.root.descendantsOfType('binary_expression', range.startPosition, range.endPosition);
          for (const node of nodes) {
            const op = opOf(node);
            if (op !== '||' && op !== '&&') continue;
            const top = chainTop(node, op);
            if (seen.has(top.id)) continue;
            seen.add(top.id);
            if (inError(top) || inPreprocCondition(top)) continue;
            for (const f of judge(top, op, words, ctx.data)) {
              const at = file.line(unit, f.dead);
              const line = at !== null && image.addedHere(at) ? at : file.line(unit, top);
              if (line === null || !image.addedHere(line)) continue;
              ctx.report({
                patch: step.patch,
                file: image.path,
                line: image.lineNumber(line),
                messageId: f.messageId,
                data: { dead: short(f.dead.text), cover: short(f.cover.text) },
                detail:
                  f.messageId === 'repeated'
                    ? `\`${f.dead.text}\` appears twice in \`${oneLine(top.text)}\`; was one of them meant for another page or another type?`
                    : `in \`${oneLine(top.text)}\`, \`${oneLine(f.dead.text)}\` is only reached when \`${oneLine(f.cover.text)}\` has already decided the outcome` +
                      ' (C evaluates || and && left to right and stops early); was the test meant for another page or another type?',
              });
            }
          }
        }
      }
    }
  },
});

interface Finding {
  messageId: MessageId;
  dead: SyntaxNode;
  cover: SyntaxNode;
  op: string;
}

function opOf(node: SyntaxNode): string | undefined {
  return node.type === 'binary_expression' ? node.childForFieldName('operator')?.type : undefined;
}

function strip(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (;;) {
    const inner = n.type === 'parenthesized_expression' && n.namedChildCount === 1 ? n.namedChild(0) : null;
    if (!inner) return n;
    n = inner;
  }
}

/** The outermost expression of the same operator (through parentheses). */
function chainTop(node: SyntaxNode, op: string): SyntaxNode {
  let top = node;
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'parenthesized_expression') continue;
    if (opOf(p) !== op) break;
    top = p;
  }
  return top;
}

/** The operands of a chain of `op`, in order, parentheses looked through. */
function operands(node: SyntaxNode, op: string): SyntaxNode[] {
  const n = strip(node);
  const left = n.childForFieldName('left');
  const right = n.childForFieldName('right');
  if (opOf(n) !== op || !left || !right) return [n];
  return [...operands(left, op), ...operands(right, op)];
}

const norm = (n: SyntaxNode): string => strip(n).text.replace(/\s+/g, '');

function negationOf(n: SyntaxNode): SyntaxNode | null {
  const s = strip(n);
  if (s.type === 'unary_expression' && s.childForFieldName('operator')?.type === '!')
    return s.childForFieldName('argument');
  return null;
}

function judge(top: SyntaxNode, op: '||' | '&&', words: RegExp, model: Model): Finding[] {
  const inner = op === '||' ? '&&' : '||';
  const ops = operands(top, op);
  const out: Finding[] = [];
  const relevant = (...ns: SyntaxNode[]) => ns.some((n) => words.test(n.text)) && ns.every((n) => pure(n, model));
  for (let j = 0; j < ops.length; j++) {
    const x = ops[j]!;
    // The same test twice in one chain.
    const twin = ops.slice(0, j).find((y) => norm(y) === norm(x));
    if (twin) {
      if (relevant(x)) out.push({ messageId: 'repeated', dead: x, cover: twin, op });
      continue;
    }
    // An earlier operand that reappears inside this one: `A || (A && B)` — this one is absorbed;
    // `A || (!A && B)` — the `!A` in it is always true.
    const parts = operands(x, inner);
    if (parts.length < 2) continue;
    for (const y of ops.slice(0, j)) {
      if (parts.some((p) => norm(p) === norm(y))) {
        if (relevant(x, y)) out.push({ messageId: 'absorbed', dead: x, cover: y, op });
        break;
      }
      const yNeg = negationOf(y);
      const flip = parts.find((p) => {
        const pNeg = negationOf(p);
        return (yNeg !== null && norm(p) === norm(yNeg)) || (pNeg !== null && norm(pNeg) === norm(y));
      });
      if (flip) {
        if (relevant(flip, y)) out.push({ messageId: 'alwaysTrue', dead: flip, cover: y, op });
        break;
      }
    }
  }
  return out;
}

const words = new WeakMap<Model, RegExp>();

/** The memory-type tests a finding must involve: the model's predicates of every era, enumerators, a pagemap's type. */
function predicateWords(model: Model): RegExp {
  let re = words.get(model);
  if (!re) {
    re = new RegExp(`\\b(?:${allPredicateNames(model).join('|')}|MEMORY_DEVICE_\\w+)\\b`);
    words.set(model, re);
  }
  return re;
}

const PURE_CALL =
  /^(?:is_\w+|folio_is_\w+|folio_test_\w+|Page[A-Z]\w*|IS_ENABLED|likely|unlikely|page_folio|page_pgmap|folio_pgmap|page_zonenum|folio_zonenum|page_to_pfn|pfn_to_page|virt_to_page|folio_page)$/;
const pureNames = new WeakMap<Model, ReadonlySet<string>>();

/** Only predicates and accessors are called: the same text gives the same value both times. */
function pure(node: SyntaxNode, model: Model): boolean {
  let known = pureNames.get(model);
  if (!known) pureNames.set(model, (known = new Set([...allPredicateNames(model), ...OTHER_MM_PREDICATES])));
  const names = known;
  if (/\+\+|--|[^=!<>]=[^=]/.test(node.text)) return false;
  return node.descendantsOfType('call_expression').every((c) => {
    const f = c.childForFieldName('function');
    return f?.type === 'identifier' && (names.has(f.text) || PURE_CALL.test(f.text));
  });
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();
const short = (s: string): string => {
  const t = oneLine(s);
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
};
