// A patch cut off inside a hunk: the mail (or the mbox holding it) ends before the hunk has the
// lines its header counts. The lines that are there are read; what is missing cannot be, and
// `git apply` / `git am` reject such a patch ("corrupt patch at line N"). Told apart from a hunk
// whose counts merely lie by where the reading stops: at the end of the message (nothing but blank
// lines after), not at a signature, a footer or the next file.
import type { FileDiff } from '../types.js';

export interface Truncation {
  /** The hunk's header as the mail has it, counts as declared. */
  header: string;
  /** Lines the header counts (old + new sides, a context line counting on both) and lines present. */
  declared: { old: number; new: number };
  present: { old: number; new: number };
  /** Post-image line of the last line present, or the hunk's start when none is. */
  lastNewLine: number;
}

/** A FileDiff as diff.ts returns it: with `truncation` only when its last hunk was cut off. */
export interface TruncatedFileDiff extends FileDiff {
  truncation?: Truncation;
}

export function truncationOf(file: FileDiff): Truncation | null {
  return (file as TruncatedFileDiff).truncation ?? null;
}

/** Nothing but blank lines from `i` to the end. */
export function endsAt(lines: readonly string[], i: number): boolean {
  for (let j = i; j < lines.length; j++) if (lines[j]!.trim() !== '') return false;
  return true;
}
