// The members of a header's structs with the #if arms they sit in, and which struct a member
// access in code reads from. declarations() (declarations.scm) sees only the members written
// directly in a struct's braces; the ones a ZONE_DEVICE rule cares about sit inside `#ifdef
// CONFIG_MEMORY_HOTPLUG` arms (pglist_data's node_size_lock) or in anonymous unions, which it does
// not reach.
//
// A member's name says little on its own (`->vma`, `->start`, `->order` belong to dozens of
// structs): a use is tied to a struct only when what it is read from has a type that can be read
// — a variable declared in the function or at file scope, a cast, or an accessor whose return
// type every kernel era agrees on (NODE_DATA(), page_zone(), ...).
import { includeGuardOf, settle } from '../../src/kbuild/index.js';
import {
  and,
  branchCondition,
  parseCImage,
  preprocBranches,
  wholeText,
  type CFile,
  type CUnit,
  type Formula,
  type SyntaxNode,
} from '../../src/syntax/index.js';

export interface Member {
  name: string;
  /** The struct or union tag it belongs to (through anonymous unions and structs inside it). */
  aggregate: string;
  /** 0-based image line. */
  line: number;
}

export interface StructLayout {
  members: Member[];
  /** `pg_data_t` -> `pglist_data`: typedef names of tagged structs. */
  typedefs: Map<string, string>;
}

const AGGREGATE = new Set(['struct_specifier', 'union_specifier']);

/** Every member of every tagged struct or union `file` defines, and the typedefs naming them. */
export function structMembers(file: CFile): StructLayout {
  const members: Member[] = [];
  const typedefs = new Map<string, string>();
  for (const unit of file.units) {
    const visit = (n: SyntaxNode): void => {
      if (AGGREGATE.has(n.type)) {
        const tag = n.childForFieldName('name');
        const body = n.childForFieldName('body');
        if (tag && body) membersOf(file, unit, body, tag.text, members);
      }
      if (n.type === 'type_definition') {
        const type = n.childForFieldName('type');
        const tag = type && AGGREGATE.has(type.type) ? type.childForFieldName('name') : null;
        if (tag)
          for (const d of n.childrenForFieldName('declarator'))
            if (d.type === 'type_identifier') typedefs.set(d.text, tag.text);
      }
      for (const c of n.namedChildren) visit(c);
    };
    visit(unit.root);
  }
  return { members, typedefs };
}

/** Members of a field list: through #if arms and anonymous aggregates (whose members are the outer struct's). */
function membersOf(file: CFile, unit: CUnit, list: SyntaxNode, aggregate: string, out: Member[]): void {
  for (const c of list.namedChildren) {
    if (c.type.startsWith('preproc_')) {
      membersOf(file, unit, c, aggregate, out);
      continue;
    }
    if (c.type !== 'field_declaration') continue;
    const declarators = c.childrenForFieldName('declarator');
    const type = c.childForFieldName('type');
    const inner = type && AGGREGATE.has(type.type) ? type.childForFieldName('body') : null;
    // `union { ... };` without a name: its members are read as the outer struct's.
    if (inner && !type?.childForFieldName('name') && !declarators.length) membersOf(file, unit, inner, aggregate, out);
    for (const d of declarators) {
      const id = memberName(d);
      const line = id ? file.line(unit, id) : null;
      if (id && line !== null) out.push({ name: id.text, aggregate, line });
    }
  }
}

function memberName(d: SyntaxNode | null): SyntaxNode | null {
  while (d) {
    if (d.type === 'field_identifier') return d;
    d = d.childForFieldName('declarator') ?? (d.type === 'parenthesized_declarator' ? d.namedChild(0) : null);
  }
  return null;
}

export interface GuardedMember extends Member {
  path: string;
  /** When it is compiled: the #if arms around it, include guard and build-fixed macros settled. */
  guard: Formula;
}

/** The members of a header's structs with their #if conditions, and its typedefs of structs. */
export function headerMembers(path: string, text: string): { members: GuardedMember[]; typedefs: Map<string, string> } {
  const image = wholeText(path, text);
  const file = parseCImage(image);
  const guard = includeGuardOf(image.lines);
  const branches = preprocBranches(image);
  const { members, typedefs } = structMembers(file);
  return {
    members: members.map((m) => ({
      ...m,
      path,
      guard: settle(and(...branches.at(m.line).map(branchCondition)), guard),
    })),
    typedefs,
  };
}

/** Typedefs of these structs every era has, for reading code without the headers (mail alone). */
export const KNOWN_TYPEDEFS: ReadonlyMap<string, string> = new Map([['pg_data_t', 'pglist_data']]);

