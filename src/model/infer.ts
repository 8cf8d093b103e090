// Which kernel a series is for: the base tree (its Makefile, else the names it defines), else
// --kernel or the config, else the stable branch a subject names ([PATCH 5.10 012/123]), else
// what the mail says, else what the diffs' context and removed lines show (they exist in the
// base), else the date. Pure: the caller hands in text, never paths.
import { UsageError } from '../errors.js';
import type { Series } from '../types.js';
import { loadModel } from './load.js';
import { identifierHistory, newestRelease } from './query.js';
import type { Model, ReleaseRange } from './types.js';
import {
  clampRelease,
  formatRange,
  intersectRanges,
  parseVersion,
  previousRelease,
  type KernelVersion,
} from './version.js';

export interface DiffEvidenceLine {
  /** Path in the diff. */
  file: string;
  /** Only lines that exist in the base tell about it: context and removed ones. */
  kind: 'context' | 'del';
  text: string;
}

export interface KernelEvidence {
  /** The kernel the run was told (--kernel, the config file's `kernel:`). */
  explicit?: string | null;
  /** Where `explicit` came from, for the reason: `given with --kernel`, `from the config file .zdcheck.yml`. */
  explicitFrom?: string | null;
  /** Text of the base tree's top-level Makefile. */
  makefile?: string | null;
  /** Names of the model's world the base tree defines (its enum, helpers, Kconfig entries): its era when it has no Makefile. */
  treeNames?: string[] | null;
  /** Subject tag groups of the series' messages (`PATCH 5.10 012/123`), each with a label for the reason. */
  subjects?: { label: string; prefix: string }[];
  /** Cover letter and commit messages, each with a label for the reason ("cover letter"). */
  mail?: { label: string; text: string }[];
  diff?: DiffEvidenceLine[];
  /** Identifiers the series itself adds: a later patch's context may show them, which says nothing of the base. */
  seriesAdds?: string[];
  /** When the series was mailed (a Date header), if known. */
  date?: string | null;
}

export type KernelBasis = 'explicit' | 'tree' | 'subject' | 'mail' | 'diff' | 'default';

export interface KernelInference {
  /** The version the model is taken at (the newest release of `range` when inferred). */
  version: KernelVersion;
  /** The releases the evidence allows. */
  range: ReleaseRange;
  basis: KernelBasis;
  /** One sentence for the report: which kernel and why. */
  reason: string;
  /** Evidence that disagreed with the rest and was set aside. */
  conflicts: string[];
  /** With basis 'diff': the mail's date, when it picked the release within the range (else the newest is taken). */
  datedBy?: string | null;
}

/** `VERSION = 6` ... `EXTRAVERSION = -rc5` of a kernel Makefile, as "6.1.4" / "5.3-rc5"; null if absent. */
export function versionFromMakefile(text: string): string | null {
  const field = (name: string) => new RegExp(`^${name}\\s*=[ \\t]*(\\S*)[ \\t]*$`, 'm').exec(text)?.[1] ?? null;
  const major = field('VERSION');
  const minor = field('PATCHLEVEL');
  if (!major || !minor || !/^\d+$/.test(major) || !/^\d+$/.test(minor)) return null;
  const sub = field('SUBLEVEL');
  const extra = field('EXTRAVERSION') ?? '';
  return `${major}.${minor}${sub && sub !== '0' ? `.${sub}` : ''}${extra}`;
}

const VERSION_TOKEN = String.raw`(next-\d{8}|v?\d+\.\d+(?:\.\d+)?(?:-rc\d+)?)`;
const PHRASE = new RegExp(
  String.raw`\b(?:based\s+on|on\s+top\s+of|against|applies\s+(?:cleanly\s+)?(?:to|on)|rebased\s+(?:on(?:to)?|to)|tested\s+on)\s+` +
    String.raw`(?:(?:the\s+)?(?:linux-next|mainline|linus'?s?(?:\s+tree)?|upstream|kernel|linux|tag|tree|release)\s+)*(?:\(?\s*)` +
    VERSION_TOKEN +
    String.raw`(?![\w-]|\.\d)`,
  'gi',
);
const BARE_NEXT = /\b(next-\d{8})\b/g;

