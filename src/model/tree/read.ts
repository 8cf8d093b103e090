// Reading a base tree's facts: which files (the headers, Kconfig files and arches the model
// names), one batch read of them (one `git cat-file --batch` for a git tree) and one fixed-string
// grep over arch/*/Kconfig*, once per tree (cached), whatever the number of series. The C and
// Kconfig in them are read by headers.ts and kconfig.ts, through src/syntax.
//
// A file the tree does not have says nothing: a fixture tree of three files does not make the
// model's other facts "missing".
import { createHash } from 'node:crypto';
import { parseCImage, parseKconfig, wholeText, type CFile, type KconfigFile } from '../../syntax/index.js';
import { versionFromMakefile } from '../infer.js';
import { releaseOf } from '../query.js';
import type { Model } from '../types.js';
import { inRange } from '../version.js';
import { ARCH_SYMBOLS, gateOf, sameGate } from './gate.js';
import { helpersIn, MEMREMAP_H, memoryTypeEnum, type HelperOccurrence } from './headers.js';
import { kconfigEntries, selectAt } from './kconfig.js';
import type { TreeArchSelect, TreeFacts, TreeHelper, TreeKconfig } from './types.js';

/** The little of a base tree the model reads; src/tree's KernelTree has all of it. */
export interface FactsTree {
  readonly label: string;
  readSync(path: string): string | null;
  readMany?(paths: readonly string[]): Map<string, string | null>;
  grep?(
    pattern: readonly string[],
    pathspecs: readonly string[],
    options?: { fixed?: boolean },
  ): { path: string; line: number; text: string }[];
  /** Facts built once per tree (KernelTree.index): kept for the next run on the same commit. */
  /** KernelTree.index (src/tree/types.ts), said again here: the model does not depend on the tree layer. */
  index?<T>(name: string, build: () => T, update?: (previous: T, changed: readonly string[]) => T): T;
}

const ARCH_TOP: Record<string, string> = { powerpc: 'PPC', sh: 'SUPERH', um: 'UML' };

/** Every helper header, Kconfig file and arch the model names in any era (mainline). */
export function modelTreeFiles(model: Model): {
  headers: string[];
  kconfigs: string[];
  arches: string[];
  helperNames: Set<string>;
} {
  const headers = new Set<string>([MEMREMAP_H]);
  const helperNames = new Set<string>();
  for (const t of model.types) {
    if (!t.mainline) continue;
    for (const h of t.helpers) {
      headers.add(h.header);
      helperNames.add(h.value);
      if (h.stub) headers.add(h.stub);
    }
  }
  for (const p of model.predicates) {
    if (p.level !== 'page' && p.level !== 'folio') continue;
    helperNames.add(p.name);
    for (const w of p.where) headers.add(w.value);
  }
  const kconfigs = new Set<string>();
  for (const spans of model.index.values())
    for (const s of spans)
      if (s.kind === 'kconfig' && s.mainline && s.where && /(^|\/)Kconfig[^/]*$/.test(s.where)) kconfigs.add(s.where);
  return {
    headers: [...headers].sort(),
    kconfigs: [...kconfigs].sort(),
    arches: model.arches.map((a) => a.arch),
    helperNames,
  };
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
  if (!perModel) cache.set(tree, (perModel = new Map<Model, TreeFacts>()));
  let facts = perModel.get(model);
  if (!facts) {
    const build = () => extractTreeFacts(tree, model);
    // Another commit's facts hold when none of the files they are read from changed since.
    const update = (previous: TreeFacts, changed: readonly string[]) => {
      const readFrom = factsReadFrom(model);
      return changed.some(readFrom) ? build() : previous;
    };
    facts = tree.index ? tree.index(`tree-facts/1/${modelStamp(model)}`, build, update) : build();
    perModel.set(model, facts);
  }
  return facts;
}

/**
 * Whether the facts may be read from `path`: the files of treeFactPaths, the Makefile, and the
 * architectures' Kconfig files the search for arch selects reads (`arch/*\/Kconfig*`, where `*`
 * crosses `/`).
 */
function factsReadFrom(model: Model): (path: string) => boolean {
  const files = new Set([...treeFactPaths(model), 'Makefile']);
  return (path) => files.has(path) || /^arch\/.*\/Kconfig/.test(path);
}

