// What a base tree itself says about the memory-type world, beyond enum memory_type: the
// is_*_page / folio_is_* helpers in the headers the model names (with their #if guard), the
// Kconfig entries of the memory types (with depends on / select), and which arch/*/Kconfig
// selects the era's enabling symbol and the devmap symbol. Cheap on purpose: one batch read of
// a few files (one `git cat-file --batch` for a git tree) and one fixed-string grep over
// arch/*/Kconfig*, once per tree (cached), whatever the number of series.
//
// Each fact is compared with the model at the tree's release (compareTreeFacts), and the tree
// wins in the view the rules see (applyTreeFacts). A file the tree does not have says nothing:
// a fixture tree of three files does not make the model's other facts "missing".
import { findHeads } from '../tree/proto.js';
import { isMemoryKconfig } from './changes.js';
import { extractKconfigEntries, extractMemoryTypeEnum, type TreeDifference, type TreeEnumMember } from './extract.js';
import { versionFromMakefile } from './infer.js';
import { releaseOf } from './query.js';
import type { ArchAt, ArchEra, Model, ModelView, PredicateAt } from './types.js';
import { inRange } from './version.js';

export const MEMREMAP_H = 'include/linux/memremap.h';

/** The little of a base tree the model reads; src/tree's KernelTree has all of it. */
export interface FactsTree {
  readonly label: string;
  readSync(path: string): string | null;
  readMany?(paths: readonly string[]): Map<string, string | null>;
  grep?(pattern: readonly string[], pathspecs: readonly string[], options?: { fixed?: boolean }): { path: string; line: number; text: string }[];
}

export interface TreeHelper {
  name: string;
  /** The header of its real definition (the one not in a #else / #ifndef branch, when there is one). */
  file: string;
  /** 1-based line of that definition. */
  line: number;
  /** The CONFIG_ condition it sits under (`CONFIG_DEVICE_PRIVATE || CONFIG_DEVICE_PUBLIC`), or null. */
  guard: string | null;
  /** The MEMORY_DEVICE_* enumerator its body tests, or null. */
  tests: string | null;
  /** The helper its body calls (folio_is_x calling is_x_page), or null. */
  calls: string | null;
  /** Every header that declares or defines it (a stub in another header counts). */
  files: string[];
}

export interface TreeKconfig {
  name: string;
  file: string;
  line: number;
  dependsOn: string[];
  selects: string[];
}

export interface TreeArchSelect {
  arch: string;
  symbol: string;
  /** The select's `if`, or the config entry it sits under when that is not the arch's own. */
  condition: string | null;
  file: string;
  line: number;
}

export interface TreeFacts {
  /** enum memory_type of memremap.h; null when the tree has no such enum. */
  enum: TreeEnumMember[] | null;
  helpers: TreeHelper[];
  /** The helper headers the tree has (what was compared). */
  headers: string[];
  kconfig: TreeKconfig[];
  /** The Kconfig files the tree has, of those the model names. */
  kconfigFiles: string[];
  /** Selects of enabling/devmap symbols in arch/<arch>/Kconfig*; null when the tree has no arch/ Kconfig at all. */
  archSelects: TreeArchSelect[] | null;
  /** Arches whose arch/<arch>/Kconfig the tree has. */
  archesRead: string[];
  /** The symbols whose selects were looked for. */
  archSymbols: string[];
}

