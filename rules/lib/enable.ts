// The lines of a series that make an architecture able to enable ZONE_DEVICE: a `select`
// of an enabling symbol added to arch/<arch>/Kconfig*.
import type { Patch, Series } from '../../src/types.js';
import { archOf, isArchKconfig } from './arch.js';

/** Symbols by which an architecture opted into ZONE_DEVICE while devmap PTEs mattered. */
export const ZONE_DEVICE_ENABLERS = ['ARCH_HAS_ZONE_DEVICE', 'ARCH_HAS_PTE_DEVMAP'] as const;

export interface EnablingSelect {
  patch: Patch;
  /** Position of the patch in the series (0-based). */
  index: number;
  path: string;
  arch: string;
  /** Post-image line of the patch. */
  line: number;
  symbol: string;
  /** The `if` expression, or null. */
  condition: string | null;
  text: string;
}

const SELECT = /^\s*select\s+([A-Z0-9_]+)(?:\s+if\s+(.+?))?\s*(?:#.*)?$/;

export function enablingSelects(series: Series, symbols: readonly string[]): EnablingSelect[] {
  const out: EnablingSelect[] = [];
  series.patches.forEach((patch, index) => {
    if (patch.kind !== 'patch') return;
    for (const f of patch.files) {
      const path = f.newPath;
      const arch = path ? archOf(path) : null;
      if (!path || !arch || !isArchKconfig(path, arch)) continue;
      for (const h of f.hunks) {
        for (const l of h.lines) {
          if (l.kind !== 'add' || l.newLine === null) continue;
          const m = SELECT.exec(l.text);
          if (!m || !symbols.includes(m[1]!)) continue;
          out.push({
            patch,
            index,
            path,
            arch,
            line: l.newLine,
            symbol: m[1]!,
            condition: m[2] ?? null,
            text: l.text.trim(),
          });
        }
      }
    }
  });
  return out;
}
