// Which ZONE_DEVICE era a tree shows: the era whose gate (what `config ZONE_DEVICE` depends on)
// is the tree's, and the symbols an architecture selects to enable it in some era.
import type { ArchEra, Model, ModelView } from '../types.js';
import type { TreeFacts, TreeKconfig } from './types.js';

/** Symbols an architecture selects to enable ZONE_DEVICE or show devmap PTEs, in some era. */
export const ARCH_SYMBOLS = ['ARCH_HAS_ZONE_DEVICE', 'ARCH_HAS_PTE_DEVMAP'];

/** The symbols `config ZONE_DEVICE` depends on, sorted. */
export function gateOf(zd: TreeKconfig): string[] {
  return [...new Set(zd.dependsOn.flatMap((d) => d.match(/\b[A-Z][A-Z0-9_]+\b/g) ?? []))].sort();
}

export function sameGate(gate: readonly string[], deps: readonly string[]): boolean {
  return gate.length === deps.length && [...gate].sort().every((g, i) => g === deps[i]);
}

/** The ZONE_DEVICE era the tree's `config ZONE_DEVICE` shows: the era whose gate is its depends on. */
export function treeEra(
  facts: TreeFacts,
  view: ModelView,
  model: Model,
): { era: ArchEra | null; deps: string[] | null } {
  const zd = facts.kconfig.find((k) => k.name === 'ZONE_DEVICE');
  if (!zd || !view.era) return { era: view.era, deps: null };
  const deps = gateOf(zd);
  if (sameGate(view.era.gate, deps)) return { era: view.era, deps };
  const other = model.eras.find((e) => sameGate(e.gate, deps));
  return { era: other ? { ...other } : { ...view.era, gate: deps }, deps };
}
