// What rules ask of C syntax, answered from the trees of a CFile. Every answer carries the
// unit it came from so the caller can map it to image lines, and says when it stands on
// broken syntax: rules must not report on a guess.
import type { CFile, CUnit } from './c.js';
import { FRAGMENT_FUNCTION } from './c.js';
import type Parser from 'tree-sitter';
import { query, type SyntaxNode } from './parser.js';

/**
 * Which part of a file a query looks at: everything, or only the lines the image's patch
 * added (whole-file images are large and most rules report only there). Nodes that overlap
 * an added line are returned whole.
 */
export type Scope = 'all' | 'added';

/** The query options that cover each run of added lines in `unit`; [{}] for scope 'all'. */
export function scopeRanges(file: CFile, unit: CUnit, scope: Scope): Parser.QueryOptions[] {
  if (scope === 'all') return [{}];
  const out: Parser.QueryOptions[] = [];
  const { start, end } = unit.segment;
  for (let i = start; i < end; i++) {
    if (!file.image.addedHere(i)) continue;
    let j = i;
    while (j + 1 < end && file.image.addedHere(j + 1)) j++;
    out.push({
      startPosition: { row: i - start + unit.prelude, column: 0 },
      endPosition: { row: j + 1 - start + unit.prelude, column: 0 },
    });
    i = j;
  }
  return out;
}