/**
 * Functions and macros whose value is a pointer to one struct in every era read (5.10 to 7.2), so a
 * member read through them names its struct: `NODE_DATA(nid)->node_size_lock`.
 */
export const ACCESSORS: Readonly<Record<string, string>> = {
  NODE_DATA: 'pglist_data',
  page_pgdat: 'pglist_data',
  folio_pgdat: 'pglist_data',
  lruvec_pgdat: 'pglist_data',
  first_online_pgdat: 'pglist_data',
  next_online_pgdat: 'pglist_data',
  page_zone: 'zone',
  folio_zone: 'zone',
  next_zone: 'zone',
  page_pgmap: 'dev_pagemap',
};

/** Members whose type is one struct in every era read: `zone->zone_pgdat`, `pgdat->node_zones[i]`. */
const MEMBER_TYPES: Readonly<Record<string, string>> = {
  zone_pgdat: 'pglist_data',
  node_zones: 'zone',
};

/**
 * Words one of which code must show for a read of a member of `struct` to be tied to it here: the
 * tag, a typedef of it, an accessor returning it, a member of its type. Without any, the struct of
 * every read is unknown, and a file can be passed over unparsed.
 */
export function structHints(struct: string, typedefs: ReadonlyMap<string, string>): string[] {
  const named = (table: Iterable<[string, string]>) => [...table].filter(([, s]) => s === struct).map(([n]) => n);
  return [struct, ...named(typedefs), ...named(Object.entries(ACCESSORS)), ...named(Object.entries(MEMBER_TYPES))];
}

/** What the reader knows of an expression's struct: its tag, another type (`int`, a typedef), or nothing. */
export type StructOf = { struct: string } | { other: string } | null;

/** A `x->member` / `x.member` or a designated initializer `.member =` in code, with what it reads from. */
export interface MemberUse {
  unit: CUnit;
  /** The member's name node. */
  node: SyntaxNode;
  name: string;
  /** The struct it is read from, when known; how that was learned (for a finding's detail). */
  of: StructOf;
  how: string;
}

/**
 * Uses of the members named in `names` in `file`: member accesses and designated initializers, each
 * with the struct it reads from when that can be read (see the file comment). `typedefs` maps typedef
 * names to struct tags (`pg_data_t`).
 */
export function memberUses(
  file: CFile,
  names: ReadonlySet<string>,
  typedefs: ReadonlyMap<string, string>,
): MemberUse[] {
  const out: MemberUse[] = [];
  for (const unit of file.units) {
    for (const n of unit.root.descendantsOfType('field_identifier')) {
      if (!names.has(n.text)) continue;
      const p = n.parent;
      if (p?.type === 'field_expression' && p.childForFieldName('field')?.id === n.id) {
        const arg = p.childForFieldName('argument');
        const { of, how } = arg ? expressionStruct(unit, arg, typedefs) : { of: null, how: '' };
        out.push({ unit, node: n, name: n.text, of, how });
      } else if (p?.type === 'field_designator' && p.parent?.type === 'initializer_pair') {
        const { of, how } = initializedStruct(unit, p.parent, typedefs);
        out.push({ unit, node: n, name: n.text, of, how });
      }
    }
  }
  return out;
}

/** The struct an expression's value points to (or is). */
function expressionStruct(
  unit: CUnit,
  e: SyntaxNode,
  typedefs: ReadonlyMap<string, string>,
): { of: StructOf; how: string } {
  switch (e.type) {
    case 'parenthesized_expression': {
      const inner = e.namedChild(0);
      return inner ? expressionStruct(unit, inner, typedefs) : { of: null, how: '' };
    }
    case 'identifier': {
      const found = declaredType(unit, e, typedefs);
      return found ?? { of: null, how: '' };
    }
    case 'subscript_expression': {
      const arg = e.childForFieldName('argument');
      return arg ? expressionStruct(unit, arg, typedefs) : { of: null, how: '' };
    }
    case 'call_expression': {
      const f = e.childForFieldName('function');
      const s = f?.type === 'identifier' ? ACCESSORS[f.text] : undefined;
      return f && s ? { of: { struct: s }, how: `${f.text}() returns a struct ${s}` } : { of: null, how: '' };
    }
    case 'field_expression': {
      const f = e.childForFieldName('field')?.text ?? '';
      const s = MEMBER_TYPES[f];
      return s ? { of: { struct: s }, how: `->${f} is a struct ${s}` } : { of: null, how: '' };
    }
    case 'cast_expression': {
      const t = typeName(e.childForFieldName('type')?.namedChild(0) ?? null, typedefs);
      return t ? { of: t, how: 'a cast says so' } : { of: null, how: '' };
    }
    default:
      return { of: null, how: '' };
  }
}

