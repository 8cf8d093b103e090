// Kernel version strings: "4.14", "v5.3-rc5", "6.1.4", "next-20170411". A version maps to
// the release line whose model facts apply: an -rc of 5.3 already carries 5.3's merge
// window, so it is 5.3; a linux-next tag carries what is queued for the next merge window.
import type { Release, ReleaseDate, ReleaseRange } from './types.js';

export interface KernelVersion {
  /** As given (trimmed). */
  text: string;
  /** The release line whose facts apply. */
  release: Release;
  sublevel: number;
  rc: number | null;
  /** YYYYMMDD of a linux-next tag, else null. */
  nextDate: string | null;
}

const RELEASE_RE = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-rc(\d+))?(?:[-+~][\w.+~-]*)?$/i;
const NEXT_RE = /^next-(\d{4})(\d{2})(\d{2})$/;

export function compareReleases(a: Release, b: Release): number {
  return releaseRank(a) - releaseRank(b);
}

// Building a model view compares releases tens of thousands of times, over a few hundred strings.
const ranks = new Map<string, number>();
function releaseRank(r: Release): number {
  let rank = ranks.get(r);
  if (rank === undefined) {
    const [major = 0, minor = 0] = r.split('.').map(Number);
    rank = major * 100_000 + minor;
    if (ranks.size < 10_000) ranks.set(r, rank);
  }
  return rank;
}

/** Full comparison: release line, then -rc before the release, then stable sublevel. */
export function compareVersions(a: KernelVersion, b: KernelVersion): number {
  const byRelease = compareReleases(a.release, b.release);
  if (byRelease) return byRelease;
  const rank = (v: KernelVersion) => (v.nextDate !== null ? -1 : (v.rc ?? Number.MAX_SAFE_INTEGER));
  return rank(a) - rank(b) || a.sublevel - b.sublevel || (a.nextDate ?? '').localeCompare(b.nextDate ?? '');
}

export function inRange(release: Release, range: ReleaseRange): boolean {
  return (
    compareReleases(range.since, release) <= 0 && (range.until === null || compareReleases(release, range.until) < 0)
  );
}

/** The linux-next tag's release: the one whose merge window its content is queued for. */
export function releaseForNextDate(
  date: string,
  releases: readonly ReleaseDate[],
  mergeWindowDays: number,
): Release | null {
  const day = Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(day)) return null;
  let lastIndex = -1;
  releases.forEach((r, i) => {
    if (r.date !== null && Date.parse(`${r.date}T00:00:00Z`) <= day) lastIndex = i;
  });
  if (lastIndex < 0) return null;
  const last = releases[lastIndex]!;
  const sinceRelease = (day - Date.parse(`${last.date}T00:00:00Z`)) / 86_400_000;
  // In the merge window after X, linux-next's content is being merged for X+1; after
  // X+1-rc1 it is queued for X+2.
  const ahead = sinceRelease <= mergeWindowDays ? 1 : 2;
  return releases[lastIndex + ahead]?.version ?? null;
}

/**
 * Parses a version string; null when it is not one. A linux-next tag needs the release
 * table to be placed; without a match in it the result is null.
 */
export function parseVersion(
  text: string,
  releases: readonly ReleaseDate[] = [],
  mergeWindowDays = 14,
): KernelVersion | null {
  const t = text.trim();
  const next = NEXT_RE.exec(t);
  if (next) {
    const date = `${next[1]}${next[2]}${next[3]}`;
    const release = releaseForNextDate(date, releases, mergeWindowDays);
    return release === null ? null : { text: t, release, sublevel: 0, rc: null, nextDate: date };
  }
  const m = RELEASE_RE.exec(t);
  if (!m) return null;
  return {
    text: t,
    release: `${Number(m[1])}.${Number(m[2])}`,
    sublevel: m[3] === undefined ? 0 : Number(m[3]),
    rc: m[4] === undefined ? null : Number(m[4]),
    nextDate: null,
  };
}

/**
 * A release newer than the last one the table lists (zdcheck older than the kernel) is read
 * as the last one: its facts are the newest zdcheck has. Returns the release to use and,
 * when it was moved, the listed release it was moved to.
 */
export function clampRelease(
  release: Release,
  releases: readonly ReleaseDate[],
): { release: Release; newerThan: Release | null } {
  const last = releases[releases.length - 1]?.version;
  if (last === undefined || compareReleases(release, last) <= 0) return { release, newerThan: null };
  return { release: last, newerThan: last };
}

/** The release before `release` in the table (4.20 before 5.0), or null. */
export function previousRelease(release: Release, releases: readonly ReleaseDate[]): Release | null {
  const i = releases.findIndex((r) => r.version === release);
  if (i > 0) return releases[i - 1]!.version;
  if (i === 0) return null;
  const [major = 0, minor = 0] = release.split('.').map(Number);
  return minor > 0 ? `${major}.${minor - 1}` : null;
}

/** "4.14–4.17", "6.0 or later", "4.14" for a range of releases. */
export function formatRange(range: ReleaseRange, releases: readonly ReleaseDate[]): string {
  if (range.until === null) return `${range.since} or later`;
  const last = previousRelease(range.until, releases) ?? range.until;
  return last === range.since ? range.since : `${range.since}–${last}`;
}

/** Intersection of two ranges, or null when they do not overlap. */
export function intersectRanges(a: ReleaseRange, b: ReleaseRange): ReleaseRange | null {
  const since = compareReleases(a.since, b.since) >= 0 ? a.since : b.since;
  let until: Release | null;
  if (a.until === null) until = b.until;
  else if (b.until === null) until = a.until;
  else until = compareReleases(a.until, b.until) <= 0 ? a.until : b.until;
  return until !== null && compareReleases(since, until) >= 0 ? null : { since, until };
}

/** Smallest single range covering all of them (null for none). */
export function hullOf(ranges: readonly ReleaseRange[]): ReleaseRange | null {
  let hull: ReleaseRange | null = null;
  for (const r of ranges) {
    if (hull === null) hull = { since: r.since, until: r.until };
    else {
      const since: Release = compareReleases(r.since, hull.since) < 0 ? r.since : hull.since;
      const until: Release | null =
        hull.until === null || r.until === null
          ? null
          : compareReleases(r.until, hull.until) > 0
            ? r.until
            : hull.until;
      hull = { since, until };
    }
  }
  return hull;
}
