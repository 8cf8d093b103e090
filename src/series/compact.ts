// After its rules ran, a series keeps only what the reports, waivers and --new-only read:
// subjects, keys, tags, authors, origins, commit ids, file paths / status / line counts, and
// of the hunks only the lines a finding points at (--new-only compares the flagged line's
// text). Bodies, the other hunk lines, recipients and threading headers go (X-* headers stay:
// annotations such as X-Expect are read after a run), so a streaming run over a 1 GB mbox
// holds a few hundred bytes per patch, not the mail.
//
// Kept strings are copied: V8 keeps a substring as a slice of its parent, and a file path cut
// from a body line would otherwise hold the whole body alive.
import type { SeriesModelReport } from '../model/run.js';
import type { FileDiff, Finding, MailMessage, Patch, Person, Series } from '../types.js';

/** A flat copy of `s` that holds no larger string alive. */
export function own(s: string): string;
export function own(s: string | null): string | null;
export function own(s: string | null): string | null {
  return s === null || s.length < 13 ? s : (' ' + s).slice(1);
}

const ownPerson = (p: Person | null): Person | null => (p ? { name: own(p.name), address: own(p.address) } : null);

function compactMessage(m: MailMessage, grouped: boolean): MailMessage {
  const headers = new Map<string, readonly string[]>();
  for (const [k, v] of m.headers)
    if (k.startsWith('x-'))
      headers.set(
        k,
        v.map((x) => own(x)),
      );
  return {
    origin: m.origin,
    from: ownPerson(m.from),
    to: [],
    cc: [],
    subject: own(m.subject),
    date: own(m.date),
    messageId: own(m.messageId),
    // Grouping reads the threading headers; once the series is formed nothing does.
    inReplyTo: grouped ? null : own(m.inReplyTo),
    references: grouped ? [] : m.references.map((x) => own(x)),
    body: '',
    bodyLines: bodyLineCount(m),
    headers,
    commit: own(m.commit),
  };
}

/** The lines of a message's body (as `body.split('\n')` counts them), kept when compaction drops the body. */
export function bodyLineCount(m: MailMessage): number {
  if (m.bodyLines !== undefined) return m.bodyLines;
  let n = 1;
  for (let at = m.body.indexOf('\n'); at >= 0; at = m.body.indexOf('\n', at + 1)) n++;
  return n;
}

function compactFile(d: FileDiff, lines: ReadonlySet<number> | undefined): FileDiff {
  return {
    oldPath: own(d.oldPath),
    newPath: own(d.newPath),
    status: d.status,
    binary: d.binary,
    oldMode: own(d.oldMode),
    newMode: own(d.newMode),
    hunks: lines
      ? d.hunks
          .map((h) => ({
            ...h,
            header: own(h.header),
            lines: h.lines
              .filter((l) => l.kind !== 'del' && l.newLine !== null && lines.has(l.newLine))
              .map((l) => ({ ...l, text: own(l.text) })),
          }))
          .filter((h) => h.lines.length > 0)
      : [],
    additions: d.additions,
    deletions: d.deletions,
  };
}

/**
 * Lets a patch's text go, in place (series, reports and findings refer to the same object).
 * `grouped`: its series is formed, so the threading headers can go too.
 */
export function compactPatch(p: Patch, grouped: boolean, keep?: ReadonlyMap<string, ReadonlySet<number>>): void {
  p.key = own(p.key);
  p.message = compactMessage(p.message, grouped);
  p.subject = own(p.subject);
  p.tags = { ...p.tags, prefix: own(p.tags.prefix), title: own(p.tags.title) };
  p.author = ownPerson(p.author);
  p.date = own(p.date);
  p.commitMessage = '';
  p.trailers = [];
  p.diffstat = null;
  p.files = p.files.map((d) => compactFile(d, keep?.get(d.newPath ?? '')));
  p.baseCommit = own(p.baseCommit);
  p.recipients = null;
}

/** The same for every message of a series, keeping the hunk lines its findings flag. */
export function compactSeries(series: Series, findings: readonly Finding[]): void {
  const keep = new Map<string, Map<string, Set<number>>>();
  for (const f of findings) {
    if (f.patchKey === null || f.file === null || f.line === null) continue;
    let byFile = keep.get(f.patchKey);
    if (!byFile) keep.set(f.patchKey, (byFile = new Map<string, Set<number>>()));
    let lines = byFile.get(f.file);
    if (!lines) byFile.set(f.file, (lines = new Set()));
    lines.add(f.line);
  }
  for (const p of [...(series.cover ? [series.cover] : []), ...series.patches, ...series.replies])
    compactPatch(p, true, keep.get(p.key));
  series.key = own(series.key);
  series.title = own(series.title);
}

// Most series change nothing in the model and share their kernel line, delta and summary: one
// copy of each serves them all (reports only read them).
const shared = new Map<string, unknown>();
function intern<T>(value: T): T {
  const key = JSON.stringify(value);
  const hit = shared.get(key);
  if (hit !== undefined) return hit as T;
  const copy = JSON.parse(key) as T;
  if (shared.size < 10_000) shared.set(key, copy);
  return copy;
}

/** A series' model report with its strings copied and its common parts shared. */
export function compactReport(r: SeriesModelReport): SeriesModelReport {
  return {
    series: own(r.series),
    title: own(r.title),
    kernel: intern(r.kernel),
    treeDifferences: intern(r.treeDifferences),
    delta: intern(r.delta),
    obligations: intern(r.obligations),
    summary: intern(r.summary),
    empty: r.empty,
  };
}
