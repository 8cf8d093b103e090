// checkpatch.pl's output shapes, so zdcheck can stand where checkpatch stands: b4's per-patch
// check command (`b4.prep-perpatch-check-cmd`, the patch on stdin, `-q --terse --no-summary
// --mailback --showfile`), editors' and CI scripts' checkpatch parsers. What checkpatch prints
// (scripts/checkpatch.pl of Linux 6.1, run on a patch):
//
//   default   ERROR:TYPE: message            --terse   -:18: ERROR:TYPE: message
//             #18: FILE: mm/a.c:3:           --terse --showfile
//             +<the line>                              mm/a.c:3: ERROR:TYPE: message
//             <blank>                                  :7: WARNING:TYPE: message   (no file)
//             total: 4 errors, 3 warnings, 9 lines checked
//             <blank>
//             mm.patch has style problems, please review.      (not with -q)
//
// TYPE is our rule id (checkpatch prints its types with --show-types). `#N` and `-:N:` are lines
// of the input as read (checkpatch numbers the mail, not the file). info findings have no
// checkpatch level and are left out unless --strict (then CHECK, as checkpatch --strict).
// -q with nothing to say prints nothing; --mailback prints nothing when clean. What the rules could
// not judge from the mail alone (info, so left out without --strict) is one NOTE: line, as
// checkpatch prints its own notes, even with -q and --mailback.
import { bodyLineCount } from '../series/compact.js';
import type { Finding, Patch, Severity } from '../types.js';
import { groupFindings } from './group.js';
import type { ReportInput } from './types.js';
import { visible } from './text.js';

export interface CheckpatchOptions {
  terse?: boolean;
  /** The `total:` line (checkpatch --no-summary turns it off). */
  summary?: boolean;
  showfile?: boolean;
  quiet?: boolean;
  mailback?: boolean;
  strict?: boolean;
  /** The text of an input as read (by the source name messages carry), for input line numbers. */
  rawText?: (source: string) => string | null;
}

const LABEL: Record<Severity, string> = { error: 'ERROR', warning: 'WARNING', info: 'CHECK' };

/** One line, no control characters: b4 judges each output line on its own. */
function oneLine(text: string): string {
  return visible(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\t/g, ' ');
}

/**
 * The line of `lines` (0-based index, or null) holding post-image line `line` of `path`, in
 * the diff of the message that starts at `start` (0-based). Walks `+++` and `@@` lines as
 * checkpatch does.
 */
export function inputLineOf(lines: readonly string[], start: number, path: string, line: number | null): number | null {
  let inFile = false;
  let fileHeader: number | null = null;
  let next: number | null = null;
  for (let i = start; i < lines.length; i++) {
    const l = lines[i]!;
    if (i > start && l.startsWith('From ') && /^From \S+ +\S+ \S+ +\d+ \d+:\d+:\d+ \d{4}/.test(l)) break;
    if (l.startsWith('+++ ')) {
      const name = l.slice(4).replace(/\t.*$/, '');
      inFile = name === `b/${path}` || name === path;
      if (inFile) fileHeader = i;
      next = null;
      continue;
    }
    if (!inFile) continue;
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(l);
    if (hunk) {
      next = Number(hunk[1]);
      continue;
    }
    if (next === null) continue;
    if (l.startsWith('+') || l.startsWith(' ') || l === '') {
      if (line !== null && next === line) return i;
      next++;
    } else if (!l.startsWith('-') && !l.startsWith('\\')) next = null;
  }
  return line === null ? fileHeader : null;
}

interface Located {
  f: Finding;
  source: string;
  /** 1-based line of the input, or null when not known. */
  inputLine: number | null;
  /** The input line's text (the `+...` line checkpatch repeats), or null. */
  text: string | null;
}

function patchIndex(input: ReportInput): Map<string, Patch> {
  const out = new Map<string, Patch>();
  for (const s of input.collection.series)
    for (const p of [...(s.cover ? [s.cover] : []), ...s.patches, ...s.replies]) out.set(p.key, p);
  for (const p of input.collection.stray) out.set(p.key, p);
  return out;
}

