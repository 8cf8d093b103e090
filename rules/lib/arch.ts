// Facts about architectures that only the whole tree knows, each fetched with one
// `git grep` over a narrow pathspec: what devmap support an arch's headers and Kconfig
// carry, and where a function is defined under arch/.
import { findHeads, type FunctionHead } from './proto.js';
import type { KernelTree } from '../../src/engine/rule.js';

/** The devmap PTE accessors an arch must define (its pgtable headers). */
export const DEVMAP_FUNCTIONS = ['pte_devmap', 'pmd_devmap', 'pte_mkdevmap'] as const;
export const DEVMAP_MACRO = '__HAVE_ARCH_PTE_DEVMAP';
export const DEVMAP_SYMBOL = 'ARCH_HAS_PTE_DEVMAP';

export type DevmapMarker = (typeof DEVMAP_FUNCTIONS)[number] | typeof DEVMAP_MACRO | typeof DEVMAP_SYMBOL;

export interface MarkerHit {
  marker: DevmapMarker;
  path: string;
  line: number;
}

const FN_DEF = new RegExp(
  `^\\s*#\\s*define\\s+(${DEVMAP_FUNCTIONS.join('|')})\\b|` +
    `^\\s*(?:static|extern|inline|__always_inline|int|bool|pte_t|pmd_t|pud_t|unsigned|long)\\b[^=;]*?\\b(${DEVMAP_FUNCTIONS.join('|')})\\s*\\(`,
);
const MACRO_DEF = new RegExp(`^\\s*#\\s*define\\s+${DEVMAP_MACRO}\\b`);
const KCONFIG_SELECT = new RegExp(`^\\s*select\\s+${DEVMAP_SYMBOL}\\b`);

export function isArchHeader(path: string, arch: string): boolean {
  return path.startsWith(`arch/${arch}/include/`) && path.endsWith('.h');
}
export function isArchKconfig(path: string, arch: string): boolean {
  return path.startsWith(`arch/${arch}/`) && /(^|\/)Kconfig(\.[^/]*)?$/.test(path);
}
/** The architecture a path belongs to; only plain directory names, as they go into git pathspecs. */
export function archOf(path: string): string | null {
  return /^arch\/([A-Za-z0-9_][A-Za-z0-9_.-]*)\//.exec(path)?.[1] ?? null;
}

/** The devmap marker a line of `path` (in arch `arch`) defines, if any. */
export function markerOn(path: string, arch: string, text: string): DevmapMarker | null {
  if (isArchHeader(path, arch)) {
    if (MACRO_DEF.test(text)) return DEVMAP_MACRO;
    const m = FN_DEF.exec(text);
    if (m) return (m[1] ?? m[2]) as DevmapMarker;
  } else if (isArchKconfig(path, arch) && KCONFIG_SELECT.test(text)) {
    return DEVMAP_SYMBOL;
  }
  return null;
}

/** Every devmap marker `arch` defines in the tree: two fixed-string greps over that arch only. */
export function devmapMarkers(tree: KernelTree, arch: string): MarkerHit[] {
  const hits: MarkerHit[] = [];
  const take = (h: { path: string; line: number; text: string }) => {
    const marker = markerOn(h.path, arch, h.text);
    if (marker) hits.push({ marker, path: h.path, line: h.line });
  };
  tree.grep([...DEVMAP_FUNCTIONS, DEVMAP_MACRO], [`arch/${arch}/include/`], { fixed: true }).forEach(take);
  // Any Kconfig file of the arch (powerpc keeps selects in platforms/Kconfig.cputype too).
  tree
    .grep([DEVMAP_SYMBOL], [`arch/${arch}/`], { fixed: true })
    .filter((h) => isArchKconfig(h.path, arch))
    .forEach(take);
  return hits;
}

export interface Definition extends FunctionHead {
  path: string;
}

const defsCache = new WeakMap<KernelTree, Map<string, Definition[]>>();

/**
 * Definitions under arch/ of each named function: one fixed-string grep for all names not
 * yet looked up in this tree finds the candidate files, which are then read (one batch) to
 * take the full heads apart. Results are cached per tree, so a caller that knows every name
 * of a run up front (a big mbox) pays for one grep.
 */
export function archDefinitions(tree: KernelTree, names: readonly string[]): Map<string, Definition[]> {
  let cache = defsCache.get(tree);
  if (!cache) defsCache.set(tree, (cache = new Map<string, Definition[]>()));
  const todo = [...new Set(names)].filter((n) => !cache.has(n));
  if (todo.length) for (const [n, defs] of lookUp(tree, todo)) cache.set(n, defs);
  return new Map(names.map((n) => [n, cache.get(n) ?? []]));
}

function lookUp(tree: KernelTree, names: readonly string[]): Map<string, Definition[]> {
  const out = new Map<string, Definition[]>(names.map((n) => [n, []]));
  // A head starts a line (return type first) or is the name at column 0 (`int\nname(`). The
  // names are searched as fixed strings (an ERE over all of arch/ is far slower).
  const headRe = new RegExp(`^[A-Za-z_].*\\b(?:${names.join('|')})\\s*\\(`);
  const hits = tree.grep(names, ['arch/'], { fixed: true }).filter((h) => headRe.test(h.text));
  const byPath = new Map<string, Set<number>>();
  for (const h of hits) {
    if (!/\.[ch]$/.test(h.path) || /;\s*$/.test(h.text)) continue;
    let set = byPath.get(h.path);
    if (!set) byPath.set(h.path, (set = new Set()));
    set.add(h.line - 1);
  }
  const texts = tree.readMany([...byPath.keys()]);
  for (const [path, lineSet] of byPath) {
    const text = texts.get(path);
    if (!text) continue;
    const lines = text.split('\n');
    for (const [name, defs] of out) {
      if (!text.includes(name)) continue;
      for (const head of findHeads(lines, name, lineSet)) if (head.kind === 'definition') defs.push({ ...head, path });
    }
  }
  return out;
}