const stamps = new WeakMap<Model, string>();

/** What of the model the facts depend on, hashed: facts read for another model are not read back. */
function modelStamp(model: Model): string {
  let s = stamps.get(model);
  if (!s) {
    const want = modelTreeFiles(model);
    const used = JSON.stringify({
      files: treeFactPaths(model),
      helpers: [...want.helperNames].sort(),
      eras: model.eras,
      releases: model.releases,
    });
    stamps.set(model, (s = createHash('sha256').update(used).digest('hex').slice(0, 16)));
  }
  return s;
}

function extractTreeFacts(tree: FactsTree, model: Model): TreeFacts {
  const want = modelTreeFiles(model);
  const read = (ps: readonly string[]): Map<string, string | null> =>
    tree.readMany ? tree.readMany(ps) : new Map(ps.map((p) => [p, tree.readSync(p)]));
  const texts = read(treeFactPaths(model));

  const memremapText = texts.get(MEMREMAP_H) ?? null;
  const memremap = memremapText === null ? null : parseCImage(wholeText(MEMREMAP_H, memremapText));
  const { helpers, headers } = readHelpers(want.headers, texts, memremap, want.helperNames);

  const kconfigTexts = withText(want.kconfigs, texts);
  const kconfigFiles = kconfigTexts.map(([f]) => f);
  const kconfig: TreeKconfig[] = [];
  for (const [f, text] of kconfigTexts)
    for (const e of kconfigEntries(parseKconfig(wholeText(f, text))))
      kconfig.push({ name: e.name, file: f, line: e.line, dependsOn: e.dependsOn, selects: e.selects });

  // The enabling symbols to look for: those of the era its Makefile says and of the era whose gate its
  // config ZONE_DEVICE shows; every era's when neither is known.
  const release = makefileRelease(tree.readSync('Makefile'), model);
  const zd = kconfig.find((k) => k.name === 'ZONE_DEVICE');
  const deps = zd ? gateOf(zd) : null;
  const eras = model.eras.filter(
    (e) => (release !== null && inRange(release, e)) || (deps !== null && sameGate(e.gate, deps)),
  );
  const eraSymbols = [
    ...new Set([
      ...ARCH_SYMBOLS,
      ...(eras.length ? eras : model.eras).map((e) => e.archSelect).filter((s): s is string => s !== null),
    ]),
  ];

  const { archSelects, archesRead } = readArchSelects(tree, want.arches, texts, read, eraSymbols);
  return {
    enum: memremap === null ? null : memoryTypeEnum(memremap),
    helpers,
    headers,
    kconfig,
    kconfigFiles,
    archSelects,
    archesRead,
    archSymbols: eraSymbols,
  };
}

/** Those of `paths` the tree has, each with its text. */
function withText(paths: readonly string[], texts: ReadonlyMap<string, string | null>): [string, string][] {
  return paths.flatMap((p): [string, string][] => {
    const text = texts.get(p);
    return text == null ? [] : [[p, text]];
  });
}

/**
 * Helpers: any is_*_page / folio_is_* in memremap.h; elsewhere (mm.h is full of unrelated
 * is_*_page) only the names the model knows. A header that shows none of them says nothing about
 * them (a fixture's cut-down memremap.h, or mm.h after the helpers left it): only headers that
 * show one are compared.
 */
function readHelpers(
  paths: readonly string[],
  texts: ReadonlyMap<string, string | null>,
  memremap: CFile | null,
  names: ReadonlySet<string>,
): { helpers: TreeHelper[]; headers: string[] } {
  const found = new Map<string, (HelperOccurrence & { file: string })[]>();
  const presentTexts = withText(paths, texts);
  const present = presentTexts.map(([h]) => h);
  for (const [h, text] of presentTexts) {
    const only = h === MEMREMAP_H ? null : names;
    // A header that names none of the helpers is not parsed.
    if (only !== null && ![...only].some((n) => text.includes(n))) continue;
    const file = h === MEMREMAP_H && memremap !== null ? memremap : parseCImage(wholeText(h, text));
    for (const o of helpersIn(file, only)) {
      const list = found.get(o.name) ?? [];
      list.push({ ...o, file: h });
      found.set(o.name, list);
    }
  }
  const headers = present.filter((h) => [...found.values()].some((list) => list.some((o) => o.file === h)));
  const helpers = [...found].map(([name, occurrences]): TreeHelper => {
    const real = occurrences.find((o) => !o.negated) ?? occurrences[0]!;
    return {
      name,
      file: real.file,
      line: real.line,
      guard: real.guard,
      tests: occurrences.map((o) => o.tests).find((t) => t) ?? null,
      calls: occurrences.map((o) => o.calls).find((c) => c) ?? null,
      files: [...new Set(occurrences.map((o) => o.file))],
    };
  });
  return { helpers, headers };
}