export function formatCheckpatch(input: ReportInput, options: CheckpatchOptions = {}): string {
  const opts = {
    terse: false,
    summary: true,
    showfile: false,
    quiet: false,
    mailback: false,
    strict: false,
    ...options,
  };
  const patches = patchIndex(input);
  const texts = new Map<string, string[] | null>();
  const linesOf = (source: string): string[] | null => {
    const known = texts.get(source);
    if (known !== undefined) return known;
    const t = opts.rawText?.(source) ?? null;
    const lines = t === null ? null : t.replace(/\r\n?/g, '\n').split('\n');
    texts.set(source, lines);
    return lines;
  };
  const seriesFirst = new Map<string, Patch>();
  for (const s of input.collection.series) {
    const first = s.cover ?? s.patches[0];
    if (first) seriesFirst.set(s.key, first);
  }

  const findings = groupFindings(input.collection, input.findings, 'location')
    .flatMap((g) => g.findings)
    .filter((f) => f.severity !== 'info' || opts.strict);
  const located: Located[] = findings.map((f) => {
    const patch =
      (f.patchKey !== null ? patches.get(f.patchKey) : undefined) ??
      (f.series !== null ? seriesFirst.get(f.series) : undefined);
    if (!patch) return { f, source: input.collection.unreadable[0]?.origin.source ?? '-', inputLine: null, text: null };
    const { source, line: start } = patch.message.origin;
    const lines = linesOf(source);
    if (!lines || f.file === null) return { f, source, inputLine: start, text: null };
    const at = inputLineOf(lines, start - 1, f.file, f.line);
    // Not found in the diff (a cover letter's diffstat, say): the message's first line.
    return {
      f,
      source,
      inputLine: at === null ? start : at + 1,
      text: at === null || f.line === null ? null : lines[at]!,
    };
  });

  // Info is left out without --strict; what a rule could not judge from the mail alone must still
  // show, or b4's green dot would hide it: one NOTE line (b4 shows any line without ERROR: as a warning).
  const unjudged = opts.strict
    ? []
    : [...new Set(input.findings.filter((f) => f.severity === 'info' && f.notChecked).map((f) => f.rule))];
  const note =
    unjudged.length === 0
      ? null
      : `NOTE: not everything could be checked from the mail alone (${unjudged.join(', ')}); give a base tree with --tree, --strict says what`;

  const out: string[] = [];
  if (opts.mailback && located.length === 0 && note === null) return '';
  for (const { f, source, inputLine, text } of located) {
    const head = `${LABEL[f.severity]}:${f.rule}: ${oneLine(f.message)}`;
    if (opts.terse) {
      let where: string;
      if (opts.showfile && f.file !== null && f.line !== null) where = `${oneLine(f.file)}:${f.line}`;
      // A --git range is read as its `git format-patch --stdout` text: named as checkpatch names a pipe.
      else where = `${opts.showfile ? '' : source.startsWith('git:') ? '-' : source}:${inputLine ?? 0}`;
      out.push(`${where}: ${head}`);
      continue;
    }
    out.push(head);
    if (f.file !== null) {
      const fileLine = `FILE: ${oneLine(f.file)}${f.line !== null ? `:${f.line}` : ''}:`;
      out.push(inputLine !== null ? `#${inputLine}: ${fileLine}` : fileLine);
      if (text !== null) out.push(visible(text));
    }
    out.push('');
  }

  if (note !== null) out.push(note);
  const errors = located.filter((l) => l.f.severity === 'error').length;
  const warnings = located.length - errors;
  const clean = located.length === 0;
  if (opts.summary && !(opts.quiet && clean)) {
    const sources = [...new Set([...patches.values()].map((p) => p.message.origin.source))];
    let checked = 0;
    for (const s of sources) checked += linesOf(s)?.length ?? 0;
    if (checked === 0) for (const p of patches.values()) checked += bodyLineCount(p.message);
    out.push(`total: ${errors} errors, ${warnings} warnings, ${checked} lines checked`);
  }
  // checkpatch --terse ends with the total line; the verdict is for the long form only.
  if (!opts.quiet && !opts.terse) {
    const subjects = input.collection.series
      .flatMap((s) => s.patches)
      .concat(input.collection.stray.filter((p) => p.kind === 'patch'));
    const sources = [...new Set(subjects.map((p) => p.message.origin.source))];
    for (const source of sources) {
      const name =
        source === '-'
          ? `"${oneLine(subjects.find((p) => p.message.origin.source === '-')?.subject ?? '-')}"`
          : oneLine(source);
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
      out.push(
        clean
          ? `${name} has no obvious style problems and is ready for submission.`
          : `${name} has style problems, please review.`,
      );
    }
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}
