// Whether a name of the memory-type world exists at a release, as far as the model can say
// without a tree. The model's spans say when a name arrived and left; the releases at which a
// whole tree was read (releases.yaml `observed`) are the points the data was checked against.
// Between two such points, a boundary whose release was not itself read (its fact recalled, or
// its note saying the release is recalled) could lie anywhere: a release there is unknown, and
// a rule that needs it says "not checked" instead of asserting another era's fact.
import { loadModel } from './load.js';
import { identifierHistory } from './query.js';
import type { IdentifierSpan, Model, Release, Replacement } from './types.js';
import { compareReleases, inRange } from './version.js';

export interface Boundary {
  release: Release;
  /** true: the name arrives here; false: it leaves. */
  arrives: boolean;
  /** The release itself was read (a read fact, its note not saying the release is recalled). */
  read: boolean;
  source: string;
}

export interface NameAt {
  name: string;
  kind: IdentifierSpan['kind'];
  /** What the model can say at the release: present, absent, or unknown (a boundary not read lies near). */
  state: 'present' | 'absent' | 'unknown';
  /** Absent (or unknown and absent by the data): `too-new` before it arrives, `gone` after it left. */
  direction: 'too-new' | 'gone' | null;
  /** The arrival or removal that makes it absent, by the data. */
  boundary: Boundary | null;
  /** Releases at which a tree was read and the name was there, and was not, nearest the boundary. */
  seenPresent: Release | null;
  seenAbsent: Release | null;
  /** For unknown: the unread boundaries that make it so. */
  unread: Boundary[];
  replacement: Replacement | null;
  /** Files that define it in some mainline era (for a tree: a tree without any of them says nothing). */
  files: string[];
}

// A boundary's release is read only when the data says so: a fact's range is mostly the release
// someone remembered around what a tree or a posting showed ("end release recalled"), so by default
// only the observed trees bound it. A note saying "start release read" / "end release read" (the
// release itself was read, in the tree of that release or the commit that made the change) lifts that.
const START_READ = /\b(start|since|arrival) release[^;]* read\b/i;
const END_READ = /\b(end|until|removal) release[^;]* read\b/i;

function boundaryRead(span: IdentifierSpan, side: 'since' | 'until'): boolean {
  if (span.confidence !== 'read') return false;
  return (side === 'since' ? START_READ : END_READ).test(`${span.note ?? ''}; ${span.source}`);
}

/** The mainline history of a name as intervals of existence with their boundaries. */
export function boundariesOf(
  name: string,
  model: Model = loadModel(),
): {
  intervals: { since: Release; until: Release | null }[];
  boundaries: Boundary[];
  kind: IdentifierSpan['kind'];
  files: string[];
} | null {
  const spans = identifierHistory(name, model).filter((s) => s.mainline);
  if (spans.length === 0) return null;
  spans.sort((a, b) => compareReleases(a.since, b.since));
  const intervals: { since: Release; until: Release | null; start: IdentifierSpan; end: IdentifierSpan }[] = [];
  for (const s of spans) {
    const last = intervals.at(-1);
    if (last && (last.until === null || compareReleases(s.since, last.until) <= 0)) {
      // Overlapping or abutting spans (a header move) are one stretch of existence.
      if (last.until !== null && (s.until === null || compareReleases(s.until, last.until) > 0)) {
        last.until = s.until;
        last.end = s;
      }
      continue;
    }
    intervals.push({ since: s.since, until: s.until, start: s, end: s });
  }
  const boundaries: Boundary[] = [];
  for (const iv of intervals) {
    boundaries.push({
      release: iv.since,
      arrives: true,
      read: boundaryRead(iv.start, 'since'),
      source: iv.start.source,
    });
    if (iv.until !== null)
      boundaries.push({
        release: iv.until,
        arrives: false,
        read: boundaryRead(iv.end, 'until'),
        source: iv.end.source,
      });
  }
  const files = [...new Set(spans.map((s) => s.where).filter((w): w is string => w !== null))];
  return {
    intervals: intervals.map(({ since, until }) => ({ since, until })),
    boundaries,
    kind: spans[0]!.kind,
    files,
  };
}

/** Observed releases (a whole tree read) before and after `release`, nearest first; `release` itself when observed. */
function around(release: Release, model: Model): { lo: Release | null; hi: Release | null; at: boolean } {
  const obs = model.observed.map((o) => o.release);
  if (obs.includes(release)) return { lo: release, hi: release, at: true };
  const lo = [...obs].reverse().find((r) => compareReleases(r, release) < 0) ?? null;
  const hi = obs.find((r) => compareReleases(r, release) > 0) ?? null;
  return { lo, hi, at: false };
}

/** What the model can say of `name` at `release` (null: a name the model does not know in mainline). */
export function nameAt(name: string, release: Release, model: Model = loadModel()): NameAt | null {
  const h = boundariesOf(name, model);
  if (!h) return null;
  const present = h.intervals.some((iv) => inRange(release, iv));
  const exists = (r: Release) => h.intervals.some((iv) => inRange(r, iv));
  const { lo, hi, at } = around(release, model);
  // A boundary not read, between the observed points either side, could be on either side of the release.
  const unread = at
    ? []
    : h.boundaries.filter(
        (b) =>
          !b.read &&
          (lo === null || compareReleases(b.release, lo) > 0) &&
          (hi === null || compareReleases(b.release, hi) <= 0),
      );
  let boundary: Boundary | null = null;
  let direction: NameAt['direction'] = null;
  if (!present) {
    const next = h.boundaries.find((b) => b.arrives && compareReleases(b.release, release) > 0) ?? null;
    const prev =
      [...h.boundaries].reverse().find((b) => !b.arrives && compareReleases(b.release, release) <= 0) ?? null;
    boundary = prev ?? next;
    direction = prev ? 'gone' : 'too-new';
  }
  const obs = model.observed.map((o) => o.release);
  let seenPresent: Release | null = null;
  let seenAbsent: Release | null = null;
  if (boundary) {
    // Nearest observed points either side of the boundary.
    const at = boundary.release;
    const before = [...obs].reverse().find((r) => compareReleases(r, at) < 0) ?? null;
    const after = obs.find((r) => compareReleases(r, at) >= 0) ?? null;
    const [p, a] = boundary.arrives ? [after, before] : [before, after];
    seenPresent = p !== null && exists(p) ? p : null;
    seenAbsent = a !== null && !exists(a) ? a : null;
  }
  return {
    name,
    kind: h.kind,
    state: unread.length ? 'unknown' : present ? 'present' : 'absent',
    direction,
    boundary,
    seenPresent,
    seenAbsent,
    unread,
    replacement: model.replacements.find((r) => r.name === name) ?? null,
    files: h.files,
  };
}

/**
 * "in 6.17", or, when that release was not itself read, what the trees showed:
 * "in 6.17 (in 6.12, not in 7.2)", "in 6.0 (not in 5.10, in 6.1)".
 */
export function whenText(n: NameAt): string {
  const b = n.boundary;
  if (!b) return '';
  if (b.read) return `in ${b.release}`;
  const before = b.arrives
    ? n.seenAbsent
      ? `not in ${n.seenAbsent}`
      : ''
    : n.seenPresent
      ? `in ${n.seenPresent}`
      : '';
  const after = b.arrives ? (n.seenPresent ? `in ${n.seenPresent}` : '') : n.seenAbsent ? `not in ${n.seenAbsent}` : '';
  const seen = [before, after].filter(Boolean).join(', ');
  return `in ${b.release}${seen ? ` (${seen})` : ''}`;
}
