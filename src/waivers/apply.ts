// Applying waivers to the findings of a run: pure. A finding matched by a waiver moves to
// `waived` (reported as such, not counted); a waiver that matched nothing becomes an
// unused-waiver finding.
import { malformedWaiverFinding, meta as UNUSED, unusedWaiverFinding } from './unused.js';
import type { Collection, Finding, Patch, RuleSetting } from '../types.js';
import type { WaivedFinding, WaiverOutcome, WaiverPlace, WaiverSpec } from './types.js';

/** `*` any run within a path segment, `**` any run across segments, `?` one character; else literal. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The patches of these keys (those findings name: a large run has far more patches than findings). */
function patchesOf(collection: Collection, keys: ReadonlySet<string | null>): Map<string, Patch> {
  const out = new Map<string, Patch>();
  for (const s of collection.series)
    for (const p of [...(s.cover ? [s.cover] : []), ...s.patches, ...s.replies]) if (keys.has(p.key)) out.set(p.key, p);
  for (const p of collection.stray) if (keys.has(p.key)) out.set(p.key, p);
  return out;
}

function matches(w: WaiverSpec, f: Finding, patch: Patch | undefined, fileRe: RegExp | null): boolean {
  if (w.rule !== f.rule) return false;
  if (fileRe && (f.file === null || !fileRe.test(f.file))) return false;
  if (w.line !== undefined && f.line !== w.line) return false;
  if (w.patch !== undefined && (!patch || (patch.tags.title !== w.patch && patch.subject !== w.patch))) return false;
  if (w.commit !== undefined) {
    const commit = patch?.message.commit;
    if (!commit || !commit.startsWith(w.commit.toLowerCase())) return false;
  }
  return true;
}

export interface ApplyOptions {
  /** The config's setting for unused-waiver (`off` silences it; a severity overrides). */
  unusedSetting?: RuleSetting;
  /** Note lines that were not waivers (with the commit whose note holds them). */
  malformed?: readonly { origin: string; problem: string; commit?: string }[];
}

/** The patch a commit id (or prefix) was mailed as, with its series' key, or null. */
function patchOfCommit(collection: Collection): (commit: string | undefined) => WaiverPlace | null {
  let index: { commit: string; place: WaiverPlace }[] | null = null;
  return (commit) => {
    if (commit === undefined) return null;
    index ??= [
      ...collection.series.flatMap((s) =>
        [...(s.cover ? [s.cover] : []), ...s.patches].map((patch) => ({ patch, series: s.key })),
      ),
      ...collection.stray.map((patch) => ({ patch, series: null })),
    ].flatMap((place) => (place.patch.message.commit ? [{ commit: place.patch.message.commit, place }] : []));
    const c = commit.toLowerCase();
    return index.find((e) => e.commit.startsWith(c))?.place ?? null;
  };
}

export function applyWaivers(
  collection: Collection,
  findings: readonly Finding[],
  waivers: readonly WaiverSpec[],
  opts: ApplyOptions = {},
): WaiverOutcome {
  // Without waivers no patch is looked at (a large run's series are packed: each walk unpacks them).
  const patches =
    waivers.length > 0 ? patchesOf(collection, new Set(findings.map((f) => f.patchKey))) : new Map<string, Patch>();
  const globs = waivers.map((w) => (w.file !== undefined ? globToRegExp(w.file) : null));
  const used = new Array<boolean>(waivers.length).fill(false);
  const active: Finding[] = [];
  const waived: WaivedFinding[] = [];
  for (const f of findings) {
    const patch = f.patchKey !== null ? patches.get(f.patchKey) : undefined;
    const i = waivers.findIndex((w, k) => matches(w, f, patch, globs[k]!));
    if (i < 0) {
      active.push(f);
      continue;
    }
    used[i] = true;
    waived.push({ ...f, waived: { reason: waivers[i]!.reason, origin: waivers[i]!.origin } });
  }
  const setting = opts.unusedSetting ?? 'on';
  if (setting !== 'off') {
    const severity = setting === 'on' ? UNUSED.severity : setting;
    // A project-wide config waiver about a file or patch this run never saw is not stale, just
    // elsewhere: only waivers in the run's reach are reported unused.
    const checked = [...patches.values()];
    const touched = checked.flatMap((p) => p.files.map((d) => d.newPath ?? d.oldPath ?? '')).filter((x) => x !== '');
    // A waiver for one commit (every git note's) is about that commit's patch: in reach when the
    // run checked that commit, findings or not, and reported under its patch.
    const placeOf = patchOfCommit(collection);
    const inReach = (w: WaiverSpec, re: RegExp | null): boolean =>
      (re === null || touched.some((t) => re.test(t))) &&
      (w.patch === undefined || checked.some((p) => p.tags.title === w.patch || p.subject === w.patch)) &&
      (w.commit === undefined || placeOf(w.commit) !== null);
    waivers.forEach((w, i) => {
      if (!used[i] && inReach(w, globs[i]!)) active.push(unusedWaiverFinding(w, severity, placeOf(w.commit)));
    });
    for (const m of opts.malformed ?? [])
      active.push(malformedWaiverFinding(m.origin, m.problem, severity, placeOf(m.commit)));
  }
  return { findings: active, waived };
}
