// Reading one hunk's lines by its header's counts. Shared by the patch stage's strict reading
// (patch/diff.ts) and whitespace-damage reading (patch/repair.ts), which differ in one thing:
// whether a line with no diff prefix may be a context line that lost its leading space; and by
// the mail stage, which keeps the decoding of a format=flowed mail that leaves fewer hunks
// broken (mail/message.ts). So it sits below both.

export interface ReadHunk {
  /** content lines, first character + / - / space */
  lines: string[];
  oldCount: number;
  newCount: number;
  /** indexes into `lines` of the lines read as context that had lost their leading space */
  repaired: number[];
  /** old + new lines of the counts not met when the reading stopped */
  left: number;
  /** index of the first line after the hunk (trailing `\ No newline` markers skipped) */
  next: number;
  /** index of the line the reading stopped at, before any markers were skipped */
  stop: number;
}

/**
 * The hunk whose first content line is `lines[start]`. A `\` marker is skipped; a line that
 * no longer fits the counts, or has no diff prefix, ends it — unless `unprefixedAsContext`
 * says whether such a line (at index i) is read as damaged context instead.
 */
export function readHunk(
  lines: readonly string[],
  start: number,
  oldTotal: number,
  newTotal: number,
  unprefixedAsContext: ((i: number) => boolean) | null = null,
): ReadHunk {
  let oldLeft = oldTotal;
  let newLeft = newTotal;
  const out: string[] = [];
  const repaired: number[] = [];
  let i = start;
  while ((oldLeft > 0 || newLeft > 0) && i < lines.length) {
    const l = lines[i]!;
    const c = l[0];
    if (c === '\\') {
      i++;
      continue;
    }
    if (l === '' || c === ' ') {
      if (oldLeft === 0 || newLeft === 0) break;
      out.push(l === '' ? ' ' : l);
      oldLeft--;
      newLeft--;
    } else if (c === '-' && oldLeft > 0) {
      out.push(l);
      oldLeft--;
    } else if (c === '+' && newLeft > 0) {
      out.push(l);
      newLeft--;
    } else if (c !== '-' && c !== '+' && oldLeft > 0 && newLeft > 0 && unprefixedAsContext?.(i)) {
      repaired.push(out.length);
      out.push(' ' + l);
      oldLeft--;
      newLeft--;
    } else break;
    i++;
  }
  const stop = i;
  while (i < lines.length && lines[i]!.startsWith('\\')) i++;
  return {
    lines: out,
    oldCount: oldTotal - oldLeft,
    newCount: newTotal - newLeft,
    repaired,
    left: oldLeft + newLeft,
    next: i,
    stop,
  };
}
