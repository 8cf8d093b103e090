// Findings grouped the way a reader walks a series: input-level findings, then per series
// its series-level findings, the cover letter, and each patch in order. Used by the text
// report and the GitHub step summary so both read alike.
import { SEVERITY_RANK, type Collection, type Finding, type Patch } from '../types.js';

export interface FindingGroup {
  kind: 'input' | 'series' | 'patch';
  /** What the reader sees as the group's heading (a patch subject, a series title). */
  heading: string;
  findings: Finding[];
}

function seriesHeading(title: string, version: number, patches: number): string {
  const v = version > 1 ? `v${version}, ` : '';
  return `series "${title}" (${v}${patches} patch${patches === 1 ? '' : 'es'})`;
}

/**
 * Within a group: `severity` puts errors first, then warnings, then info (what must be fixed
 * before what may be), each by location; `location` keeps the order of the lines, as
 * checkpatch.pl walks a patch.
 */
export type GroupOrder = 'severity' | 'location';

export function groupFindings(
  collection: Collection,
  findings: readonly Finding[],
  order: GroupOrder = 'severity',
): FindingGroup[] {
  const byKey = new Map<string, FindingGroup>();
  const keys: string[] = [];
  const groupOf = (key: string, make: () => FindingGroup): FindingGroup => {
    let g = byKey.get(key);
    if (!g) {
      g = make();
      byKey.set(key, g);
    }
    return g;
  };
  // Fix the order from the collection first, so groups follow the series, not the rules.
  const patchHeading = (p: Patch) => p.subject || p.key;
  const keyOf = (f: Finding) => (f.patchKey !== null ? `p:${f.patchKey}` : f.series !== null ? `s:${f.series}` : 'i');
  // Only the series and patches findings name (a 1 GB mbox has 380,000 others).
  const wanted = new Set(findings.map(keyOf));
  keys.push('i');
  for (const s of collection.series) {
    if (wanted.has(`s:${s.key}`)) keys.push(`s:${s.key}`);
    const members = [...(s.cover ? [s.cover] : []), ...s.patches, ...s.replies];
    for (const p of members) if (wanted.has(`p:${p.key}`)) keys.push(`p:${p.key}`);
  }
  const known = new Map<string, () => FindingGroup>();
  known.set('i', () => ({ kind: 'input', heading: 'input', findings: [] }));
  for (const s of collection.series) {
    if (wanted.has(`s:${s.key}`))
      known.set(`s:${s.key}`, () => ({
        kind: 'series',
        heading: seriesHeading(s.title, s.version, s.patches.length),
        findings: [],
      }));
    for (const p of [...(s.cover ? [s.cover] : []), ...s.patches, ...s.replies]) {
      if (wanted.has(`p:${p.key}`))
        known.set(`p:${p.key}`, () => ({ kind: 'patch', heading: patchHeading(p), findings: [] }));
    }
  }
  for (const p of collection.stray) {
    if (wanted.has(`p:${p.key}`) && !known.has(`p:${p.key}`)) {
      keys.push(`p:${p.key}`);
      known.set(`p:${p.key}`, () => ({ kind: 'patch', heading: patchHeading(p), findings: [] }));
    }
  }
  for (const f of findings) {
    const key = keyOf(f);
    const make =
      known.get(key) ??
      (() => ({
        kind: f.patchKey !== null ? ('patch' as const) : f.series !== null ? ('series' as const) : ('input' as const),
        heading: f.patch ?? (f.series !== null ? `series ${f.series}` : 'input'),
        findings: [],
      }));
    if (!known.has(key)) {
      known.set(key, make);
      keys.push(key);
    }
    groupOf(key, make).findings.push(f);
  }
  const groups: FindingGroup[] = [];
  const emitted = new Set<string>();
  const sort = order === 'severity' ? sortBySeverity : sortByLocation;
  for (const key of keys) {
    if (emitted.has(key)) continue;
    emitted.add(key);
    const g = byKey.get(key);
    if (g && g.findings.length > 0) groups.push({ ...g, findings: sort(g.findings) });
  }
  return groups;
}

/** Errors, then warnings, then info; by location within each. */
export function sortBySeverity(findings: readonly Finding[]): Finding[] {
  const located = sortByLocation(findings).map((f, rank) => ({ f, rank }));
  return located
    .sort((a, b) => SEVERITY_RANK[b.f.severity] - SEVERITY_RANK[a.f.severity] || a.rank - b.rank)
    .map(({ f }) => f);
}

/** Findings without a file first (they are about the mail), then by file and line; stable otherwise. */
export function sortByLocation(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => {
      const fa = a.f.file,
        fb = b.f.file;
      if (fa !== fb) {
        if (fa === null) return -1;
        if (fb === null) return 1;
        return fa < fb ? -1 : 1;
      }
      const la = a.f.line ?? 0,
        lb = b.f.line ?? 0;
      return la !== lb ? la - lb : a.i - b.i;
    })
    .map((x) => x.f);
}