/** The struct a designated initializer fills: `struct S x = { .m = ... }` or `(struct S){ .m = ... }`. */
function initializedStruct(
  unit: CUnit,
  pair: SyntaxNode,
  typedefs: ReadonlyMap<string, string>,
): { of: StructOf; how: string } {
  const list = pair.parent;
  const holder = list?.type === 'initializer_list' ? list.parent : null;
  if (holder?.type === 'compound_literal_expression') {
    const t = typeName(holder.childForFieldName('type')?.namedChild(0) ?? null, typedefs);
    return t ? { of: t, how: 'a compound literal of that type' } : { of: null, how: '' };
  }
  if (holder?.type === 'init_declarator' && holder.parent?.type === 'declaration') {
    const t = typeName(holder.parent.childForFieldName('type'), typedefs);
    return t ? { of: t, how: 'the initialized variable is declared with that type' } : { of: null, how: '' };
  }
  return { of: null, how: '' };
}

function typeName(t: SyntaxNode | null, typedefs: ReadonlyMap<string, string>): StructOf {
  if (!t) return null;
  if (AGGREGATE.has(t.type)) {
    const tag = t.childForFieldName('name');
    return tag ? { struct: tag.text } : { other: 'an anonymous struct' };
  }
  if (t.type === 'type_identifier') {
    const s = typedefs.get(t.text);
    return s ? { struct: s } : { other: t.text };
  }
  return { other: t.text };
}

/**
 * The type `id` was declared with: the nearest declaration of that name in an enclosing block, the
 * function's parameters, or file scope; null when none is in sight (a fragment's parameters are
 * read from its hunk header when it names the function).
 */
function declaredType(
  unit: CUnit,
  id: SyntaxNode,
  typedefs: ReadonlyMap<string, string>,
): { of: StructOf; how: string } | null {
  const name = id.text;
  for (let scope = id.parent; scope; scope = scope.parent) {
    const candidates: SyntaxNode[] = [];
    if (scope.type === 'compound_statement' || scope.type === 'translation_unit')
      candidates.push(...scope.namedChildren.filter((c) => c.type === 'declaration'));
    else if (scope.type === 'for_statement') {
      const init = scope.childForFieldName('initializer');
      if (init?.type === 'declaration') candidates.push(init);
    } else if (scope.type === 'function_definition') {
      const params = scope.childForFieldName('declarator')?.descendantsOfType('parameter_list')[0];
      if (params) candidates.push(...params.namedChildren.filter((c) => c.type === 'parameter_declaration'));
    }
    for (const d of candidates) {
      // Declared after the use (a later block-level declaration) does not count.
      if (d.startIndex > id.startIndex && scope.type !== 'function_definition') continue;
      const declarators =
        d.type === 'parameter_declaration' ? [d.childForFieldName('declarator')] : d.childrenForFieldName('declarator');
      if (!declarators.some((x) => x !== null && declaredIdentifier(x) === name)) continue;
      const of = typeName(d.childForFieldName('type'), typedefs);
      return of && 'struct' in of
        ? { of, how: `${name} is declared as a struct ${of.struct}` }
        : { of, how: `${name} is declared with another type` };
    }
  }
  return fromHunkHeader(unit, name, typedefs);
}

function declaredIdentifier(d: SyntaxNode | null): string | null {
  while (d) {
    if (d.type === 'identifier') return d.text;
    d = d.childForFieldName('declarator') ?? (d.type === 'parenthesized_declarator' ? d.namedChild(0) : null);
  }
  return null;
}

/** A fragment's `@@ ... @@ static void f(struct zone *zone,` names the function's first parameters. */
function fromHunkHeader(
  unit: CUnit,
  name: string,
  typedefs: ReadonlyMap<string, string>,
): { of: StructOf; how: string } | null {
  const header = unit.segment.hunk?.header;
  if (!header || unit.contextFunction === null) return null;
  const params = header.slice(header.indexOf('(') + 1);
  for (const p of params.split(',')) {
    const m =
      /^\s*(?:const\s+)?(?:(struct|union)\s+)?([A-Za-z_]\w*)\s*[\s*]\s*(?:const\s+)?\**\s*([A-Za-z_]\w*)\s*\)?\s*$/.exec(
        p,
      );
    if (!m || m[3] !== name) continue;
    const type = m[2] ?? '';
    const aliased = typedefs.get(type);
    const of: StructOf = m[1] ? { struct: type } : aliased ? { struct: aliased } : { other: type };
    return 'struct' in of
      ? { of, how: `${name} is a struct ${of.struct} parameter (hunk header)` }
      : { of, how: `${name} is a parameter of another type (hunk header)` };
  }
  return null;
}