/** Symbols an architecture selects to enable ZONE_DEVICE or show devmap PTEs, in some era. */
const ARCH_SYMBOLS = ['ARCH_HAS_ZONE_DEVICE', 'ARCH_HAS_PTE_DEVMAP'];
const HELPER_NAME = /\b(is_\w+_page|folio_is_\w+)\s*\(/g;
const ARCH_TOP: Record<string, string> = { powerpc: 'PPC', sh: 'SUPERH', um: 'UML' };

/** Every helper header, Kconfig file and arch the model names in any era (mainline). */
export function modelTreeFiles(model: Model): { headers: string[]; kconfigs: string[]; arches: string[]; helperNames: Set<string> } {
  const headers = new Set<string>([MEMREMAP_H]);
  const helperNames = new Set<string>();
  for (const t of model.types) {
    if (!t.mainline) continue;
    for (const h of t.helpers) { headers.add(h.header); helperNames.add(h.value); if (h.stub) headers.add(h.stub); }
  }
  for (const p of model.predicates) {
    if (p.level !== 'page' && p.level !== 'folio') continue;
    helperNames.add(p.name);
    for (const w of p.where) headers.add(w.value);
  }
  const kconfigs = new Set<string>();
  for (const spans of model.index.values())
    for (const s of spans) if (s.kind === 'kconfig' && s.mainline && s.where && /(^|\/)Kconfig[^/]*$/.test(s.where)) kconfigs.add(s.where);
  return { headers: [...headers].sort(), kconfigs: [...kconfigs].sort(), arches: model.arches.map((a) => a.arch), helperNames };
}

/**
 * The files readTreeFacts reads first, in one batch: a caller that reads a tree's files anyway (the
 * engine's prefetch) can take these into the same `git cat-file --batch`.
 */
export function treeFactPaths(model: Model): string[] {
  const want = modelTreeFiles(model);
  return [...want.headers, ...want.kconfigs, ...want.arches.map((a) => `arch/${a}/Kconfig`)];
}

const cache = new WeakMap<object, Map<Model, TreeFacts>>();

/** The facts of a tree, read once per tree (and model). */
export function readTreeFacts(tree: FactsTree, model: Model): TreeFacts {
  let perModel = cache.get(tree);
  if (!perModel) cache.set(tree, (perModel = new Map()));
  let facts = perModel.get(model);
  if (!facts) perModel.set(model, (facts = extractTreeFacts(tree, model)));
  return facts;
}

function extractTreeFacts(tree: FactsTree, model: Model): TreeFacts {
  const want = modelTreeFiles(model);
  const archKconfig = (a: string) => `arch/${a}/Kconfig`;
  const paths = treeFactPaths(model);
  const read = (ps: readonly string[]): Map<string, string | null> =>
    tree.readMany ? tree.readMany(ps) : new Map(ps.map((p) => [p, tree.readSync(p)]));
  const texts = read(paths);

  const memremap = texts.get(MEMREMAP_H) ?? null;
  const enumMembers = memremap === null ? null : extractMemoryTypeEnum(memremap);

  // Helpers: any is_*_page / folio_is_* in memremap.h; elsewhere (mm.h is full of unrelated
  // is_*_page) only the names the model knows.
  const present = want.headers.filter((h) => texts.get(h) != null);
  const found = new Map<string, { occurrences: (HelperOccurrence & { file: string })[] }>();
  for (const h of present) {
    for (const o of helperOccurrences(texts.get(h)!, h === MEMREMAP_H ? null : want.helperNames)) {
      const e = found.get(o.name) ?? { occurrences: [] };
      e.occurrences.push({ ...o, file: h });
      found.set(o.name, e);
    }
  }
  // A header that shows none of the helpers says nothing about them (a fixture's cut-down
  // memremap.h, or mm.h after the helpers left it): only headers that show one are compared.
  const headers = present.filter((h) => [...found.values()].some((e) => e.occurrences.some((o) => o.file === h)));
  const helpers: TreeHelper[] = [...found].map(([name, { occurrences }]) => {
    const real = occurrences.find((o) => !o.negated) ?? occurrences[0]!;
    return {
      name, file: real.file, line: real.line, guard: real.guard, tests: occurrences.map((o) => o.tests).find((t) => t) ?? null,
      calls: occurrences.map((o) => o.calls).find((c) => c) ?? null, files: [...new Set(occurrences.map((o) => o.file))],
    };
  });

  const kconfigFiles = want.kconfigs.filter((k) => texts.get(k) != null);
  const kconfig: TreeKconfig[] = [];
  for (const f of kconfigFiles)
    for (const e of extractKconfigEntries(texts.get(f)!)) kconfig.push({ name: e.name, file: f, line: e.line, dependsOn: e.dependsOn, selects: e.selects });

  // The enabling symbols to look for: those of the era its Makefile says and of the era whose gate its
  // config ZONE_DEVICE shows; every era's when neither is known.
  const release = makefileRelease(tree.readSync('Makefile'), model);
  const zd = kconfig.find((k) => k.name === 'ZONE_DEVICE');
  const deps = zd ? gateOf(zd) : null;
  const eras = model.eras.filter((e) => (release !== null && inRange(release, e)) || (deps !== null && sameGate(e.gate, deps)));
  const eraSymbols = [...new Set([...ARCH_SYMBOLS, ...(eras.length ? eras : model.eras).map((e) => e.archSelect).filter((s): s is string => s !== null)])];

  // Arch selects: one fixed-string grep finds every arch/<arch>/Kconfig* naming a symbol (arches the
  // model does not list included); the files hit are read to find the entry each select sits in.
  const archesRead = want.arches.filter((a) => texts.get(archKconfig(a)) != null);
  let archSelects: TreeArchSelect[] | null = null;
  const hits = tree.grep ? safeGrep(tree, eraSymbols) : null;
  if (hits !== null || archesRead.length) {
    archSelects = [];
    const candidates = hits ?? archesRead.flatMap((a) => linesOf(texts.get(archKconfig(a))!, archKconfig(a), eraSymbols));
    const files = read([...new Set(candidates.map((h) => h.path))].filter((p) => !texts.has(p)));
    const split = new Map<string, string[]>();
    const linesOfFile = (path: string): string[] | null => {
      const text = texts.get(path) ?? files.get(path) ?? null;
      if (text === null) return null;
      if (!split.has(path)) split.set(path, text.split('\n'));
      return split.get(path)!;
    };
    for (const h of candidates) {
      const arch = /^arch\/([A-Za-z0-9_][A-Za-z0-9_.-]*)\//.exec(h.path)?.[1];
      const m = /^\s*select\s+([A-Z0-9_]+)(?:\s+if\s+(.+?))?\s*(?:#.*)?$/.exec(h.text);
      if (!arch || !m || !eraSymbols.includes(m[1]!)) continue;
      const lines = linesOfFile(h.path);
      const owner = lines === null ? null : ownerEntry(lines, h.line);
      const top = ARCH_TOP[arch] ?? arch.toUpperCase();
      const own = owner !== null && owner !== top ? owner : null;
      const cond = m[2] ? m[2].replace(/\s+/g, ' ').trim() : null;
      archSelects.push({ arch, symbol: m[1]!, condition: own && cond ? `${own} && (${cond})` : own ?? cond, file: h.path, line: h.line });
    }
    for (const s of archSelects) if (!archesRead.includes(s.arch)) archesRead.push(s.arch);
  }
  return { enum: enumMembers, helpers, headers, kconfig, kconfigFiles, archSelects, archesRead, archSymbols: eraSymbols };
}

function makefileRelease(make: string | null, model: Model): string | null {
  const version = make ? versionFromMakefile(make) : null;
  return version ? releaseOf(version, model) : null;
}

function safeGrep(tree: FactsTree, symbols: readonly string[]) {
  try {
    return tree.grep!(symbols, ['arch/*/Kconfig*'], { fixed: true })
      .filter((h) => /^arch\/[^/]+\/(?:.*\/)?Kconfig[^/]*$/.test(h.path));
  } catch {
    return null;
  }
}

function linesOf(text: string, path: string, symbols: readonly string[]) {
  return text.split('\n').flatMap((t, i) => (symbols.some((s) => t.includes(s)) ? [{ path, line: i + 1, text: t }] : []));
}

/** The `config NAME` entry a line (1-based) of a Kconfig text belongs to, or null. */
function ownerEntry(lines: readonly string[], line: number): string | null {
  for (let i = line - 1; i >= 0; i--) {
    const m = /^\s*(?:menu)?config\s+(\w+)\s*$/.exec(lines[i]!);
    if (m) return m[1]!;
    if (/^\s*(?:endmenu|endif|menu|if|choice|endchoice|source|comment)\b/.test(lines[i]!) && i !== line - 1) return null;
  }
  return null;
}

interface HelperOccurrence {
  name: string;
  file?: string;
  line: number;
  guard: string | null;
  /** In a #else branch or under #ifndef / #if ! of a CONFIG_ (a stub). */
  negated: boolean;
  tests: string | null;
  calls: string | null;
}

/** `defined(CONFIG_X)`, `IS_ENABLED(CONFIG_X)` -> `CONFIG_X`; spaces collapsed. */
export function normaliseGuard(expr: string): string {
  return expr.replace(/\b(?:defined|IS_ENABLED|IS_BUILTIN)\s*\(\s*(\w+)\s*\)/g, '$1').replace(/\bdefined\s+(\w+)/g, '$1')
    .replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').trim();
}

/**
 * Declarations and definitions of helpers in a header, each with the CONFIG_ conditions of the
 * #if branches around it. `only`: the names to take (null: any is_*_page / folio_is_*).
 */
export function helperOccurrences(text: string, only: ReadonlySet<string> | null): HelperOccurrence[] {
  // Comments blanked (offsets kept), continuation lines joined onto their first line.
  const clean = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '));
  const lines = clean.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*#/.test(lines[i]!)) continue;
    let j = i;
    while (/\\\s*$/.test(lines[i]!) && j + 1 < lines.length) {
      j++;
      lines[i] = lines[i]!.replace(/\\\s*$/, ' ') + lines[j]!;
      lines[j] = '';
    }
    i = j;
  }
  const stack: { cond: string; negated: boolean; config: boolean }[] = [];
  const out: HelperOccurrence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const pp = /^\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b(.*)$/.exec(l);
    if (pp) {
      const [, dir, rest] = pp as unknown as [string, string, string];
      const arg = rest.trim();
      if (dir === 'ifdef') stack.push({ cond: arg, negated: false, config: /\bCONFIG_/.test(arg) });
      else if (dir === 'ifndef') stack.push({ cond: `!${arg}`, negated: true, config: /\bCONFIG_/.test(arg) });
      else if (dir === 'if') stack.push({ cond: normaliseGuard(arg), negated: /^!\s*[\w(]/.test(normaliseGuard(arg)), config: /\bCONFIG_/.test(arg) });
      else if (dir === 'elif' && stack.length) {
        const top = stack[stack.length - 1]!;
        stack[stack.length - 1] = { cond: normaliseGuard(arg), negated: false, config: top.config || /\bCONFIG_/.test(arg) };
      } else if (dir === 'else' && stack.length) {
        const top = stack[stack.length - 1]!;
        stack[stack.length - 1] = { cond: `!(${top.cond})`, negated: !top.negated, config: top.config };
      } else if (dir === 'endif') stack.pop();
      continue;
    }
    const define = /^\s*#\s*define\s+(is_\w+_page|folio_is_\w+)\s*\(/.exec(l);
    const names: string[] = [];
    if (define) names.push(define[1]!);
    else if (!/^\s/.test(l)) for (const m of l.matchAll(HELPER_NAME)) names.push(m[1]!);
    for (const name of names) {
      if (only && !only.has(name)) continue;
      const head = define ? null : findHeads(lines, name, new Set([i]))[0];
      if (!define && !head) continue;
      const config = stack.filter((s) => s.config);
      const guard = config.length ? config.map((s) => s.cond).join(' && ') : null;
      // The body: the macro's line, or the definition up to its closing brace (a declaration has none).
      let inBody = '';
      if (define) inBody = l.slice(define.index + define[0].length);
      else if (head!.kind === 'definition') {
        const body = lines.slice(head!.end, head!.end + 12);
        const end = body.findIndex((b) => /^\}/.test(b));
        inBody = (end < 0 ? body : body.slice(0, end + 1)).join('\n');
      }
      const tests = /\bMEMORY_DEVICE_\w+/.exec(inBody)?.[0] ?? null;
      const call = [...inBody.matchAll(HELPER_NAME)].map((m) => m[1]!).find((n) => n !== name && n !== 'is_zone_device_page' && n !== 'folio_is_zone_device') ?? null;
      out.push({ name, line: i + 1, guard: guard === null ? null : normaliseGuard(guard), negated: config.some((s) => s.negated), tests, calls: call });
    }
  }
  return out;
}

