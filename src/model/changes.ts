// What each patch of a series changes in the memory-type world (PatchModelChanges), read
// from the syntax of its images: enumerators of enum memory_type, helpers, Kconfig symbols,
// IORES descriptors, arch selects and hook prototypes on the lines the patch adds or removes.
// A cheap text test on the hunks decides first whether a file can matter, so the run over a
// large archive parses only the few files that do.
import type { FileImage, FileStep, SeriesSource } from '../source/types.js';
import type { SyntaxView } from '../syntax/index.js';
import { enumBodies, functionNames, type SyntaxNode } from '../syntax/index.js';
import type { ArchSelect, PatchModelChanges, PrototypeChange } from './delta.js';
import type { Model } from './types.js';

/** Symbols whose select by arch/<arch>/Kconfig enables (or gates) ZONE_DEVICE in some era. */
export const ARCH_SELECTS = ['ARCH_HAS_ZONE_DEVICE', 'ZONE_DEVICE', 'ARCH_HAS_PTE_DEVMAP'];

/** Helper names of this world: is_*_page, folio_is_*, *_devmap, plus every predicate the model knows. */
export function isHelperName(name: string, known: ReadonlySet<string>): boolean {
  return (
    known.has(name) ||
    /^is_\w+_page$/.test(name) ||
    /^folio_is_\w+$/.test(name) ||
    /^(pte|pmd|pud|pfn_t)_devmap$/.test(name)
  );
}

/** A Kconfig symbol belongs to the memory-type world when the model knows it or it hangs off ZONE_DEVICE. */
export function isMemoryKconfig(name: string, deps: readonly string[], model: Model): boolean {
  if ((model.index.get(name) ?? []).some((s) => s.kind === 'kconfig')) return true;
  if (model.types.some((t) => t.kconfig.some((k) => k.value === name))) return true;
  return deps.some((d) => /\bZONE_DEVICE\b/.test(d)) && /^DEVICE_|DEVMAP|ZONE_DEVICE|PAGEMAP/.test(name);
}

const ENUM_HINT = /\bMEMORY_DEVICE_\w+|\benum\s+memory_type\b/;
const IORES_HINT = /\bIORES_DESC_\w+/;
const HELPER_HINT = /\b(is_\w+_page|folio_is_\w+|\w+_devmap)\s*\(/;

function changedText(step: FileStep): string {
  const out: string[] = [];
  for (const h of step.diff.hunks) for (const l of h.lines) if (l.kind !== 'context') out.push(l.text);
  return out.join('\n');
}

/** Image lines (0-based) the patch adds (post) or removes (pre). */
function touched(step: FileStep, side: 'pre' | 'post'): (i: number) => boolean {
  if (side === 'post') return (i) => step.post.addedHere(i);
  const removed = new Set(step.removed);
  return (i) => removed.has(i);
}

function enumerators(
  syntax: SyntaxView,
  image: FileImage,
  on: (i: number) => boolean,
  enumName: string | null,
  prefix: RegExp,
): string[] {
  const c = syntax.c(image);
  if (!c) return [];
  const out: string[] = [];
  for (const e of enumBodies(c)) {
    if (enumName !== null && e.name !== enumName) continue;
    for (const en of e.enumerators) {
      const line = c.line(e.unit, en.node);
      if (line !== null && on(line) && prefix.test(en.name)) out.push(en.name);
    }
  }
  return out;
}

function helpers(
  syntax: SyntaxView,
  image: FileImage,
  on: (i: number) => boolean,
  known: ReadonlySet<string>,
  tests?: Record<string, string[]>,
): string[] {
  const c = syntax.c(image);
  if (!c) return [];
  const out = new Set<string>();
  for (const f of functionNames(c)) {
    const line = c.line(f.unit, f.node);
    if (line !== null && on(line) && isHelperName(f.name, known) && !insideBody(f.node)) {
      out.add(f.name);
      if (tests) tests[f.name] = [...new Set([...(tests[f.name] ?? []), ...typesNamedBy(f.node, image, line)])];
    }
  }
  return [...out];
}

/**
 * The MEMORY_* enumerators a helper's definition names: its body when tree-sitter found the
 * definition, else (a fragment in error) the few lines from its name on, as a reader would look.
 */
function typesNamedBy(name: SyntaxNode, image: FileImage, line: number): string[] {
  let def: SyntaxNode | null = name;
  while (def && def.type !== 'function_definition') def = def.parent;
  const text = def ? def.text : image.lines.slice(line, line + 6).join('\n');
  return text.match(/\bMEMORY_[A-Z0-9_]+\b/g) ?? [];
}

/** A declarator inside a function body declares a local, not a helper of the header. */
export function insideBody(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'compound_statement') return true;
  return false;
}

