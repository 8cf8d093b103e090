// "Is this line compiled in a configuration where that name is not declared?" — the question both
// config-only-name and missing-config-stub ask, answered over src/syntax/condition.ts formulas.
//
// Only the options of the ZONE_DEVICE world are asked about: a name whose declaration needs one of
// them, and a use compiled with it off. Architecture capabilities (ARCH_HAS_*, HAVE_ARCH_*, ...)
// are read as opaque: a header's generic fallback under `#ifndef CONFIG_ARCH_HAS_PTE_DEVMAP` pairs
// with the architecture's own definition, which the ZONE_DEVICE headers do not hold.
import { and, FALSE, not, or, sym, symbols, TRUE, witness, type Formula } from '../syntax/condition.js';

/**
 * The options whose names zdcheck reasons about (the ones ZONE_DEVICE code is built around). Not
 * SPARSEMEM: the memory model is a Kconfig `choice` an architecture narrows to one (arm64 builds
 * only SPARSEMEM), which the constraints do not read.
 */
export const CONFIG_ONLY_OPTIONS: ReadonlySet<string> = new Set([
  'ZONE_DEVICE',
  'DEVICE_PRIVATE',
  'DEVICE_PUBLIC',
  'DEV_PAGEMAP_OPS',
  'FS_DAX',
  'FS_DAX_PMD',
  'PCI_P2PDMA',
  'MEMORY_HOTPLUG',
  'MEMORY_HOTREMOVE',
  'SPARSEMEM_VMEMMAP',
  'TRANSPARENT_HUGEPAGE',
  'HMM',
  'HMM_MIRROR',
  'DEVICE_MIGRATION',
  'MIGRATION',
  'MIGRATE_VMA_HELPER',
  'DEV_DAX',
  'DAX',
  // Beside them in the same headers and structs, and reported by the kernel test robot on memory
  // hotplug code: zone->cma_pages (2021-07-27, Message-ID <202107271233.KjyeikhV-lkp@intel.com>) and
  // memory_block->nr_hwpoison (2022-09-23, Message-ID <202209231134.tnhKHRfg-lkp@intel.com>).
  'CMA',
  'MEMORY_FAILURE',
]);

const ARCH_CAPABILITY = /^(ARCH_|HAVE_|[A-Z0-9]+_ARCH_|GENERIC_)/;

/** `f` with architecture capabilities made opaque (see the file comment). */
export function archOpaque(f: Formula): Formula {
  switch (f.k) {
    case 'sym':
      return ARCH_CAPABILITY.test(f.name) ? { k: 'opaque', text: `CONFIG_${f.name}` } : f;
    case 'not':
      return not(archOpaque(f.a));
    case 'and':
      return and(...f.a.map(archOpaque));
    case 'or':
      return or(...f.a.map(archOpaque));
    default:
      return f;
  }
}

/** The symbols `f` needs set somewhere (appearing un-negated). */
export function positiveSymbols(f: Formula, negated = false, out = new Set<string>()): Set<string> {
  if (f.k === 'sym' && !negated) out.add(f.name);
  else if (f.k === 'not') positiveSymbols(f.a, !negated, out);
  else if (f.k === 'and' || f.k === 'or') for (const x of f.a) positiveSymbols(x, negated, out);
  return out;
}

export interface Breaking {
  /** The option that, off, leaves the name undeclared while the use is compiled. */
  option: string;
  /** The configuration found: symbol -> value (the options `f` and Kconfig name). */
  config: Map<string, boolean>;
}

/**
 * A configuration in which `use` (when the line is compiled) holds and `avail` (when the name is
 * declared) does not, with one of the CONFIG_ONLY_OPTIONS that `avail` needs set to n; null when
 * there is none (or the search cannot decide: an opaque atom, too many steps). `constraints`
 * gives what Kconfig says of the symbols of a formula (Kbuild.constraints), or nothing without a tree.
 */
export function breakingConfig(
  use: Formula,
  avail: Formula,
  constraints: (f: Formula) => Formula[] = () => [],
): Breaking | null {
  const declared = archOpaque(avail);
  const options = [...positiveSymbols(declared)].filter((s) => CONFIG_ONLY_OPTIONS.has(s));
  for (const option of options) {
    // The option must be what decides: with it on (all else as found) the name would be declared.
    // Otherwise the configuration found breaks for another reason (MMU=n), which is not this question.
    const q = and(use, not(declared), not(sym(option)), assign(declared, option, true));
    // Without Kconfig first: most uses are guarded by the option itself, and that answer is cheap.
    if (witness(q) === null) continue;
    const w = offFirst(q, constraints(q));
    if (w !== null && w !== 'unknown') return { option, config: w };
  }
  return null;
}

/**
 * The search's budget per question. A clean use (the common case) is a question without an answer,
 * which the search must exhaust; past this many steps it says 'unknown' and no finding is made.
 */
const MAX_STEPS = 8000;

/**
 * witness() with every symbol tried off before on. The search tries an atom true first; Kconfig's
 * constraints (`X => what X depends on`) hold at once for a symbol that is off, and the few a
 * question needs on are found by backtracking, where trying on first makes every driver's dozen
 * selects conflict somewhere and the search run out of steps. So each symbol X is asked as its
 * complement `~X`, and the answer turned back.
 */
function offFirst(f: Formula, constraints: readonly Formula[]): Map<string, boolean> | null | 'unknown' {
  const w = witness(complement(f), constraints.map(complement), MAX_STEPS);
  if (w === null || w === 'unknown') return w;
  return new Map([...w].map(([k, v]) => [k.replace(/^sym:~/, 'sym:'), !v]));
}

function complement(f: Formula): Formula {
  switch (f.k) {
    case 'sym':
      return not(sym(`~${f.name}`));
    case 'not':
      return not(complement(f.a));
    case 'and':
      return and(...f.a.map(complement));
    case 'or':
      return or(...f.a.map(complement));
    default:
      return f;
  }
}

/** `f` with the symbol `name` fixed to `value`. */
export function assign(f: Formula, name: string, value: boolean): Formula {
  switch (f.k) {
    case 'sym':
      return f.name === name ? (value ? TRUE : FALSE) : f;
    case 'not':
      return not(assign(f.a, name, value));
    case 'and':
      return and(...f.a.map((x) => assign(x, name, value)));
    case 'or':
      return or(...f.a.map((x) => assign(x, name, value)));
    default:
      return f;
  }
}

/** `MEMORY_HOTPLUG=y ZONE_DEVICE=n`: the configuration's values of the symbols `f` names, for a detail line. */
export function showConfig(config: ReadonlyMap<string, boolean>, f: Formula): string {
  const wanted = symbols(f);
  return [...config]
    .filter(([k]) => wanted.has(k.replace(/^sym:/, '')))
    .map(([k, v]) => `${k.replace(/^sym:/, '')}=${v ? 'y' : 'n'}`)
    .join(' ');
}
