// The diff of a patch -> FileDiff[], read the way `git apply` reads it: hunk by hunk by the
// counts each header declares, stopping early where they lie (the rest of the file, a mail
// footer or the next file is never taken into a hunk), with `\ No newline at end of file`
// skipped, rename/copy/mode/binary headers read, quilt and `diff -ru` paths taken as -p1,
// whitespace-damaged hunks repaired (repair.ts) and a hunk cut off by the end of the mail
// recorded (truncated.ts). Those two rest on where a hunk's counts and its lines part ways,
// which a diff library hides (parse-diff reads on until the counts run out, whatever the lines
// are), so the reading is done here.
import type { DiffLine, FileDiff, FileStatus, Hunk } from '../types.js';
import { readHunk } from '../hunk.js';
import { repairHunk, type RepairedFileDiff } from './repair.js';
import { endsAt, type TruncatedFileDiff } from './truncated.js';

interface WalkedHunk {
  oldStart: number;
  newStart: number;
  context: string;
  /** content lines, first character + / - / space (blank lines repaired to ' ') */
  lines: string[];
  oldCount: number;
  newCount: number;
  /** indexes into `lines` of context lines that had lost their leading space (repair.ts) */
  repaired?: number[];
  /** the message ends inside the hunk: the counts its header declares (truncated.ts) */
  cut?: { old: number; new: number };
}

interface Section {
  diffLine: string | null;
  header: string[];
  hunks: WalkedHunk[];
  /** a hunk cut off before its first line: not among `hunks` (it has none), but the file is truncated */
  emptyCut?: WalkedHunk;
}

const EXTENDED =
  /^(old mode |new mode |deleted file mode |new file mode |similarity index |dissimilarity index |rename from |rename to |rename old |rename new |copy from |copy to |index |Binary files |GIT binary patch|--- |\+\+\+ |={5,})/;
