// The #include graph of a kernel tree, as a series leaves it: which headers each file includes, and
// which files include each header. The base tree's graph is read once per run from one search of
// every #include line (and kept with the tree's other indexes); a series' own files are read from
// the tree after it. Resolution is the kernel's, simplified: `<linux/x.h>` is include/linux/x.h,
// `<asm/x.h>` both x86's and asm-generic's, `"x.h"` beside the including file.
import type { KernelTree, TreeAfterSeries } from '../../src/engine/rule.js';

const INCLUDE = /^\s*#\s*include\s*([<"])([^>"]+)[>"]/;

/** Where an `#include` line of `from` leads (none when the line is not one). */
export function includeTargets(from: string, line: string): string[] {
  const m = INCLUDE.exec(line);
  if (!m) return [];
  const inc = m[2]!;
  if (m[1] === '"') return [normalize(from.slice(0, from.lastIndexOf('/') + 1) + inc)];
  if (inc.startsWith('asm/')) return [`arch/x86/include/${inc}`, `include/asm-generic/${inc.slice(4)}`];
  return [`include/${inc}`];
}

export function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

/** What the index keeps of a base tree: each file's resolved includes (JSON, for the tree's index cache). */
type Forward = Record<string, string[]>;

const INDEX_NAME = 'include-graph/1';

/** Every #include line of the tree: one fixed-string search (an anchored regex is ten times slower). */
function readForward(base: KernelTree): Forward {
  const out: Forward = {};
  for (const h of base.grep(['#include', '# include', '#  include', '#\tinclude'], ['*.c', '*.h'], { fixed: true })) {
    const to = includeTargets(h.path, h.text);
    if (to.length) (out[h.path] ??= []).push(...to);
  }
  return out;
}

interface BaseGraph {
  forward: Forward;
  reverse: Map<string, string[]>;
}

const bases = new WeakMap<KernelTree, BaseGraph>();

function baseGraph(base: KernelTree): BaseGraph {
  let g = bases.get(base);
  if (!g) {
    const forward = base.index ? base.index(INDEX_NAME, () => readForward(base)) : readForward(base);
    const reverse = new Map<string, string[]>();
    for (const [from, tos] of Object.entries(forward))
      for (const to of new Set(tos)) {
        const list = reverse.get(to);
        if (list) list.push(from);
        else reverse.set(to, [from]);
      }
    bases.set(base, (g = { forward, reverse }));
  }
  return g;
}

export interface IncludeGraph {
  /** The headers `path` includes directly. */
  includes(path: string): readonly string[];
  /** The files that include `path` directly. */
  includers(path: string): readonly string[];
}

const graphs = new WeakMap<TreeAfterSeries, IncludeGraph>();

/** The include graph of the tree after the series: the base's, with the files the series changes read again. */
export function includeGraph(tree: TreeAfterSeries): IncludeGraph {
  let g = graphs.get(tree);
  if (g) return g;
  const base = baseGraph(tree.base);
  const own = new Map<string, string[]>();
  for (const path of tree.changed) {
    if (!/\.[ch]$/.test(path)) continue;
    const text = tree.readSync(path);
    own.set(path, text === null ? [] : text.split('\n').flatMap((l) => includeTargets(path, l)));
  }
  g = {
    includes: (path) => own.get(path) ?? (tree.changes(path) ? [] : (base.forward[path] ?? [])),
    includers(path) {
      const fromBase = (base.reverse.get(path) ?? []).filter((p) => !tree.changes(p));
      const fromSeries = [...own].filter(([, tos]) => tos.includes(path)).map(([p]) => p);
      return fromSeries.length ? [...fromBase, ...fromSeries] : fromBase;
    },
  };
  graphs.set(tree, g);
  return g;
}

/**
 * The `#include`s of the files a walk asks about, read one file at a time (each once per base tree; a
 * file the series changes, as it leaves it). A walk from one file reads a few hundred headers, where
 * includeGraph's search of every #include line of the tree takes seconds and ~100 MB on a 6.1 tree.
 */
export function includesOnDemand(tree: TreeAfterSeries): Pick<IncludeGraph, 'includes'> {
  let base = onDemand.get(tree.base);
  if (!base) onDemand.set(tree.base, (base = new Map<string, string[]>()));
  const known = base;
  const read = (path: string, text: string | null) =>
    text === null ? [] : text.split('\n').flatMap((l) => (l.includes('include') ? includeTargets(path, l) : []));
  return {
    includes(path) {
      if (tree.changes(path)) return read(path, tree.readSync(path));
      let got = known.get(path);
      if (!got) known.set(path, (got = read(path, tree.base.readSync(path))));
      return got;
    },
  };
}
const onDemand = new WeakMap<KernelTree, Map<string, string[]>>();

/**
 * Whether `start` (the headers a file includes) reaches `target` without going through `avoid`,
 * within `maxDepth` levels; past `maxNodes` headers the answer is true (may be reached: the caller
 * then makes no finding rather than a wrong one).
 */
export function reaches(
  graph: Pick<IncludeGraph, 'includes'>,
  start: readonly string[],
  target: string,
  avoid: ReadonlySet<string>,
  maxDepth = 10,
  maxNodes = 6000,
): boolean {
  const seen = new Set<string>(avoid);
  let level = start.filter((p) => !seen.has(p));
  for (let depth = 0; depth < maxDepth && level.length; depth++) {
    const next: string[] = [];
    for (const p of level) {
      if (p === target) return true;
      if (seen.has(p)) continue;
      seen.add(p);
      if (seen.size > maxNodes) return true;
      next.push(...graph.includes(p).filter((q) => !seen.has(q)));
    }
    level = next;
  }
  return level.includes(target);
}

export interface Includer {
  file: string;
  /** The headers between it and the header asked about, nearest first: `[]` for a direct includer. */
  via: string[];
}

/**
 * The files that include `header` directly or through up to `maxDepth - 1` other headers, nearest
 * first (each once, by its shortest chain), at most `maxFiles` of them.
 */
export function includersOf(graph: IncludeGraph, header: string, maxDepth: number, maxFiles: number): Includer[] {
  const out: Includer[] = [];
  const seen = new Set<string>([header]);
  let level: Includer[] = [{ file: header, via: [] }];
  for (let depth = 0; depth < maxDepth && level.length; depth++) {
    const next: Includer[] = [];
    for (const at of level) {
      const via = at.file === header ? [] : [at.file, ...at.via];
      for (const f of [...graph.includers(at.file)].sort()) {
        if (seen.has(f)) continue;
        seen.add(f);
        const i = { file: f, via };
        out.push(i);
        next.push(i);
        if (out.length >= maxFiles) return out;
      }
    }
    level = next;
  }
  return out;
}