// ---- comparison ----------------------------------------------------------------------------

interface Expected {
  name: string;
  header: string;
  guard: string | null;
  /** The enumerator of its type; null for generic predicates (which carry no guard in the model). */
  type: string | null;
}

function expectedHelpers(view: ModelView): Expected[] {
  const out: Expected[] = [];
  for (const t of view.types) for (const h of t.helpers) out.push({ name: h.name, header: h.header, guard: h.guard, type: t.name });
  for (const p of view.predicates) if (p.typeId === null && (p.level === 'page' || p.level === 'folio')) out.push({ name: p.name, header: p.header, guard: null, type: null });
  return out;
}

/** A model guard that is a preprocessor expression (not prose such as "IS_ENABLED() after 5.3"). */
function comparableGuard(g: string): boolean {
  return /^[\s!()&|A-Za-z0-9_]+$/.test(g) && /\bCONFIG_\w+/.test(g) && !/\b(?:until|after|before|since)\b/.test(g);
}

const guardKey = (g: string) => normaliseGuard(g).replace(/[()\s]/g, '');

/** The symbols `config ZONE_DEVICE` depends on, sorted. */
function gateOf(zd: TreeKconfig): string[] {
  return [...new Set(zd.dependsOn.flatMap((d) => d.match(/\b[A-Z][A-Z0-9_]+\b/g) ?? []))].sort();
}

