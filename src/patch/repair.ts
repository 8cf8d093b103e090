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

export interface RepairedHunk {
  /** content lines, first character + / - / space */
  lines: string[];
  oldCount: number;
  newCount: number;
  /** indexes into `lines` of the lines that were read as damaged context */
  repaired: number[];
  /** index of the first line after the hunk */
  next: number;
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
export function repairHunk(lines: readonly string[], start: number, oldTotal: number, newTotal: number, strictLeft: number): RepairedHunk | null {
  let oldLeft = oldTotal;
  let newLeft = newTotal;
  const out: string[] = [];
  const repaired: number[] = [];
  let i = start;
  while ((oldLeft > 0 || newLeft > 0) && i < lines.length) {
    const l = lines[i]!;
    const c = l[0];
    if (c === '\\') { i++; continue; }
    if (l === '' || c === ' ') {
      if (oldLeft === 0 || newLeft === 0) break;
      out.push(l === '' ? ' ' : l);
      oldLeft--; newLeft--;
    } else if (c === '-' && oldLeft > 0) {
      out.push(l);
      oldLeft--;
    } else if (c === '+' && newLeft > 0) {
      out.push(l);
      newLeft--;
    } else if (c !== '-' && c !== '+' && oldLeft > 0 && newLeft > 0 && !isBoundary(lines, i)) {
      repaired.push(out.length);
      out.push(' ' + l);
      oldLeft--; newLeft--;
    } else break;
    i++;
  }
  while (i < lines.length && lines[i]!.startsWith('\\')) i++;
  if (repaired.length === 0) return null;
  // Damage sits inside the hunk: a change line comes after the first repaired line. Lines read
  // as context only after the last change could as well be text after a hunk whose counts lie.
  let lastChange = out.length - 1;
  while (lastChange >= 0 && out[lastChange]![0] !== '+' && out[lastChange]![0] !== '-') lastChange--;
  if (repaired[0]! > lastChange) return null;
  const left = oldLeft + newLeft;
  const exact = left === 0;
  const closerAtBoundary = left < strictLeft && i < lines.length && isBoundary(lines, i);
  if (!exact && !closerAtBoundary) return null;
  return { lines: out, oldCount: oldTotal - oldLeft, newCount: newTotal - newLeft, repaired, next: i };
}
