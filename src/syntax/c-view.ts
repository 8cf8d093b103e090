// What rules ask of C syntax, answered from the trees of a CFile. Every answer carries the
// unit it came from so the caller can map it to image lines, and says when it stands on
// broken syntax: rules must not report on a guess.
import type { CFile, CUnit } from './c.js';
import { FRAGMENT_FUNCTION } from './c.js';
import { query, type SyntaxNode } from './parser.js';

export interface Located {
  unit: CUnit;
  node: SyntaxNode;
}

/** True when `node` or any ancestor is an ERROR node or `node`'s subtree has one. */
export function inError(node: SyntaxNode): boolean {
  if (node.hasError) return true;
  for (let p: SyntaxNode | null = node.parent; p; p = p.parent) if (p.type === 'ERROR') return true;
  return false;
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
      out.push({ name: c.node.text, kind, weak: kind === 'function' && isWeak(file, unit, c.node), unit, node: c.node });
    }
  }
  return out;
}

// Read from the image, not the tree: the parsed text has `__weak` blanked (maskAnnotations).
function isWeak(file: CFile, unit: CUnit, nameNode: SyntaxNode): boolean {
  let decl: SyntaxNode | null = nameNode;
  while (decl && decl.type !== 'declaration' && decl.type !== 'function_definition') decl = decl.parent;
  const from = file.lineClamped(unit, decl ?? nameNode);
  const to = decl?.type === 'function_definition'
    ? file.lineClamped(unit, decl.childForFieldName('body') ?? decl)
    : Math.min(unit.segment.end - 1, from + Math.max(0, (decl ?? nameNode).endPosition.row - (decl ?? nameNode).startPosition.row));
  const head = file.image.lines.slice(from, to + 1).join(' ');
  return /\b__weak\b|\bweak\b/.test(head);
}

/** Expressions in truth-value position: operands of || && !, conditions of if/while/for/?:. */
export function truthOperands(file: CFile): Located[] {
  const out: Located[] = [];
  const seen = new Set<number>();
  for (const unit of file.units) {
    for (const c of query('truth-operands').captures(unit.root)) {
      let n = c.node;
      while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      out.push({ unit, node: n });
    }
  }
  return out;
}

/** True when the expression belongs to a preprocessor condition (`#if defined(f) || X`). */
export function inPreprocCondition(node: SyntaxNode): boolean {
  for (let p: SyntaxNode | null = node; p; p = p.parent) {
    const parent = p.parent;
    if (!parent) return false;
    if (parent.type.startsWith('preproc_')) return parent.type !== 'preproc_else' && parent.childForFieldName('condition')?.id === p.id;
    if (parent.type.endsWith('_statement') || parent.type === 'declaration' || parent.type === 'translation_unit') return false;
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
    while (p && (p.type === 'pointer_declarator' || p.type === 'array_declarator' || p.type === 'parenthesized_declarator'
      || p.type === 'attributed_declarator')) {
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

export function enumBodies(file: CFile): EnumBody[] {
  const out: EnumBody[] = [];
  for (const unit of file.units) {
    for (const m of query('enums').matches(unit.root)) {
      const node = m.captures.find((c) => c.name === 'enum')!.node;
      const body = m.captures.find((c) => c.name === 'body')!.node;
      const enumerators: Enumerator[] = [];
      for (const c of query('enumerators').captures(body)) {
        if (c.name !== 'enumerator') continue;
        // Nested enums (rare) belong to their own body.
        if (nearest(c.node, 'enumerator_list')?.id !== body.id) continue;
        enumerators.push({
          name: c.node.childForFieldName('name')!.text,
          value: c.node.childForFieldName('value')?.text ?? null,
          node: c.node,
        });
      }
      const open = body.child(0);
      const close = body.child(body.childCount - 1);
      const complete = open !== null && close !== null && !close.isMissing && close.type === '}'
        && file.line(unit, body) !== null && body.endPosition.row - unit.prelude < unit.segment.end - unit.segment.start;
      out.push({ unit, node, name: node.childForFieldName('name')?.text ?? null, enumerators, complete, broken: body.hasError });
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

export function switches(file: CFile): SwitchStatement[] {
  const out: SwitchStatement[] = [];
  for (const unit of file.units) {
    for (const m of query('switches').matches(unit.root)) {
      const node = m.captures.find((c) => c.name === 'switch')!.node;
      const condition = m.captures.find((c) => c.name === 'condition')!.node;
      const cases: CaseLabel[] = [];
      for (const c of query('cases').captures(node)) {
        if (nearest(c.node, 'switch_statement')?.id !== node.id) continue;
        cases.push({ node: c.node, value: c.node.childForFieldName('value')?.text ?? null });
      }
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

export function comments(file: CFile): Comment[] {
  const out: Comment[] = [];
  for (const unit of file.units) {
    for (const c of query('comments').captures(unit.root)) {
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

export function calls(file: CFile): Call[] {
  const out: Call[] = [];
  for (const unit of file.units) {
    for (const c of query('calls').captures(unit.root)) {
      if (c.name === 'callee') out.push({ unit, node: c.node.parent!, callee: c.node.text });
    }
  }
  return out;
}

/** Every identifier node with the given name (or all when omitted). */
export function identifiers(file: CFile, name?: string): Located[] {
  const out: Located[] = [];
  for (const unit of file.units) {
    for (const n of unit.root.descendantsOfType('identifier')) if (name === undefined || n.text === name) out.push({ unit, node: n });
  }
  return out;
}

function nearest(node: SyntaxNode, type: string): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) if (p.type === type) return p;
  return null;
}
