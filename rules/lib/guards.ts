// What the code around a node says for certain about a page: the predicate calls that must be
// true (or false) for control to reach it. Only what is certain counts: the branch of an
// `if`/`?:` whose condition is a predicate call, the conjuncts of `&&` on the true side, the
// disjuncts of `||` on the false side, `!` flipping them, and an earlier `if (...) return;`
// (or goto/break/continue) in the same block, which leaves its condition false after it.
import type { SyntaxNode } from '../../src/syntax/index.js';

export interface GuardFact {
  predicate: string;
  /** The predicate's argument, normalised (see subjectOf). */
  subject: string;
  value: boolean;
  /** The call node, for messages. */
  node: SyntaxNode;
}

const TRANSPARENT = new Set(['likely', 'unlikely', 'READ_ONCE']);

/** Facts about calls of `predicates` that hold wherever `node` runs, innermost first. */
export function guardsAt(node: SyntaxNode, predicates: ReadonlySet<string>): GuardFact[] {
  const out: GuardFact[] = [];
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (p.type === 'function_definition') break;
    if (p.type === 'if_statement') {
      const cond = p.childForFieldName('condition');
      if (!cond) continue;
      if (p.childForFieldName('consequence')?.id === child.id) out.push(...truths(cond, true, predicates));
      else if (p.childForFieldName('alternative')?.id === child.id) out.push(...truths(cond, false, predicates));
    } else if (p.type === 'else_clause') {
      continue;
    } else if (p.type === 'conditional_expression') {
      const cond = p.childForFieldName('condition');
      if (!cond) continue;
      if (p.childForFieldName('consequence')?.id === child.id) out.push(...truths(cond, true, predicates));
      else if (p.childForFieldName('alternative')?.id === child.id) out.push(...truths(cond, false, predicates));
    } else if (p.type === 'compound_statement' || p.type === 'case_statement') {
      for (let s = child.previousNamedSibling; s; s = s.previousNamedSibling) {
        if (s.type !== 'if_statement' || s.childForFieldName('alternative')) continue;
        const cond = s.childForFieldName('condition');
        const then = s.childForFieldName('consequence');
        if (cond && then && exits(then)) out.push(...truths(cond, false, predicates));
      }
    }
  }
  return out;
}

function exits(stmt: SyntaxNode): boolean {
  if (/^(return|goto|break|continue)_statement$/.test(stmt.type)) return true;
  if (stmt.type !== 'compound_statement') return false;
  const body = stmt.namedChildren.filter((n) => n.type !== 'comment');
  const last = body[body.length - 1];
  return last !== undefined && /^(return|goto|break|continue)_statement$/.test(last.type);
}

/** What must hold of the predicates in `expr` when it evaluates to `value`. */
export function truths(expr: SyntaxNode, value: boolean, predicates: ReadonlySet<string>): GuardFact[] {
  if (expr.type === 'parenthesized_expression' && expr.namedChildCount === 1) {
    const inner = expr.namedChild(0);
    return inner ? truths(inner, value, predicates) : [];
  }
  if (expr.type === 'call_expression') {
    const fn = expr.childForFieldName('function');
    const args = expr.childForFieldName('arguments')?.namedChildren.filter((n) => n.type !== 'comment') ?? [];
    if (fn?.type !== 'identifier') return [];
    if (TRANSPARENT.has(fn.text) && args.length === 1) return truths(args[0]!, value, predicates);
    if (predicates.has(fn.text) && args.length >= 1)
      return [{ predicate: fn.text, subject: subjectOf(args[0]!.text), value, node: expr }];
    return [];
  }
  if (expr.type === 'unary_expression' && expr.child(0)?.type === '!') {
    const arg = expr.childForFieldName('argument');
    return arg ? truths(arg, !value, predicates) : [];
  }
  if (expr.type === 'binary_expression') {
    const op = expr.childForFieldName('operator')?.type;
    const l = expr.childForFieldName('left');
    const r = expr.childForFieldName('right');
    if (!l || !r) return [];
    if ((op === '&&' && value) || (op === '||' && !value))
      return [...truths(l, value, predicates), ...truths(r, value, predicates)];
  }
  return [];
}

/**
 * The page or folio an expression is about, as text: `page_to_pfn(new)`, `&folio->page`,
 * `page_folio(page)`, `folio_page(folio, 0)` and `(page)` name `new`, `folio`, `page`, `folio`, `page`.
 */
export function subjectOf(text: string): string {
  let t = text.replace(/\s+/g, '');
  for (;;) {
    const before = t;
    t = t
      .replace(/^\((.*)\)$/, '$1')
      .replace(/^(?:page_to_pfn|folio_pfn|page_folio|compound_head|virt_to_page)\((.*)\)$/, '$1')
      .replace(/^folio_page\((.*),0\)$/, '$1')
      .replace(/^&(.*)->page$/, '$1');
    if (t === before) return t;
  }
}