function capturesIn(
  file: CFile,
  unit: CUnit,
  name: string,
  scope: Scope,
  node: SyntaxNode = unit.root,
): Parser.QueryCapture[] {
  const q = query(name);
  const ranges = scopeRanges(file, unit, scope);
  if (ranges.length === 1) return q.captures(node, ranges[0]);
  const seen = new Set<string>();
  const out: Parser.QueryCapture[] = [];
  for (const r of ranges) {
    for (const c of q.captures(node, r)) {
      const key = `${c.name}:${c.node.id}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(c);
      }
    }
  }
  return out;
}

/** The capture `name` (or the first of `names`) of a match: the query file always makes one. */
function capture(m: Parser.QueryMatch, ...names: string[]): Parser.QueryCapture {
  const found = m.captures.find((c) => names.includes(c.name));
  if (!found) throw new Error(`internal: a query match without a @${names.join(' or @')} capture`);
  return found;
}

function matchesIn(file: CFile, unit: CUnit, name: string, scope: Scope): Parser.QueryMatch[] {
  const q = query(name);
  const ranges = scopeRanges(file, unit, scope);
  if (ranges.length === 1) return q.matches(unit.root, ranges[0]);
  const seen = new Set<number>();
  const out: Parser.QueryMatch[] = [];
  for (const r of ranges) {
    for (const m of q.matches(unit.root, r)) {
      const id = m.captures[0]?.node.id ?? -1;
      if (!seen.has(id)) {
        seen.add(id);
        out.push(m);
      }
    }
  }
  return out;
}

export interface Located {
  unit: CUnit;
  node: SyntaxNode;
}

/** True when `node` or any ancestor is an ERROR node or `node`'s subtree has one. */
export function inError(node: SyntaxNode): boolean {
  return node.hasError || (node.tree.rootNode.hasError && idsUnderError(node.tree).has(node.id));
}

// Asking a node for its parent costs tree-sitter a descent from the root, so walking up the
// ancestors is quadratic in depth, per node: a long #if/#elif chain of enum members (each #elif
// a level deeper) would take minutes (docs/performance.md). One walk per tree answers every
// node instead.
const underError = new WeakMap<Parser.Tree, Set<number>>();

function idsUnderError(tree: Parser.Tree): Set<number> {
  let ids = underError.get(tree);
  if (ids) return ids;
  ids = new Set<number>();
  underError.set(tree, ids);
  const cursor = tree.walk();
  const outer: boolean[] = [];
  let inside = false; // the cursor's node has an ERROR ancestor
  for (;;) {
    if (inside) ids.add(cursor.currentNode.id);
    const below: boolean = inside || cursor.nodeType === 'ERROR';
    if (cursor.gotoFirstChild()) {
      outer.push(inside);
      inside = below;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return ids;
      inside = outer.pop() ?? false;
    }
  }
}

/**
 * The nodes of `types` in `root`'s subtree, in document order, not looking inside nodes of
 * `stop` types below `root` (they hold their own: a nested enum's body, a nested switch).
 * One cursor walk: linear, where a query with a parent check per match would be quadratic in depth.
 */
function descendantsUntil(root: SyntaxNode, types: ReadonlySet<string>, stop: ReadonlySet<string>): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const cursor = root.walk();
  if (!cursor.gotoFirstChild()) return out;
  for (;;) {
    const type = cursor.nodeType;
    if (types.has(type)) out.push(cursor.currentNode);
    if (!stop.has(type) && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      // the cursor never leaves the node it was made on
      if (!cursor.gotoParent()) return out;
    }
  }
}

export interface EnclosingFunction {
  node: SyntaxNode;
  /** The function's name; for a fragment inside a body, the name the hunk header gives (or null). */
  name: string | null;
  /** The function is the wrapper put around a fragment: its start and end are not in the image. */
  synthetic: boolean;
}

export function enclosingFunction(unit: CUnit, node: SyntaxNode): EnclosingFunction | null {
  // C has no nested functions: a function_definition inside a body is a macro loop
  // (`for_each_online_cpu(i) { ... }`) that tree-sitter reads as one. Take the outermost.
  let fn: SyntaxNode | null = null;
  for (let p: SyntaxNode | null = node; p; p = p.parent) if (p.type === 'function_definition') fn = p;
  if (!fn) return null;
  const name = declaredName(fn.childForFieldName('declarator'));
  if (name === FRAGMENT_FUNCTION) return { node: fn, name: unit.contextFunction, synthetic: true };
  return { node: fn, name, synthetic: false };
}

/** The identifier a declarator declares (through pointers, arrays, functions, init). */
export function declaredName(d: SyntaxNode | null): string | null {
  while (d) {
    if (d.type === 'identifier' || d.type === 'field_identifier' || d.type === 'type_identifier') return d.text;
    d = d.childForFieldName('declarator') ?? (d.type === 'parenthesized_declarator' ? d.namedChild(0) : null);
  }
  return null;
}

export interface FunctionName {
  name: string;
  kind: 'function' | 'macro';
  /** Declared `__weak`: its address may legitimately be tested. */
  weak: boolean;
  unit: CUnit;
  node: SyntaxNode;
}

export function functionNames(file: CFile): FunctionName[] {
  const out: FunctionName[] = [];
  for (const unit of file.units) {
    for (const c of query('functions').captures(unit.root)) {
      const kind = c.name === 'macro' ? 'macro' : 'function';
      out.push({
        name: c.node.text,
        kind,
        weak: kind === 'function' && isWeak(file, unit, c.node),
        unit,
        node: c.node,
      });
    }
  }
  return out;
}

// Read from the image, not the tree: the parsed text has `__weak` blanked (maskAnnotations).
function isWeak(file: CFile, unit: CUnit, nameNode: SyntaxNode): boolean {
  let decl: SyntaxNode | null = nameNode;
  while (decl && decl.type !== 'declaration' && decl.type !== 'function_definition') decl = decl.parent;
  const from = file.lineClamped(unit, decl ?? nameNode);
  const to =
    decl?.type === 'function_definition'
      ? file.lineClamped(unit, decl.childForFieldName('body') ?? decl)
      : Math.min(
          unit.segment.end - 1,
          from + Math.max(0, (decl ?? nameNode).endPosition.row - (decl ?? nameNode).startPosition.row),
        );
  const head = file.image.lines.slice(from, to + 1).join(' ');
  return /\b__weak\b|\bweak\b/.test(head);
}

/** Expressions in truth-value position: operands of || && !, conditions of if/while/for/?:. */
export function truthOperands(file: CFile, scope: Scope = 'all'): Located[] {
  const out: Located[] = [];
  const seen = new Set<number>();
  for (const unit of file.units) {
    for (const operand of scopeRanges(file, unit, scope).flatMap((range) => truthOperandsOf(unit.root, range))) {
      let n = operand;
      while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) {
        const inner = n.namedChild(0);
        if (!inner) break;
        n = inner;
      }
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      out.push({ unit, node: n });
    }
  }
  return out;
}

// The query is faster than a walk on real code, but tree-sitter's query cursor is quadratic in
// nesting depth (thousands of `a && a && ...` operands take seconds: docs/performance.md). Past
// this budget the query is cancelled and the linear walk answers; both give the same nodes in
// the same order, so the answer never depends on the machine's speed.
const QUERY_BUDGET_MS = 100;

function truthOperandsOf(root: SyntaxNode, range: Parser.QueryOptions): SyntaxNode[] {
  const t0 = performance.now();
  const nodes = query('truth-operands')
    .captures(root, { ...range, timeoutMicros: QUERY_BUDGET_MS * 1000 })
    .map((c) => c.node);
  if (performance.now() - t0 < QUERY_BUDGET_MS) return sortByPosition(nodes);
  // The walk covers the whole tree; keep what the range would have matched (operands overlapping it).
  const from = range.startPosition?.row ?? 0;
  const to = range.endPosition?.row ?? Infinity;
  return truthOperandNodes(root).filter((n) => n.endPosition.row >= from && n.startPosition.row < to);
}

/** What rules/queries/truth-operands.scm describes, found by one cursor walk. */
function truthOperandNodes(root: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const cursor = root.walk();
  for (;;) {
    switch (cursor.nodeType) {
      case 'binary_expression': {
        const node = cursor.currentNode;
        const op = node.childForFieldName('operator')?.type;
        if (op === '||' || op === '&&') {
          const left = node.childForFieldName('left');
          const right = node.childForFieldName('right');
          if (left) found.push(left);
          if (right) found.push(right);
        }
        break;
      }
      case 'unary_expression': {
        const node = cursor.currentNode;
        const arg = node.childForFieldName('argument');
        if (arg && node.childForFieldName('operator')?.type === '!') found.push(arg);
        break;
      }
      case 'if_statement':
      case 'while_statement':
      case 'do_statement': {
        const cond = cursor.currentNode.childForFieldName('condition');
        if (cond?.type === 'parenthesized_expression') for (const c of cond.namedChildren) found.push(c);
        break;
      }
      case 'for_statement':
      case 'conditional_expression': {
        const cond = cursor.currentNode.childForFieldName('condition');
        if (cond) found.push(cond);
        break;
      }
    }
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return sortByPosition(found);
  }
}

function sortByPosition(nodes: SyntaxNode[]): SyntaxNode[] {
  return nodes
    .map((node, k) => ({ node, k }))
    .sort((a, b) => a.node.startIndex - b.node.startIndex || b.node.endIndex - a.node.endIndex || a.k - b.k)
    .map((x) => x.node);
}

/** True when the expression belongs to a preprocessor condition (`#if defined(f) || X`). */
export function inPreprocCondition(node: SyntaxNode): boolean {
  for (let p: SyntaxNode | null = node; p; p = p.parent) {
    const parent = p.parent;
    if (!parent) return false;
    if (parent.type.startsWith('preproc_'))
      return parent.type !== 'preproc_else' && parent.childForFieldName('condition')?.id === p.id;
    if (parent.type.endsWith('_statement') || parent.type === 'declaration' || parent.type === 'translation_unit')
      return false;
  }
  return false;
}

/**
 * Whether `name` may be something other than a function where `node` sees it: a parameter
 * or local of the enclosing function, a variable at file scope — or the scope cannot be
 * seen (code outside any function, as tree-sitter reads `SYSCALL_DEFINE2(x, int, flags) {`).
 */
export function shadowedAt(unit: CUnit, node: SyntaxNode, name: string): boolean {
  const fn = enclosingFunction(unit, node);
  if (!fn) return true;
  if (declaresVariable(fn.node, name)) return true;
  // Macro-made functions (`SYSCALL_DEFINE2(setns, int, fd, int, flags)`) name parameters as types.
  const params = fn.node.childForFieldName('declarator')?.descendantsOfType('parameter_list')[0];
  if (params && params.descendantsOfType(['identifier', 'type_identifier']).some((n) => n.text === name)) return true;
  for (const top of unit.root.namedChildren) {
    if (top.type === 'declaration' && declaresVariable(top, name)) return true;
  }
  return false;
}

function declaresVariable(scope: SyntaxNode, name: string): boolean {
  for (const id of scope.descendantsOfType('identifier')) {
    if (id.text !== name) continue;
    let p = id.parent;
    let viaPointerParens = false;
    while (
      p &&
      (p.type === 'pointer_declarator' ||
        p.type === 'array_declarator' ||
        p.type === 'parenthesized_declarator' ||
        p.type === 'attributed_declarator')
    ) {
      if (p.type === 'parenthesized_declarator') viaPointerParens = true;
      p = p.parent;
    }
    if (!p) continue;
    if (p.type === 'function_declarator') {
      if (viaPointerParens) return true; // int (*name)(...): a function pointer variable
      continue;
    }
    if (p.type === 'init_declarator' && p.childForFieldName('declarator')?.text.includes(name)) return true;
    if (p.type === 'declaration' || p.type === 'parameter_declaration') return true;
  }
  return false;
}

export interface Enumerator {
  name: string;
  /** The explicit value's text, or null. */
  value: string | null;
  node: SyntaxNode;
}

export interface EnumBody {
  unit: CUnit;
  node: SyntaxNode;
  /** The enum tag, or null for an anonymous enum. */
  name: string | null;
  enumerators: Enumerator[];
  /** The body lies wholly in the image (its braces are real lines, not a fragment's prelude or missing). */
  complete: boolean;
  /** The body or its enumerators contain syntax errors. */
  broken: boolean;
}

const ENUMERATOR = new Set(['enumerator']);
const ENUMERATOR_LIST = new Set(['enumerator_list']);
const CASE = new Set(['case_statement']);
const SWITCH = new Set(['switch_statement']);

export function enumBodies(file: CFile, scope: Scope = 'all'): EnumBody[] {
  const out: EnumBody[] = [];
  for (const unit of file.units) {
    for (const m of matchesIn(file, unit, 'enums', scope)) {
      const node = capture(m, 'enum').node;
      const body = capture(m, 'body').node;
      const enumerators: Enumerator[] = [];
      // Nested enums (rare) belong to their own body.
      for (const en of descendantsUntil(body, ENUMERATOR, ENUMERATOR_LIST)) {
        const name = en.childForFieldName('name');
        if (name?.type !== 'identifier') continue;
        enumerators.push({ name: name.text, value: en.childForFieldName('value')?.text ?? null, node: en });
      }
      const open = body.child(0);
      const close = body.child(body.childCount - 1);
      const complete =
        open !== null &&
        close !== null &&
        !close.isMissing &&
        close.type === '}' &&
        file.line(unit, body) !== null &&
        body.endPosition.row - unit.prelude < unit.segment.end - unit.segment.start;
      out.push({
        unit,
        node,
        name: node.childForFieldName('name')?.text ?? null,
        enumerators,
        complete,
        broken: body.hasError,
      });
    }
  }
  return out;
}

export interface CaseLabel {
  node: SyntaxNode;
  /** The label's value text, or null for `default`. */
  value: string | null;
}

export interface SwitchStatement {
  unit: CUnit;
  node: SyntaxNode;
  condition: SyntaxNode;
  cases: CaseLabel[];
  hasDefault: boolean;
}

export function switches(file: CFile, scope: Scope = 'all'): SwitchStatement[] {
  const out: SwitchStatement[] = [];
  for (const unit of file.units) {
    for (const m of matchesIn(file, unit, 'switches', scope)) {
      const node = capture(m, 'switch').node;
      const condition = capture(m, 'condition').node;
      const cases: CaseLabel[] = [];
      // A nested switch's cases are its own.
      for (const c of descendantsUntil(node, CASE, SWITCH))
        cases.push({ node: c, value: c.childForFieldName('value')?.text ?? null });
      out.push({ unit, node, condition, cases, hasDefault: cases.some((c) => c.value === null) });
    }
  }
  return out;
}

export interface Comment {
  unit: CUnit;
  node: SyntaxNode;
  /** Image lines the comment spans (clamped to the segment). */
  first: number;
  last: number;
  /** The text as in the image (a fragment's comment may lack its opening). */
  text: string;
}

export function comments(file: CFile, scope: Scope = 'all'): Comment[] {
  const out: Comment[] = [];
  for (const unit of file.units) {
    for (const c of capturesIn(file, unit, 'comments', scope)) {
      const first = file.lineClamped(unit, c.node);
      const endRow = c.node.endPosition.row - unit.prelude;
      const last = Math.min(unit.segment.end - 1, unit.segment.start + Math.max(0, endRow));
      out.push({ unit, node: c.node, first, last, text: file.image.lines.slice(first, last + 1).join('\n') });
    }
  }
  return out;
}

export interface Call {
  unit: CUnit;
  node: SyntaxNode;
  callee: string;
}

export function calls(file: CFile, scope: Scope = 'all'): Call[] {
  const out: Call[] = [];
  for (const unit of file.units) {
    const seen = new Set<number>();
    for (const range of scopeRanges(file, unit, scope)) {
      for (const { call, callee } of callsOf(unit.root, range)) {
        if (seen.has(call.id)) continue;
        seen.add(call.id);
        out.push({ unit, node: call, callee: callee.text });
      }
    }
  }
  return out;
}

// Like truth operands: the query cursor is quadratic in nesting (`f(f(f(...)))` thousands deep
// takes seconds), so past the budget the linear walk answers, with the same calls in the same
// order.
function callsOf(root: SyntaxNode, range: Parser.QueryOptions): { call: SyntaxNode; callee: SyntaxNode }[] {
  const t0 = performance.now();
  const matches = query('calls').matches(root, { ...range, timeoutMicros: QUERY_BUDGET_MS * 1000 });
  if (performance.now() - t0 < QUERY_BUDGET_MS) {
    return matches
      .map((m) => ({
        call: capture(m, 'call').node,
        callee: capture(m, 'callee').node,
      }))
      .sort((a, b) => a.call.startIndex - b.call.startIndex);
  }
  const from = range.startPosition?.row ?? 0;
  const to = range.endPosition?.row ?? Infinity;
  const out: { call: SyntaxNode; callee: SyntaxNode }[] = [];
  for (const call of descendantsUntil(root, CALL, NOTHING)) {
    const callee = call.childForFieldName('function');
    if (callee?.type === 'identifier' && call.endPosition.row >= from && call.startPosition.row < to)
      out.push({ call, callee });
  }
  return out;
}

const CALL = new Set(['call_expression']);
const NOTHING = new Set<string>();

/** Every identifier node with the given name (or all when omitted). */
export function identifiers(file: CFile, name?: string): Located[] {
  const out: Located[] = [];
  for (const unit of file.units) {
    for (const n of unit.root.descendantsOfType('identifier'))
      if (name === undefined || n.text === name) out.push({ unit, node: n });
  }
  return out;
}

/**
 * The value C gives each enumerator of `body`, in order: its explicit value when that is an
 * integer literal, else one more than the one before; null from a value that is not a literal
 * (an expression or a macro, not evaluated here) until the next literal.
 */
export function enumeratorValues(body: EnumBody): (number | null)[] {
  let next: number | null = 0;
  return body.enumerators.map((e) => {
    const value: number | null =
      e.value === null ? next : INTEGER_LITERAL.test(e.value.trim()) ? Number(e.value.trim()) : null;
    next = value === null ? null : value + 1;
    return value;
  });
}

const INTEGER_LITERAL = /^(0x[0-9a-f]+|\d+)$/i;

export interface FunctionHead {
  unit: CUnit;
  /** The name's identifier. */
  node: SyntaxNode;
  name: string;
  kind: 'definition' | 'declaration' | 'macro';
  /** A definition's block, a macro's replacement text (a leaf: tree-sitter does not parse it), or null. */
  body: SyntaxNode | null;
}

/**
 * Functions defined or declared at file scope (inside #if groups too; a prototype inside a body
 * is not one) and function-like macros, in document order. `want` picks names before their
 * scope is checked, which costs a walk up the tree per head.
 */
export function functionHeads(file: CFile, want: (name: string) => boolean = () => true): FunctionHead[] {
  const out: FunctionHead[] = [];
  for (const unit of file.units) {
    for (const m of query('function-heads').matches(unit.root)) {
      const name = capture(m, 'name').node;
      if (!want(name.text)) continue;
      const head = capture(m, 'definition', 'declaration', 'macro');
      const kind = head.name as FunctionHead['kind'];
      if (kind !== 'macro' && !atFileScope(head.node)) continue;
      out.push({
        unit,
        node: name,
        name: name.text,
        kind,
        body: m.captures.find((c) => c.name === 'body')?.node ?? null,
      });
    }
  }
  return out.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

function atFileScope(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent)
    if (p.type === 'compound_statement' || p.type === 'function_definition') return false;
  return true;
}

/** The identifiers under `node` in document order; in a macro's unparsed replacement text, its words. */
export function identifiersIn(node: SyntaxNode): string[] {
  if (node.type === 'preproc_arg') return [...node.text.matchAll(/\b[A-Za-z_]\w*/g)].map((m) => m[0]);
  return node.descendantsOfType('identifier').map((n) => n.text);
}

/** The names called under `node` in document order (`f(...)`; not calls through pointers or members). */
export function calleesIn(node: SyntaxNode): string[] {
  if (node.type === 'preproc_arg') return [...node.text.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]!);
  return node.descendantsOfType('call_expression').flatMap((c) => {
    const f = c.childForFieldName('function');
    return f?.type === 'identifier' ? [f.text] : [];
  });
}

export type DeclarationKind =
  'function' | 'prototype' | 'macro' | 'enumerator' | 'field' | 'struct' | 'variable' | 'typedef';

export interface Declared {
  name: string;
  kind: DeclarationKind;
  unit: CUnit;
  node: SyntaxNode;
  /** A field's struct or union (its tag), else null. */
  aggregate: string | null;
}

const DECLARED_CAPTURES: Record<string, DeclarationKind> = {
  macro: 'macro',
  enumerator: 'enumerator',
  field: 'field',
  tag: 'struct',
  variable: 'variable',
  typedef: 'typedef',
};

/**
 * Every name the file declares, with what it is: functions (defined or prototyped at file scope) and
 * function-like macros (function-heads.scm), object-like macros, enumerators, struct and union fields,
 * struct tags, file-scope variables and typedefs (declarations.scm). In document order.
 */
export function declarations(file: CFile, want: (name: string) => boolean = () => true): Declared[] {
  const out: Declared[] = functionHeads(file, want).map((h) => ({
    name: h.name,
    kind: h.kind === 'definition' ? 'function' : h.kind === 'declaration' ? 'prototype' : 'macro',
    unit: h.unit,
    node: h.node,
    aggregate: null,
  }));
  for (const unit of file.units) {
    for (const m of query('declarations').matches(unit.root)) {
      const aggregate = m.captures.find((c) => c.name === 'aggregate')?.node.text ?? null;
      for (const c of m.captures) {
        const kind = DECLARED_CAPTURES[c.name];
        if (!kind || !want(c.node.text)) continue;
        if (kind === 'variable' && !atFileScope(c.node)) continue;
        out.push({ name: c.node.text, kind, unit, node: c.node, aggregate: kind === 'field' ? aggregate : null });
      }
    }
  }
  return out.sort((a, b) => a.node.startIndex - b.node.startIndex);
}
