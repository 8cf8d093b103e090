// Whitespace-damaged hunks. A mail client that strips leading spaces (or a web archive's copy
// of a mail) leaves every context line of a hunk without its ' ' prefix: read strictly, the
// hunk stops at its first context line and everything after it is lost. checkpatch calls
// such a patch "corrupt", and git am / git apply reject it.
//
// diff.ts walks each hunk strictly first; only when that walk stops short of the hunk's
// counts at a line with no diff prefix does it ask repairHunk for a second reading, in which
// such a line is a context line that lost its leading space. The second reading is kept only
// when a change line (+/-) follows the first line it repaired (a damaged hunk's leading context
// is damaged too; text after a hunk whose counts lie comes after all its changes) and it meets
// the counts exactly, or comes closer to them and stops at the next hunk or file (the lines
// between were this hunk's): a real line after the diff (a mail footer, the signature, the
// next `diff --git`) is never made context. What was repaired is recorded on
// the file (whitespaceDamageOf), for the whitespace-damaged-patch rule.
import type { FileDiff } from '../types.js';
import { readHunk, type ReadHunk } from '../hunk.js';

export interface WhitespaceDamage {
  /** lines read as context lines that had lost their leading space */
  lines: number;
  /** post-image line of the first of them */
  firstNewLine: number | null;
}

/** A FileDiff as diff.ts returns it: with `whitespaceDamage` only when a hunk was repaired. */
export interface RepairedFileDiff extends FileDiff {
  whitespaceDamage?: WhitespaceDamage;
}

export function whitespaceDamageOf(file: FileDiff): WhitespaceDamage | null {
  return (file as RepairedFileDiff).whitespaceDamage ?? null;
}

const HUNK_START = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/;

/** A line that starts the next hunk or file: never part of this hunk. */
function isBoundary(lines: readonly string[], j: number): boolean {
  const l = lines[j]!;
  return HUNK_START.test(l) || l.startsWith('diff ') || (l.startsWith('Index: ') && /^={5,}/.test(lines[j + 1] ?? ''));
}

/**
 * The hunk starting at `lines[start]` (the line after its header) read with unprefixed lines
 * as context; null unless that reading is better than the strict one, which left `strictLeft`
 * lines of the counts unmet.
 */
export function repairHunk(
  lines: readonly string[],
  start: number,
  oldTotal: number,
  newTotal: number,
  strictLeft: number,
): ReadHunk | null {
  const r = readHunk(lines, start, oldTotal, newTotal, (i) => !isBoundary(lines, i));
  if (r.repaired.length === 0) return null;
  // Damage sits inside the hunk: a change line comes after the first repaired line. Lines read
  // as context only after the last change could as well be text after a hunk whose counts lie.
  let lastChange = r.lines.length - 1;
  while (lastChange >= 0 && r.lines[lastChange]![0] !== '+' && r.lines[lastChange]![0] !== '-') lastChange--;
  if (r.repaired[0]! > lastChange) return null;
  const exact = r.left === 0;
  const closerAtBoundary = r.left < strictLeft && r.next < lines.length && isBoundary(lines, r.next);
  return exact || closerAtBoundary ? r : null;
}