function sameGate(gate: readonly string[], deps: readonly string[]): boolean {
  return gate.length === deps.length && [...gate].sort().every((g, i) => g === deps[i]);
}

/** The ZONE_DEVICE era the tree's `config ZONE_DEVICE` shows: the era whose gate is its depends on. */
export function treeEra(facts: TreeFacts, view: ModelView, model: Model): { era: ArchEra | null; deps: string[] | null } {
  const zd = facts.kconfig.find((k) => k.name === 'ZONE_DEVICE');
  if (!zd || !view.era) return { era: view.era, deps: null };
  const deps = gateOf(zd);
  if (sameGate(view.era.gate, deps)) return { era: view.era, deps };
  const other = model.eras.find((e) => sameGate(e.gate, deps));
  return { era: other ? { ...other } : { ...view.era, gate: deps }, deps };
}

/** Where the tree's helpers, Kconfig entries and arch selects differ from the model at `view.release`. */
export function compareTreeFacts(facts: TreeFacts, view: ModelView, model: Model): TreeDifference[] {
  const out: TreeDifference[] = [];
  const rel = view.release;
  const diff = (kind: TreeDifference['kind'], name: string, file: string | null, line: number | null, message: string) =>
    out.push({ kind, name, modelValue: null, treeValue: null, file, line, message: `${message}; the tree is followed` });

  // Helpers.
  const expected = expectedHelpers(view);
  const byName = new Map(facts.helpers.map((h) => [h.name, h]));
  const read = new Set(facts.headers);
  // A helper of a type the tree's enum lacks is that one difference, already said.
  const members = facts.enum ? new Set(facts.enum.map((m) => m.name)) : null;
  for (const e of expected) {
    const t = byName.get(e.name);
    if (!t) {
      if (e.type !== null && members !== null && !members.has(e.type)) continue;
      if (read.has(e.header)) diff('helper-missing-in-tree', e.name, null, null, `the model lists ${e.name}() in ${e.header} for ${rel} but the base tree's ${facts.headers.join(', ')} do not have it`);
      continue;
    }
    if (!t.files.includes(e.header)) {
      if (read.has(e.header)) diff('helper-header-differs', e.name, t.file, t.line, `${e.name}() is in ${t.file} in the base tree but in ${e.header} in the model for ${rel}`);
      continue;
    }
    if (e.type === null) continue;
    const tg = t.guard;
    const mg = e.guard;
    if (mg !== null && !comparableGuard(mg)) continue;
    if ((tg === null) !== (mg === null) || (tg !== null && mg !== null && guardKey(tg) !== guardKey(mg)))
      diff('helper-guard-differs', e.name, t.file, t.line,
        `${e.name}() is ${tg ? `under #if ${tg}` : 'under no #if CONFIG_'} in the base tree but ${mg ? `under #if ${mg}` : 'under no #if CONFIG_'} in the model for ${rel}`);
  }
  const expectedNames = new Set(expected.map((e) => e.name));
  for (const t of facts.helpers)
    if (!expectedNames.has(t.name)) diff('helper-only-in-tree', t.name, t.file, t.line, `the base tree's ${t.file} has ${t.name}(), which the model does not list for ${rel}`);

  // Kconfig entries of the memory types.
  const kfiles = new Set(facts.kconfigFiles);
  const treeK = new Map<string, TreeKconfig>();
  for (const k of facts.kconfig) if (!treeK.has(k.name)) treeK.set(k.name, k);
  for (const name of view.kconfigSymbols) {
    const files = (view.locations[name] ?? []).filter((f) => /(^|\/)Kconfig[^/]*$/.test(f));
    const t = treeK.get(name);
    if (!t) {
      const gone = files.filter((f) => kfiles.has(f));
      if (gone.length) diff('kconfig-missing-in-tree', name, null, null, `the model lists config ${name} in ${gone.join(', ')} for ${rel} but the base tree's ${gone.join(', ')} does not have it`);
    } else if (files.length && !files.includes(t.file) && files.some((f) => kfiles.has(f))) {
      diff('kconfig-file-differs', name, t.file, t.line, `config ${name} is in ${t.file} in the base tree but in ${files.join(', ')} in the model for ${rel}`);
    }
  }
  const known = new Set(view.kconfigSymbols);
  for (const [name, t] of treeK)
    if (!known.has(name) && isMemoryKconfig(name, t.dependsOn, model))
      diff('kconfig-only-in-tree', name, t.file, t.line, `the base tree's ${t.file} has config ${name}, which the model does not list for ${rel}`);
  const { era, deps } = treeEra(facts, view, model);
  if (deps && view.era && era && era.gate.join() !== view.era.gate.join()) {
    const zd = treeK.get('ZONE_DEVICE')!;
    const switched = era.id !== view.era.id ? ` (the ZONE_DEVICE era ${era.id}'s)` : '';
    diff('kconfig-gate-differs', 'ZONE_DEVICE', zd.file, zd.line,
      `config ZONE_DEVICE depends on ${deps.join(', ')}${switched} in the base tree but on ${view.era.gate.join(', ')} (era ${view.era.id}) in the model for ${rel}`);
  }

  // Arch selects of the era's enabling symbol and of the devmap symbol.
  if (facts.archSelects !== null && era?.archSelect && facts.archSymbols.includes(era.archSelect)) {
    const symbols = new Set([era.archSelect, ...(era.devmapMarkers.includes('ARCH_HAS_PTE_DEVMAP') || era.archSelect === 'ARCH_HAS_PTE_DEVMAP' ? ['ARCH_HAS_PTE_DEVMAP'] : [])]);
    const modelArch = expectedArchSelects(view, era);
    const seen = new Set<string>();
    for (const s of facts.archSelects) {
      const key = `${s.arch}\0${s.symbol}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const cond = s.condition ? ` if ${s.condition}` : '';
      if (!modelArch.has(key)) {
        // Symbols of other eras still selected are a difference too (the era boundary is wrong).
        if (symbols.has(s.symbol) || ARCH_SYMBOLS.includes(s.symbol))
          diff('arch-only-in-tree', `${s.symbol} on ${s.arch}`, s.file, s.line, `the base tree's ${s.file} selects ${s.symbol}${cond} for ${s.arch}, which the model does not list for ${rel}`);
        continue;
      }
      const want = modelArch.get(key);
      if (want !== undefined && normCond(want) !== normCond(s.condition)) {
        diff('arch-condition-differs', `${s.symbol} on ${s.arch}`, s.file, s.line,
          `${s.arch} selects ${s.symbol}${s.condition ? ` if ${s.condition}` : ' unconditionally'} in the base tree but ${want ? `if ${want}` : 'unconditionally'} in the model for ${rel}`);
      }
    }
    for (const [key] of modelArch) {
      const [arch, symbol] = key.split('\0') as [string, string];
      if (!seen.has(key) && facts.archesRead.includes(arch))
        diff('arch-missing-in-tree', `${symbol} on ${arch}`, null, null, `the model lists ${arch} as selecting ${symbol} for ${rel} but no arch/${arch}/Kconfig* of the base tree does`);
    }
  }
  return out;
}