const BINARY_DATA = /^((literal|delta) \d+|[A-Za-z][0-9A-Za-z!#$%&()*+;<=>?@^_`{|}~-]*|)$/;
const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

export function isDiffStart(lines: readonly string[], i: number): boolean {
  const l = lines[i]!;
  if (l.startsWith('diff --git ') || l.startsWith('diff -')) return true;
  if (l.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ') && lines[i + 2]?.startsWith('@@ ')) return true;
  return l.startsWith('Index: ') && /^={5,}/.test(lines[i + 1] ?? '');
}

/** Index of the first line that starts a diff, or -1. */
export function findDiffStart(lines: readonly string[], from = 0): number {
  for (let i = from; i < lines.length; i++) {
    const c = lines[i]!.charCodeAt(0);
    // cheap pre-filter: 'd', '-', 'I'
    if ((c === 0x64 || c === 0x2d || c === 0x49) && isDiffStart(lines, i)) return i;
  }
  return -1;
}

/** Walks one hunk by its declared counts, stopping early where the counts lie. */
function walkHunk(lines: readonly string[], i: number, m: RegExpExecArray): { hunk: WalkedHunk; next: number } {
  const oldTotal = m[2] === undefined ? 1 : Number(m[2]);
  const newTotal = m[4] === undefined ? 1 : Number(m[4]);
  const strict = readHunk(lines, i, oldTotal, newTotal);
  // Stopped short at a line without a diff prefix: a whitespace-damaged hunk? (repair.ts)
  const read =
    (strict.left > 0 && strict.stop < lines.length && repairHunk(lines, i, oldTotal, newTotal, strict.left)) || strict;
  // The message ends inside the hunk: its trailing empty lines are the end of the mail, not empty
  // context lines of a hunk that would have gone on.
  const cut = read.left > 0 && endsAt(lines, read.stop);
  let kept = read.lines.length;
  if (cut)
    for (let j = read.stop - 1; j >= i && lines[j] === '' && kept > 0 && read.lines[kept - 1] === ' '; j--) kept--;
  const dropped = read.lines.length - kept;
  const hunk: WalkedHunk = {
    oldStart: Number(m[1]),
    newStart: Number(m[3]),
    context: m[5] ?? '',
    lines: read.lines.slice(0, kept),
    oldCount: read.oldCount - dropped,
    newCount: read.newCount - dropped,
    ...(read.repaired.length > 0 ? { repaired: read.repaired.filter((r) => r < kept) } : {}),
    ...(cut ? { cut: { old: oldTotal, new: newTotal } } : {}),
  };
  return { hunk, next: read.next };
}

/** Splits the diff into sections (one per file) with honest hunks; returns where it ended. */
function walk(lines: readonly string[], start: number): { sections: Section[]; end: number } {
  const sections: Section[] = [];
  let i = start;
  while (i < lines.length && isDiffStart(lines, i)) {
    const first = lines[i]!;
    const section: Section = { diffLine: first.startsWith('diff ') ? first : null, header: [], hunks: [] };
    if (!first.startsWith('diff ')) section.header.push(first);
    i++;
    let binary = false;
    while (i < lines.length) {
      const l = lines[i]!;
      if (l.startsWith('@@ ') || l.startsWith('diff ')) break;
      if (EXTENDED.test(l)) {
        if (l.startsWith('GIT binary patch')) binary = true;
        section.header.push(l);
      } else if (!(binary && BINARY_DATA.test(l))) break;
      i++;
    }
    for (;;) {
      const m = i < lines.length ? HUNK.exec(lines[i]!) : null;
      if (!m) break;
      const { hunk, next } = walkHunk(lines, i + 1, m);
      if (hunk.lines.length) section.hunks.push(hunk);
      else if (hunk.cut) section.emptyCut = hunk;
      i = next;
    }
    sections.push(section);
    // Lines a lying hunk count left over: skip to the next file if there is one.
    if (i < lines.length && !isDiffStart(lines, i)) {
      let j = i;
      while (j < lines.length && !lines[j]!.startsWith('diff --git ')) j++;
      if (j < lines.length) i = j;
      else break;
    }
  }
  return { sections, end: i };
}

// Paths: a git diff (`diff --git` line) names files the way git writes them: with a one-letter
// prefix pair (a/ b/; c/ i/ w/ o/ with diff.mnemonicPrefix; 1/ 2/ with --no-index) or, with
// --no-prefix, none at all, which is why the prefix is judged on the pair, never one path alone.
// Any other diff (quilt's `--- linux.orig/x` / `+++ linux/x`, `diff -ru a b`, `Index:` headers)
// is read as `patch -p1` and `git apply` read it: one leading component off each path.
const GIT_OLD_PREFIX = /^[acio1]\//;
const GIT_NEW_PREFIX = /^[biw2]\//;

function hasGitPrefixes(oldRaw: string | null, newRaw: string | null): boolean {
  const o = oldRaw === null || GIT_OLD_PREFIX.test(oldRaw);
  const n = newRaw === null || GIT_NEW_PREFIX.test(newRaw);
  return o && n && (oldRaw ?? newRaw) !== null && oldRaw?.[0] !== newRaw?.[0];
}

/** One leading component off, as -p1; a path without a directory stays as it is. */
function stripComponent(path: string): string {
  const slash = path.indexOf('/');
  return slash > 0 && slash < path.length - 1 ? path.slice(slash + 1) : path;
}

function unquotePath(p: string): string {
  if (p.length >= 2 && p.startsWith('"') && p.endsWith('"'))
    return p
      .slice(1, -1)
      .replace(/\\(["\\])/g, '$1')
      .replace(/\\t/g, '\t')
      .replace(/\\n/g, '\n');
  return p;
}

// `diff -N` writes a missing side as a file stamped with the epoch instead of /dev/null.
const EPOCH = /\t(1969-12-31|1970-01-01) (\d\d):(\d\d):00(?:\.0+)? ([-+])(\d\d):?(\d\d)$/;
function isEpoch(line: string): boolean {
  const m = EPOCH.exec(line);
  if (!m) return false;
  const local = (m[1] === '1970-01-01' ? 0 : -24 * 60) + Number(m[2]) * 60 + Number(m[3]);
  const zone = (m[4] === '-' ? -1 : 1) * (Number(m[5]) * 60 + Number(m[6]));
  return local - zone === 0;
}

/** `--- a/x\t2020-...` -> 'a/x' (the raw path); /dev/null or an epoch stamp -> null */
function headerPath(line: string): string | null {
  if (isEpoch(line)) return null;
  const p = unquotePath(line.slice(4).replace(/\t.*$/, '').trim());
  return p === '/dev/null' ? null : p;
}

/** `diff --git A B` -> [A, B] as written (prefixes kept); handles spaces when both sides agree. */
function gitLinePaths(line: string): [string, string] | null {
  const s = line.slice('diff --git '.length);
  const q = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(s);
  if (q) return [unquotePath(q[1]!), unquotePath(q[2]!)];
  if (s.length % 2 === 1) {
    const half = (s.length - 1) / 2;
    const o = s.slice(0, half);
    const n = s.slice(half + 1);
    // --no-prefix: the same path twice; prefixed: the same path after a/ and b/
    if (s[half] === ' ' && (o === n || (o.slice(1) === n.slice(1) && o[1] === '/'))) return [o, n];
  }
  const b = s.lastIndexOf(' b/');
  return b > 0 ? [s.slice(0, b), s.slice(b + 1)] : null;
}

interface FileHead {
  oldPath: string | null;
  newPath: string | null;
  status: FileStatus;
  binary: boolean;
  oldMode: string | null;
  newMode: string | null;
}

function readHeader(section: Section): FileHead {
  const git = section.diffLine?.startsWith('diff --git ') ? gitLinePaths(section.diffLine) : null;
  // undefined: the line is absent; null: /dev/null
  let dashOld: string | null | undefined;
  let dashNew: string | null | undefined;
  let renamedFrom: string | undefined;
  let renamedTo: string | undefined;
  let status: FileStatus = 'modified';
  let binary = false;
  let oldMode: string | null = null;
  let newMode: string | null = null;
  for (const h of section.header) {
    let m: RegExpExecArray | null;
    if ((m = /^new file mode (\d+)/.exec(h))) {
      status = 'added';
      newMode = m[1]!;
    } else if ((m = /^deleted file mode (\d+)/.exec(h))) {
      status = 'deleted';
      oldMode = m[1]!;
    } else if ((m = /^old mode (\d+)/.exec(h))) oldMode = m[1]!;
    else if ((m = /^new mode (\d+)/.exec(h))) newMode = m[1]!;
    else if ((m = /^index \S+ (\d+)$/.exec(h))) {
      oldMode ??= m[1]!;
      newMode ??= m[1]!;
    } else if ((m = /^rename (?:from|old) (.*)$/.exec(h))) {
      status = 'renamed';
      renamedFrom = unquotePath(m[1]!);
    } else if ((m = /^rename (?:to|new) (.*)$/.exec(h))) {
      status = 'renamed';
      renamedTo = unquotePath(m[1]!);
    } else if ((m = /^copy from (.*)$/.exec(h))) {
      status = 'copied';
      renamedFrom = unquotePath(m[1]!);
    } else if ((m = /^copy to (.*)$/.exec(h))) {
      status = 'copied';
      renamedTo = unquotePath(m[1]!);
    } else if (h.startsWith('Binary files ') || h.startsWith('GIT binary patch')) binary = true;
    else if (h.startsWith('--- ')) dashOld = headerPath(h);
    else if (h.startsWith('+++ ')) dashNew = headerPath(h);
  }
  let oldPath: string | null;
  let newPath: string | null;
  if (section.diffLine?.startsWith('diff --git ')) {
    // rename/copy lines carry no prefix; the ---/+++ lines win over the diff --git line
    const rawOld = dashOld !== undefined ? dashOld : (git?.[0] ?? null);
    const rawNew = dashNew !== undefined ? dashNew : (git?.[1] ?? null);
    const prefixed = git ? hasGitPrefixes(git[0], git[1]) : hasGitPrefixes(rawOld, rawNew);
    const strip = (p: string | null, prefix: RegExp): string | null =>
      p !== null && prefixed && prefix.test(p) ? p.slice(2) : p;
    oldPath = renamedFrom ?? strip(rawOld, GIT_OLD_PREFIX);
    newPath = renamedTo ?? strip(rawNew, GIT_NEW_PREFIX);
  } else {
    oldPath = dashOld == null ? null : stripComponent(dashOld);
    newPath = dashNew == null ? null : stripComponent(dashNew);
    // As git apply: a changed file has one name, the shorter where one extends the other (x.c.orig, x.c~).
    if (oldPath !== null && newPath !== null) {
      const name = oldPath.length < newPath.length && newPath.startsWith(oldPath) ? oldPath : newPath;
      oldPath = name;
      newPath = name;
    }
  }
  if (status === 'added') oldPath = null;
  if (status === 'deleted') newPath = null;
  // A non-git diff says new/deleted only through /dev/null (or diff -N's epoch stamp).
  if (status === 'modified' && oldPath === null && newPath !== null) status = 'added';
  if (status === 'modified' && newPath === null && oldPath !== null) status = 'deleted';
  return { oldPath, newPath, status, binary, oldMode, newMode };
}

/** The hunk with each line's old and new line numbers, counted from the header's starts. */
function toHunk(walked: WalkedHunk): Hunk {
  let oldLine = walked.oldStart;
  let newLine = walked.newStart;
  const lines = walked.lines.map((l): DiffLine => {
    const text = l.slice(1);
    if (l[0] === '+') return { kind: 'add', text, oldLine: null, newLine: newLine++ };
    if (l[0] === '-') return { kind: 'del', text, oldLine: oldLine++, newLine: null };
    return { kind: 'context', text, oldLine: oldLine++, newLine: newLine++ };
  });
  const header = `@@ -${walked.oldStart},${walked.oldCount} +${walked.newStart},${walked.newCount} @@${walked.context}`;
  return {
    header,
    oldStart: walked.oldStart,
    oldLines: walked.oldCount,
    newStart: walked.newStart,
    newLines: walked.newCount,
    lines,
  };
}

export interface ParsedDiff {
  files: FileDiff[];
  /** index of the first line after the diff */
  end: number;
}

/** Parses the diff starting at `lines[start]`. Never throws on malformed input. */
export function parseDiffLines(lines: readonly string[], start: number): ParsedDiff {
  const { sections, end } = walk(lines, start);
  const heads = sections.map(readHeader);
  const files = sections.map((s, k): FileDiff => {
    const hunks = s.hunks.map(toHunk);
    let damaged = 0;
    let firstNewLine: number | null | undefined;
    s.hunks.forEach((h, j) => {
      for (const k of h.repaired ?? []) {
        damaged++;
        if (firstNewLine === undefined) firstNewLine = hunks[j]!.lines[k]?.newLine ?? null;
      }
    });
    let additions = 0;
    let deletions = 0;
    for (const h of hunks)
      for (const l of h.lines) {
        if (l.kind === 'add') additions++;
        else if (l.kind === 'del') deletions++;
      }
    const file: RepairedFileDiff & TruncatedFileDiff = { ...heads[k]!, hunks, additions, deletions };
    if (damaged > 0) file.whitespaceDamage = { lines: damaged, firstNewLine: firstNewLine ?? null };
    const cutAt = s.hunks.findIndex((h) => h.cut);
    const walked = cutAt >= 0 ? s.hunks[cutAt]! : s.emptyCut;
    if (walked?.cut) {
      const last = cutAt >= 0 ? [...hunks[cutAt]!.lines].reverse().find((l) => l.newLine !== null) : undefined;
      file.truncation = {
        header: `@@ -${walked.oldStart},${walked.cut.old} +${walked.newStart},${walked.cut.new} @@${walked.context}`,
        declared: walked.cut,
        present: { old: walked.oldCount, new: walked.newCount },
        lastNewLine: last?.newLine ?? walked.newStart,
      };
    }
    return file;
  });
  return { files, end };
}

/** Convenience for tests and tools: parse a whole diff text. */
export function parseDiffText(text: string): FileDiff[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = findDiffStart(lines);
  return start < 0 ? [] : parseDiffLines(lines, start).files;
}