/** Versions a mail names as its base: phrases first ("on top of v5.2-rc5"), then bare next- tags. */
export function versionsFromMail(text: string): { version: string; phrase: string }[] {
  const found: { version: string; phrase: string }[] = [];
  for (const m of text.matchAll(PHRASE)) found.push({ version: m[1]!, phrase: m[0].replace(/\s+/g, ' ').trim() });
  if (found.length === 0) for (const m of text.matchAll(BARE_NEXT)) found.push({ version: m[1]!, phrase: m[1]! });
  return found;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

// The stable branch a subject's tags name: `PATCH 5.10`, `PATCH 6.1.y`, `PATCH stable 6.6`,
// `PATCH 5.15 012/123` (the stable review series), `PATCH AUTOSEL 6.12 01/10`, `PATCH v2 6.6.y`,
// `PATCH stable-5.10`, `5.4-stable`, `linux-6.1.y`. A version tag (`v2`) has no dot and is not one.
const STABLE_TOKEN = /^(?:stable[-/]?|linux-)?v?(\d+\.\d+)(?:\.y|\.\d+)?(?:-stable|-y)?$/i;

/** The stable branch named in a subject's tags (`PATCH 5.15 012/123` -> `5.15`), or null. */
export function stableFromPrefix(prefix: string): { branch: string; token: string } | null {
  const tokens = prefix.split(/[\s,[\]]+/).filter(Boolean);
  for (const t of tokens) {
    const m = STABLE_TOKEN.exec(t);
    // A first digit of 2 or 3 is a 2.6/3.x branch; anything from 3 up is a kernel branch, and an
    // N/M part count has a slash, so it never matches.
    if (m && Number(m[1]!.split('.')[0]) >= 3 && Number(m[1]!.split('.')[0]) < 20) return { branch: m[1]!, token: t };
  }
  return null;
}

interface Clue {
  name: string;
  file: string;
  kind: 'context' | 'del';
  range: ReleaseRange;
}

/** Identifiers the model knows, in base lines, each with the releases it existed in. */
function cluesFromDiff(lines: readonly DiffEvidenceLine[], ignore: ReadonlySet<string>, model: Model): Clue[] {
  const clues = new Map<string, Clue>();
  for (const line of lines) {
    for (const m of line.text.matchAll(IDENT)) {
      const name = m[0].startsWith('CONFIG_') ? m[0].slice(7) : m[0];
      // Most words are no name of the model: a lookup, not a history, decides that.
      if (!model.index.has(name) || clues.has(name) || ignore.has(name)) continue;
      const spans = identifierHistory(name, model).filter((s) => s.mainline && s.kind !== 'member');
      if (spans.length === 0) continue;
      // The hull of the spans: an identifier that moved header still existed throughout.
      const since = spans[0]!.since;
      const ends = spans.flatMap((s) => (s.until === null ? [] : [s.until]));
      const until = ends.length < spans.length ? null : ends.sort((a, b) => cmp(b, a))[0]!;
      clues.set(name, { name, file: line.file, kind: line.kind, range: { since, until } });
    }
  }
  return [...clues.values()];
}

const cmp = (a: string, b: string) => {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
};

function lastReleaseOf(range: ReleaseRange, model: Model): string {
  if (range.until === null) return newestRelease(model);
  return previousRelease(range.until, model.releases) ?? range.since;
}

/** The newest release out on a mail's date (releases with known dates only), or null. */
function releaseOutOn(date: string | null | undefined, model: Model): { day: string; release: string } | null {
  if (!date || Number.isNaN(Date.parse(date))) return null;
  const day = new Date(Date.parse(date)).toISOString().slice(0, 10);
  const out = model.releases.filter((r) => r.date !== null && r.date !== undefined && r.date <= day);
  const last = out[out.length - 1];
  // A date after the last dated release says nothing the newest model does not.
  return last && last !== model.releases.filter((r) => r.date).at(-1) ? { day, release: last.version } : null;
}

/**
 * Within what the diff allows, the release nearest the one out when the series was mailed: the
 * diff may show material merged a few releases later (a series on -mm or linux-next), so a range
 * starting after it is kept, but only up to three releases on; further than that, the date is wrong.
 */
function pickByDate(range: ReleaseRange, dated: { release: string }, model: Model): string | null {
  const out = indexOf(dated.release, model);
  const since = indexOf(range.since, model);
  const last = indexOf(lastReleaseOf(range, model), model);
  if (since > out + 3 || last < out) return since > out + 3 ? null : model.releases[last]!.version;
  return model.releases[Math.max(since, out)]!.version;
}

function parseOrNull(text: string, model: Model): KernelVersion | null {
  return parseVersion(text, model.releases, model.mergeWindowDays);
}

/** A release the model lists, as a version: every one of them parses. */
function releaseVersion(release: string, model: Model): KernelVersion {
  const v = parseOrNull(release, model);
  if (!v) throw new Error(`internal: the model's release ${release} does not parse as a kernel version`);
  return v;
}

const whole = (v: KernelVersion): ReleaseRange => ({ since: v.release, until: null });

/**
 * Decides which kernel the series is for, from the strongest evidence present. A bad
 * --kernel is a UsageError; unreadable tree or mail versions fall through to the next source.
 */
export function inferKernel(evidence: KernelEvidence, model: Model = loadModel()): KernelInference {
  const conflicts: string[] = [];
  const exact = (given: KernelVersion, basis: KernelBasis, reason: string): KernelInference => {
    // A kernel newer than zdcheck's last release is read as that release's era, and says so.
    const { release, newerThan } = clampRelease(given.release, model.releases);
    const v = newerThan === null ? given : { ...given, release };
    const note =
      newerThan === null
        ? ''
        : `; newer than ${newerThan}, the last release zdcheck knows, so it is read as ${newerThan}`;
    return {
      version: v,
      range: { since: v.release, until: nextRelease(v.release, model) },
      basis,
      reason: reason + note,
      conflicts,
    };
  };

  // A --kernel that cannot be read is a usage error even when the tree decides.
  const given = evidence.explicit ? parseOrNull(evidence.explicit, model) : null;
  if (evidence.explicit && !given)
    throw new UsageError(
      `--kernel: cannot read '${evidence.explicit}' as a kernel version (for example 6.1, v5.3-rc5, 6.1.4 or next-20170411)`,
    );
  // The base tree decides: it is the kernel the series is applied to, whatever anyone says of it.
  if (evidence.makefile) {
    const text = versionFromMakefile(evidence.makefile);
    const v = text ? parseOrNull(text, model) : null;
    if (v) {
      if (given && given.release !== v.release)
        conflicts.push(`kernel ${given.text} (${evidence.explicitFrom ?? 'given'}): the base tree is ${v.text}`);
      return exact(v, 'tree', `kernel ${v.text} (from the base tree's Makefile)`);
    }
    conflicts.push('the base tree Makefile carries no VERSION/PATCHLEVEL');
  }
  if (evidence.treeNames?.length) {
    const range = rangeOfNames(evidence.treeNames, model);
    if (range) {
      const v = releaseVersion(lastReleaseOf(range.range, model), model);
      if (given && given.release !== v.release)
        conflicts.push(
          `kernel ${given.text} (${evidence.explicitFrom ?? 'given'}): the base tree defines ${range.names.join(' and ')}`,
        );
      return {
        version: v,
        range: range.range,
        basis: 'tree',
        conflicts,
        reason: `kernel ${formatRange(range.range, model.releases)} inferred from what the base tree defines (${range.names.join(' and ')})`,
      };
    }
  }
  if (given) return exact(given, 'explicit', `kernel ${given.text} (${evidence.explicitFrom ?? 'given'})`);
  // A backport is for the branch its subject names, whatever its date or its diff suggest.
  for (const { label, prefix } of evidence.subjects ?? []) {
    const found = stableFromPrefix(prefix);
    const v = found ? parseOrNull(found.branch, model) : null;
    if (v) return exact(v, 'subject', `kernel ${v.release} from "[${prefix}]" in the subject of ${label}`);
  }
  for (const { label, text } of evidence.mail ?? []) {
    for (const found of versionsFromMail(text)) {
      const v = parseOrNull(found.version, model);
      if (!v) continue;
      const mapped = v.nextDate ? ` (linux-next then carried ${v.release} material)` : '';
      return exact(v, 'mail', `kernel ${v.release} from "${found.phrase}" in the ${label}${mapped}`);
    }
  }
  const clues = cluesFromDiff(evidence.diff ?? [], new Set(evidence.seriesAdds ?? []), model);
  if (clues.length > 0) {
    // Most telling first: the narrowest ranges decide, a clue that contradicts them is set aside.
    const width = (r: ReleaseRange) => (r.until === null ? 1e9 : indexOf(r.until, model) - indexOf(r.since, model));
    clues.sort((a, b) => width(a.range) - width(b.range));
    let range: ReleaseRange = { since: model.releases[0]!.version, until: null };
    const used: Clue[] = [];
    for (const c of clues) {
      const next = intersectRanges(range, c.range);
      if (next === null) {
        conflicts.push(`${c.name} (${formatRange(c.range, model.releases)}) in ${c.file}`);
        continue;
      }
      if (next.since !== range.since || next.until !== range.until) used.push(c);
      range = next;
    }
    if (used.length > 0) {
      const dated = releaseOutOn(evidence.date, model);
      const picked = dated ? pickByDate(range, dated, model) : null;
      if (dated && !picked) conflicts.push(`the series' date (${dated.day}: ${dated.release} was out)`);
      const release = picked ?? lastReleaseOf(range, model);
      const v = releaseVersion(release, model);
      // Two clues at most, one mention of a place they share: "A and B in context lines of memremap.h".
      const where = (c: Clue) => `${c.kind === 'del' ? 'removed' : 'context'} lines of ${c.file}`;
      const two = used.slice(0, 2);
      const named =
        two.length === 2 && where(two[0]!) === where(two[1]!)
          ? `${two[0]!.name} and ${two[1]!.name} in ${where(two[0]!)}`
          : two.map((c) => `${c.name} in ${where(c)}`).join(' and ');
      return {
        version: v,
        range,
        basis: 'diff',
        reason: `kernel ${formatRange(range, model.releases)} inferred from ${named}`,
        conflicts,
        datedBy: picked && dated ? `the series' date (${dated.day}: ${dated.release} was out)` : null,
      };
    }
  }
  const dated = releaseOutOn(evidence.date, model);
  if (dated) {
    const v = releaseVersion(dated.release, model);
    return {
      version: v,
      range: whole(v),
      basis: 'default',
      reason: `no kernel version found; the model of ${v.release} is used, the release out when the series was mailed (${dated.day})`,
      conflicts,
    };
  }
  const v = releaseVersion(newestRelease(model), model);
  return {
    version: v,
    range: whole(v),
    basis: 'default',
    reason: `no kernel version found; the model of ${v.release} (the newest it knows) is used`,
    conflicts,
  };
}

/** The releases in which every one of `names` existed (mainline), and the two that narrowed it most; null when none is known. */
function rangeOfNames(names: readonly string[], model: Model): { range: ReleaseRange; names: string[] } | null {
  const clues = cluesFromDiff(
    names.map((text) => ({ file: '', kind: 'context' as const, text })),
    new Set(),
    model,
  );
  const width = (r: ReleaseRange) => (r.until === null ? 1e9 : indexOf(r.until, model) - indexOf(r.since, model));
  clues.sort((a, b) => width(a.range) - width(b.range));
  let range: ReleaseRange = { since: model.releases[0]!.version, until: null };
  const used: string[] = [];
  for (const c of clues) {
    const next = intersectRanges(range, c.range);
    if (next === null) continue;
    if (next.since !== range.since || next.until !== range.until) used.push(c.name);
    range = next;
  }
  return used.length ? { range, names: used.slice(0, 2) } : null;
}

function indexOf(release: string, model: Model): number {
  const i = model.releases.findIndex((r) => r.version === release);
  return i < 0 ? model.releases.length : i;
}

function nextRelease(release: string, model: Model): string | null {
  const i = model.releases.findIndex((r) => r.version === release);
  return i >= 0 ? (model.releases[i + 1]?.version ?? null) : null;
}

/** The evidence a series carries by itself: cover letter, commit messages, base lines of its diffs. */
function namesModel(text: string, model: Model): boolean {
  for (const m of text.matchAll(IDENT))
    if (model.index.has(m[0].startsWith('CONFIG_') ? m[0].slice(7) : m[0])) return true;
  return false;
}

export function evidenceFromSeries(
  series: Series,
  model: Model = loadModel(),
  readDiff = true,
): Pick<KernelEvidence, 'mail' | 'diff' | 'seriesAdds' | 'date' | 'subjects'> {
  const mail: { label: string; text: string }[] = [];
  if (series.cover)
    mail.push({
      label: 'cover letter',
      text: `${series.cover.subject}\n${series.cover.commitMessage}\n${series.cover.message.body}`,
    });
  for (const p of series.patches) mail.push({ label: `commit message of "${p.subject}"`, text: p.commitMessage });
  const diff: DiffEvidenceLine[] = [];
  const added = new Set<string>();
  for (const p of readDiff ? series.patches : [])
    for (const f of p.files)
      for (const h of f.hunks)
        for (const l of h.lines) {
          if (l.kind !== 'add') {
            // A base line without a name of the model is no clue (cluesFromDiff): not kept.
            if (namesModel(l.text, model))
              diff.push({
                file: f.oldPath ?? f.newPath ?? '',
                kind: l.kind === 'del' ? 'del' : 'context',
                text: l.text,
              });
          } else
            for (const m of l.text.matchAll(IDENT)) {
              // Only the model's names can be clues, so only they need setting aside.
              const name = m[0].startsWith('CONFIG_') ? m[0].slice(7) : m[0];
              if (model.index.has(name)) added.add(name);
            }
        }
  const date =
    [series.cover, ...series.patches]
      .map((p) => p?.date ?? null)
      .find((d) => d !== null && !Number.isNaN(Date.parse(d))) ?? null;
  const subjects = [series.cover, ...series.patches]
    .filter((p): p is NonNullable<typeof p> => p !== null && p !== undefined && p.tags.prefix !== '')
    .map((p) => ({ label: p === series.cover ? 'the cover letter' : `"${p.tags.title}"`, prefix: p.tags.prefix }));
  return { mail, diff, seriesAdds: [...added], date, subjects };
}