const normCond = (c: string | null) => (c ?? '').replace(/[()\s]/g, '');

/** (arch, symbol) -> the condition the model gives (undefined: the symbol is the devmap marker, no condition known). */
function expectedArchSelects(view: ModelView, era: ArchEra): Map<string, string | null | undefined> {
  const out = new Map<string, string | null | undefined>();
  for (const a of view.arches) {
    if (a.symbol && a.symbol === era.archSelect) out.set(`${a.arch}\0${a.symbol}`, a.condition);
    const marker = a.devmap?.marker;
    if (marker && ARCH_SYMBOLS.includes(marker) && !out.has(`${a.arch}\0${marker}`)) out.set(`${a.arch}\0${marker}`, undefined);
  }
  return out;
}

// ---- the tree wins ---------------------------------------------------------------------------

/** The memory type a helper of the tree belongs to: the enumerator its body tests, the helper it calls, or its name. */
function typeOfHelper(h: TreeHelper, view: ModelView, helpers: ReadonlyMap<string, TreeHelper>): string | null {
  const byEnum = (e: string | null) => (e ? view.types.find((t) => t.name === e)?.id ?? null : null);
  const direct = byEnum(h.tests);
  if (direct) return direct;
  if (h.calls) {
    const owner = view.types.find((t) => t.helpers.some((x) => x.name === h.calls));
    if (owner) return owner.id;
    const called = helpers.get(h.calls);
    if (called && byEnum(called.tests)) return byEnum(called.tests);
  }
  const stem = (/^is_(\w+)_page$/.exec(h.name) ?? /^folio_is_(\w+)$/.exec(h.name))?.[1]?.replace(/_/g, '').toUpperCase();
  if (!stem) return null;
  return view.types.find((t) => t.name.replace(/^MEMORY_DEVICE_/, '').replace(/_/g, '') === stem)?.id ?? null;
}