/**
 * Arch selects: one fixed-string grep finds every arch/<arch>/Kconfig* naming a symbol (arches the
 * model does not list included); the files hit are read to find the entry each select sits in.
 * Without grep, the arch/<arch>/Kconfig files of the arches the model names are searched.
 */
function readArchSelects(
  tree: FactsTree,
  arches: readonly string[],
  texts: ReadonlyMap<string, string | null>,
  read: (paths: readonly string[]) => Map<string, string | null>,
  symbols: readonly string[],
): { archSelects: TreeArchSelect[] | null; archesRead: string[] } {
  const archKconfig = (a: string) => `arch/${a}/Kconfig`;
  const archesRead = arches.filter((a) => texts.get(archKconfig(a)) != null);
  const hits = tree.grep ? safeGrep(tree, symbols) : null;
  if (hits === null && !archesRead.length) return { archSelects: null, archesRead };
  const archSelects: TreeArchSelect[] = [];
  const candidates =
    hits ?? withText(archesRead.map(archKconfig), texts).flatMap(([path, text]) => linesNaming(text, path, symbols));
  const files = read([...new Set(candidates.map((h) => h.path))].filter((p) => !texts.has(p)));
  const parsed = new Map<string, KconfigFile>();
  const kconfigOf = (path: string, text: string): KconfigFile => {
    let k = parsed.get(path);
    if (!k) parsed.set(path, (k = parseKconfig(wholeText(path, text))));
    return k;
  };
  for (const h of candidates) {
    const arch = /^arch\/([A-Za-z0-9_][A-Za-z0-9_.-]*)\//.exec(h.path)?.[1];
    if (!arch) continue;
    const text = texts.get(h.path) ?? files.get(h.path) ?? null;
    // A file hit but not read is judged by the hit's line alone, which shows no entry.
    const select =
      text === null ? selectAt(parseKconfig(wholeText(h.path, h.text)), 1) : selectAt(kconfigOf(h.path, text), h.line);
    if (!select || !symbols.includes(select.symbol)) continue;
    const top = ARCH_TOP[arch] ?? arch.toUpperCase();
    const own = select.entry !== null && select.entry !== top ? select.entry : null;
    const cond = select.condition;
    archSelects.push({
      arch,
      symbol: select.symbol,
      condition: own && cond ? `${own} && (${cond})` : (own ?? cond),
      file: h.path,
      line: h.line,
    });
  }
  for (const s of archSelects) if (!archesRead.includes(s.arch)) archesRead.push(s.arch);
  return { archSelects, archesRead };
}

function makefileRelease(make: string | null, model: Model): string | null {
  const version = make ? versionFromMakefile(make) : null;
  return version ? releaseOf(version, model) : null;
}

function safeGrep(tree: FactsTree, symbols: readonly string[]) {
  if (!tree.grep) return null;
  try {
    return tree
      .grep(symbols, ['arch/*/Kconfig*'], { fixed: true })
      .filter((h) => /^arch\/[^/]+\/(?:.*\/)?Kconfig[^/]*$/.test(h.path));
  } catch {
    // a failed search is 'not read' (null), and the caller reads each arch's Kconfig instead
    return null;
  }
}

/** The lines of a text that name one of `symbols`, as grep would give them. */
function linesNaming(text: string, path: string, symbols: readonly string[]) {
  return text
    .split('\n')
    .flatMap((t, i) => (symbols.some((s) => t.includes(s)) ? [{ path, line: i + 1, text: t }] : []));
}
