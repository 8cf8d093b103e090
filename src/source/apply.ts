// Placing hunks in a file the way `patch` does: at the stated line, shifted by the offset
// the previous hunks needed, else at the nearest position where the hunk's old side
// matches. Context lines are never dropped (no context fuzz): a hunk that does not match
// anywhere does not apply.
import type { Hunk } from '../types.js';
import type { ApplyCause } from './types.js';

export interface Placement {
  /** Index in the old lines where the hunk's old side starts. */
  at: number;
  /** at minus the position the header states. */
  offset: number;
}

export type PlaceResult =
  { ok: true; placements: Placement[] } | { ok: false; hunkIndex: number; cause: ApplyCause; placements: Placement[] };

export function oldSide(hunk: Hunk): string[] {
  const out: string[] = [];
  for (const l of hunk.lines) if (l.kind !== 'add') out.push(l.text);
  return out;
}

/** Where each hunk goes in `lines`. Hunks must be in file order and must not overlap. */
export function placeHunks(lines: readonly string[], hunks: readonly Hunk[]): PlaceResult {
  const placements: Placement[] = [];
  let offset = 0;
  let floor = 0;
  for (let h = 0; h < hunks.length; h++) {
    const hunk = hunks[h]!;
    const want = oldSide(hunk);
    // `-N,0` means "after line N"; otherwise oldStart is the first old line (1-based).
    const stated = want.length === 0 ? hunk.oldStart : hunk.oldStart - 1;
    const expected = stated + offset;
    const at = want.length === 0 ? insertionPoint(lines.length, expected, floor) : search(lines, want, expected, floor);
    if (at === null) {
      const cause: ApplyCause =
        want.length === 0
          ? { kind: 'past-end', line: hunk.oldStart, fileLines: lines.length }
          : { kind: 'no-match', oldLines: want.length, from: floor + 1 };
      return { ok: false, hunkIndex: h, cause, placements };
    }
    placements.push({ at, offset: at - stated });
    offset = at - stated;
    floor = at + want.length;
  }
  return { ok: true, placements };
}

function insertionPoint(n: number, expected: number, floor: number): number | null {
  if (expected < floor) return floor <= n ? floor : null;
  return expected <= n ? expected : null;
}

function search(lines: readonly string[], want: readonly string[], expected: number, floor: number): number | null {
  const last = lines.length - want.length;
  if (last < floor) return null;
  for (const eq of [exact, trailingBlank]) {
    const start = Math.min(Math.max(expected, floor), last);
    // Nearest first, alternating below and above, as `patch` does.
    for (let d = 0; ; d++) {
      const below = start - d;
      const above = start + d;
      if (below < floor && above > last) break;
      if (above <= last && matches(lines, want, above, eq)) return above;
      if (d > 0 && below >= floor && matches(lines, want, below, eq)) return below;
    }
  }
  return null;
}

const exact = (a: string, b: string): boolean => a === b;
// Mail often loses trailing blanks; a hunk differing only there still applies.
const trailingBlank = (a: string, b: string): boolean => a.trimEnd() === b.trimEnd();

function matches(
  lines: readonly string[],
  want: readonly string[],
  at: number,
  eq: (a: string, b: string) => boolean,
): boolean {
  for (let i = 0; i < want.length; i++) if (!eq(lines[at + i]!, want[i]!)) return false;
  return true;
}