/** `ret (params)` of a declaration of `name` on a touched line, whitespace folded. */
function prototypes(syntax: SyntaxView, image: FileImage, on: (i: number) => boolean, name: string): string[] {
  const c = syntax.c(image);
  if (!c) return [];
  const out: string[] = [];
  for (const f of functionNames(c)) {
    if (f.name !== name || f.kind !== 'function') continue;
    const line = c.line(f.unit, f.node);
    if (line === null || !on(line)) continue;
    const decl = f.node.parent; // function_declarator
    let top = decl?.parent ?? null;
    while (top && top.type !== 'declaration' && top.type !== 'function_definition') top = top.parent;
    if (!decl || !top) continue;
    const params = decl.childForFieldName('parameters')?.text ?? '()';
    const ret = top.childForFieldName('type')?.text ?? '';
    out.push(`${ret} ${params}`.replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').trim());
  }
  return out;
}

function kconfigSymbols(syntax: SyntaxView, image: FileImage, on: (i: number) => boolean, model: Model): string[] {
  const k = syntax.kconfig(image);
  if (!k) return [];
  return k.entries
    .filter(
      (e) =>
        (e.kind === 'config' || e.kind === 'menuconfig') &&
        e.name !== null &&
        !e.inferred &&
        e.line !== null &&
        on(e.line),
    )
    .flatMap((e) =>
      e.name !== null &&
      isMemoryKconfig(
        e.name,
        e.depends.map((d) => d.expr),
        model,
      )
        ? [e.name]
        : [],
    );
}

function archSelects(syntax: SyntaxView, image: FileImage, on: (i: number) => boolean): ArchSelect[] {
  const arch = /^arch\/([^/]+)\/Kconfig/.exec(image.path)?.[1];
  const k = arch ? syntax.kconfig(image) : null;
  if (!arch || !k) return [];
  const out: ArchSelect[] = [];
  for (const e of k.entries)
    for (const s of e.selects)
      if (ARCH_SELECTS.includes(s.symbol) && on(s.line)) out.push({ arch, symbol: s.symbol, condition: s.condition });
  return out;
}

/** The PatchModelChanges of every patch of the series, in patch order. */
export function seriesModelChanges(source: SeriesSource, syntax: SyntaxView, model: Model): PatchModelChanges[] {
  const known = new Set<string>();
  for (const p of model.predicates) known.add(p.name);
  for (const t of model.types) for (const h of t.helpers) known.add(h.value);
  const hooks = model.hooks.map((h) => h.name);
  // Every list is present while collecting; the result may leave them out.
  type Collecting = Required<Omit<PatchModelChanges, 'helperTests'>> & Pick<PatchModelChanges, 'helperTests'>;
  const byPatch = new Map<string, Collecting>();
  const of = (step: FileStep): Collecting => {
    let c = byPatch.get(step.patch.key);
    if (!c)
      byPatch.set(
        step.patch.key,
        (c = {
          patch: { key: step.patch.key, subject: step.patch.subject },
          enumeratorsAdded: [],
          enumeratorsRemoved: [],
          helpersAdded: [],
          helpersRemoved: [],
          kconfigAdded: [],
          kconfigRemoved: [],
          ioresAdded: [],
          ioresRemoved: [],
          archSelectsAdded: [],
          archSelectsRemoved: [],
          prototypesChanged: [],
        }),
      );
    return c;
  };
  for (const step of source.steps()) {
    const text = changedText(step);
    if (text === '') continue;
    const post = touched(step, 'post');
    const pre = touched(step, 'pre');
    const path = step.post.path;
    const c = of(step);
    if (/\.[ch]$/.test(path)) {
      if (ENUM_HINT.test(text)) {
        c.enumeratorsAdded.push(...enumerators(syntax, step.post, post, 'memory_type', /^MEMORY_/));
        c.enumeratorsRemoved.push(...enumerators(syntax, step.pre, pre, 'memory_type', /^MEMORY_/));
      }
      if (IORES_HINT.test(text)) {
        c.ioresAdded.push(...enumerators(syntax, step.post, post, null, /^IORES_DESC_/));
        c.ioresRemoved.push(...enumerators(syntax, step.pre, pre, null, /^IORES_DESC_/));
      }
      if (path.endsWith('.h') && HELPER_HINT.test(text)) {
        c.helpersAdded.push(...helpers(syntax, step.post, post, known, (c.helperTests ??= {})));
        c.helpersRemoved.push(...helpers(syntax, step.pre, pre, known));
      }
      if (path.startsWith('include/')) {
        for (const name of hooks) {
          if (!new RegExp(`\\b${name}\\s*\\(`).test(text)) continue;
          const before = prototypes(syntax, step.pre, pre, name);
          const after = prototypes(syntax, step.post, post, name);
          const change: PrototypeChange | null =
            before[0] && after[0] && before[0] !== after[0] ? { name, before: before[0], after: after[0] } : null;
          if (change) c.prototypesChanged.push(change);
        }
      }
    } else if (/(^|\/)Kconfig[^/]*$/.test(path)) {
      c.kconfigAdded.push(...kconfigSymbols(syntax, step.post, post, model));
      c.kconfigRemoved.push(...kconfigSymbols(syntax, step.pre, pre, model));
      c.archSelectsAdded.push(...archSelects(syntax, step.post, post));
      c.archSelectsRemoved.push(...archSelects(syntax, step.pre, pre));
    }
  }
  return [...byPatch.values()];
}