/**
 * The view with the tree's helpers, Kconfig symbols, ZONE_DEVICE gate and arch selects in force
 * (the enum is applyTreeEnum's). Only what the tree could show is changed: facts about files the
 * tree does not have stay the model's.
 */
export function applyTreeFacts(view: ModelView, facts: TreeFacts, model: Model): ModelView {
  const read = new Set(facts.headers);
  const treeHelpers = new Map(facts.helpers.map((h) => [h.name, h]));
  const locations: Record<string, string[]> = { ...view.locations };
  // Per-type helpers: the tree's header and guard; dropped when its header is read and it is nowhere; added by owner.
  const types = view.types.map((t) => ({
    ...t,
    helpers: t.helpers.flatMap((h) => {
      const th = treeHelpers.get(h.name);
      if (!th) return read.has(h.header) ? [] : [h];
      const header = th.files.includes(h.header) ? h.header : th.file;
      return [{ name: h.name, header, guard: th.files.includes(h.header) && h.guard !== null && !comparableGuard(h.guard) ? h.guard : th.guard }];
    }),
  }));
  const listed = new Set(view.predicates.map((p) => p.name));
  const generic: PredicateAt[] = view.predicates.filter((p) => p.typeId === null).flatMap((p) => {
    if (p.level !== 'page' && p.level !== 'folio') return [p];
    const th = treeHelpers.get(p.name);
    if (!th) return read.has(p.header) ? [] : [p];
    return [{ ...p, header: th.files.includes(p.header) ? p.header : th.file }];
  });
  for (const th of facts.helpers) {
    if (listed.has(th.name)) continue;
    const id = typeOfHelper(th, view, treeHelpers);
    const owner = id === null ? undefined : types.find((t) => t.id === id);
    if (owner) owner.helpers.push({ name: th.name, header: th.file, guard: th.guard });
    else generic.push({ name: th.name, header: th.file, level: th.name.startsWith('folio_') ? 'folio' : 'page', typeId: null });
  }
  for (const p of view.predicates) if ((p.level === 'page' || p.level === 'folio') && !treeHelpers.has(p.name) && read.has(p.header)) delete locations[p.name];
  for (const th of facts.helpers) locations[th.name] = th.files;
  const predicates: PredicateAt[] = [...generic];
  for (const t of types) for (const h of t.helpers) predicates.push({ name: h.name, header: h.header, level: h.name.startsWith('folio_') ? 'folio' : 'page', typeId: t.id });

  // Kconfig symbols: those the model lists for files the tree has must be there; the tree's own memory-type symbols are added.
  const kfiles = new Set(facts.kconfigFiles);
  const treeK = new Map(facts.kconfig.map((k) => [k.name, k]));
  const kconfigSymbols = new Set(view.kconfigSymbols);
  for (const name of view.kconfigSymbols) {
    const files = (view.locations[name] ?? []).filter((f) => /(^|\/)Kconfig[^/]*$/.test(f));
    const t = treeK.get(name);
    if (!t && files.some((f) => kfiles.has(f))) {
      kconfigSymbols.delete(name);
      locations[name] = (locations[name] ?? []).filter((f) => !files.includes(f));
      if (!locations[name]!.length) delete locations[name];
    } else if (t && !files.includes(t.file)) {
      locations[name] = [...(locations[name] ?? []).filter((f) => !files.includes(f)), t.file];
    }
  }
  for (const [name, t] of treeK) {
    if (kconfigSymbols.has(name) || !isMemoryKconfig(name, t.dependsOn, model)) continue;
    kconfigSymbols.add(name);
    locations[name] = [...(locations[name] ?? []), t.file];
  }
  for (const t of types) if (t.kconfig !== null && !kconfigSymbols.has(t.kconfig)) t.kconfig = null;

  // The era the tree's config ZONE_DEVICE shows, and the arches its arch/*/Kconfig* enable.
  const { era } = treeEra(facts, view, model);
  let arches: ArchAt[] = view.arches;
  if (facts.archSelects !== null && era?.archSelect && facts.archSymbols.includes(era.archSelect)) {
    const sel = (arch: string, symbol: string) => facts.archSelects!.find((s) => s.arch === arch && s.symbol === symbol);
    const names = [...new Set([...view.arches.map((a) => a.arch), ...facts.archSelects.map((s) => s.arch)])];
    arches = names.flatMap((arch): ArchAt[] => {
      const was = view.arches.find((a) => a.arch === arch);
      if (!facts.archesRead.includes(arch)) return was ? [was] : [];
      const on = sel(arch, era.archSelect!);
      if (!on) return [];
      const devmapSel = sel(arch, 'ARCH_HAS_PTE_DEVMAP');
      const devmap = devmapSel ? (was?.devmap?.marker === 'ARCH_HAS_PTE_DEVMAP' ? was.devmap : { marker: 'ARCH_HAS_PTE_DEVMAP', file: devmapSel.file })
        : was?.devmap && !ARCH_SYMBOLS.includes(was.devmap.marker) ? was.devmap : null;
      return [{ arch, symbol: on.symbol, condition: on.condition, devmap, confidence: 'read' }];
    }).sort((a, b) => names.indexOf(a.arch) - names.indexOf(b.arch));
  }
  return { ...view, types, predicates, kconfigSymbols: [...kconfigSymbols].sort(), era, arches, locations };
}
