// What the syntax readers need of a text: its lines, the stretches that read as one text, and
// which lines a patch added. A series' FileImage is one; a base tree's file read on its own
// (the model's facts about the tree) is another, with no patch and nothing added.
import type { FileImage, Segment } from '../source/types.js';

export type SourceText = Pick<FileImage, 'path' | 'lines' | 'segments' | 'addedHere' | 'text'>;

/** A whole file's text as one segment, no line of it added. */
export function wholeText(path: string, text: string): SourceText {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const segments: Segment[] = lines.length ? [{ start: 0, end: lines.length, hunk: null }] : [];
  return { path, lines, segments, addedHere: () => false, text: () => lines.join('\n') };
}
