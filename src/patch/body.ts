// A message body taken apart: in-body headers, commit message, diffstat, diff, base-commit.
import type { Diffstat, FileDiff } from '../types.js';
import { parseDiffstat } from './diffstat.js';
import { findDiffStart, parseDiffLines } from './diff.js';

export interface BodyParts {
  /** `From:` / `Date:` / `Subject:` lines at the top of the body (git am's in-body headers). */
  inBody: Map<string, string>;
  commitMessage: string;
  diffstat: Diffstat | null;
  files: FileDiff[];
  hasDiff: boolean;
  baseCommit: string | null;
}

const IN_BODY = /^(From|Date|Subject):\s*(.*)$/i;
const BASE_COMMIT = /^base-commit:\s*([0-9a-f]{7,64})\s*$/;

function inBodyHeaders(lines: readonly string[]): { headers: Map<string, string>; next: number } {
  const headers = new Map<string, string>();
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const start = i;
  while (i < lines.length) {
    const m = IN_BODY.exec(lines[i]!);
    if (!m) break;
    headers.set(m[1]!.toLowerCase(), m[2]!.trim());
    i++;
  }
  // In-body headers end with a blank line; anything else was prose starting with "From:".
  if (headers.size === 0 || (i < lines.length && lines[i]!.trim() !== '')) return { headers: new Map(), next: start };
  return { headers, next: i };
}

/** The `---` line that separates the commit message from the notes and diffstat. */
function separatorBefore(lines: readonly string[], from: number, to: number): number {
  for (let i = from; i < to; i++) if (/^---\s*$/.test(lines[i]!)) return i;
  return -1;
}

function signatureBefore(lines: readonly string[], from: number): number {
  for (let i = from; i < lines.length; i++) if (lines[i] === '-- ' || lines[i] === '--') return i;
  return lines.length;
}

export function splitBody(body: string): BodyParts {
  const lines = body.split('\n');
  const { headers: inBody, next } = inBodyHeaders(lines);
  const diffAt = findDiffStart(lines, next);
  if (diffAt < 0) {
    // No diff: a cover letter or plain mail; its diffstat, if any, sits anywhere in the body.
    const sig = signatureBefore(lines, next);
    const text = lines.slice(next, sig);
    return {
      inBody,
      commitMessage: text.join('\n').trim(),
      diffstat: parseDiffstat(text),
      files: [],
      hasDiff: false,
      baseCommit: baseCommitIn(lines, next),
    };
  }
  const sep = separatorBefore(lines, next, diffAt);
  const messageEnd = sep < 0 ? diffAt : sep;
  const { files, end } = parseDiffLines(lines, diffAt);
  return {
    inBody,
    commitMessage: lines.slice(next, messageEnd).join('\n').trim(),
    diffstat: sep < 0 ? null : parseDiffstat(lines.slice(sep + 1, diffAt)),
    files,
    hasDiff: true,
    baseCommit: baseCommitIn(lines, end),
  };
}

function baseCommitIn(lines: readonly string[], from: number): string | null {
  for (let i = from; i < lines.length; i++) {
    const m = BASE_COMMIT.exec(lines[i]!);
    if (m) return m[1]!;
  }
  return null;
}
