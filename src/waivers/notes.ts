// Waivers kept in git notes on the commit they are about (`git notes --ref=zdcheck add -m ...`),
// one per line:
//
//     waive <rule-id> [file[:line]] -- reason
//
// Blank lines and `#` comments are ignored. A line that is not a waiver waives nothing and is
// reported (as an unused waiver saying why), never silently dropped.
import type { GitReader } from '../git/run.js';
import type { WaiverSpec } from './types.js';

export const NOTES_REF = 'zdcheck';

export interface NoteParse {
  waivers: WaiverSpec[];
  /** Lines that are not waivers: origin, what is wrong, and the commit whose note holds them. */
  malformed: { origin: string; problem: string; commit?: string }[];
}

const LINE = /^waive\s+([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?:\s+(\S+?))?\s+--\s+(\S.*)$/;

export function parseNote(text: string, commit: string): NoteParse {
  const out: NoteParse = { waivers: [], malformed: [] };
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const origin = `git notes (${NOTES_REF}) of ${commit.slice(0, 12)} line ${i + 1}`;
      const m = LINE.exec(line);
      if (!m) {
        out.malformed.push({ origin, problem: 'expected `waive <rule-id> [file[:line]] -- reason`', commit });
        return;
      }
      const w: WaiverSpec = { rule: m[1]!, reason: m[3]!.trim(), commit, origin };
      if (m[2] !== undefined) {
        const at = /^(.*?):(\d+)$/.exec(m[2]);
        if (at && at[1] !== '') {
          w.file = at[1]!;
          w.line = Number(at[2]);
        } else w.file = m[2];
      }
      out.waivers.push(w);
    });
  return out;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** The zdcheck notes of these commits (only commit ids reach git). */
export async function readNoteWaivers(commits: readonly string[], git: GitReader): Promise<NoteParse> {
  const out: NoteParse = { waivers: [], malformed: [] };
  const wanted = new Set(commits.filter((c) => SHA.test(c)));
  if (wanted.size === 0) return out;
  // One `notes list` tells which commits have a note: no git call per commit without one.
  const list = await git(['notes', `--ref=${NOTES_REF}`, 'list']);
  if (!list) return out;
  for (const row of list.split('\n')) {
    const [blob, commit] = row.trim().split(/\s+/);
    if (!blob || !commit || !wanted.has(commit) || !SHA.test(blob)) continue;
    const text = await git(['cat-file', 'blob', blob]);
    if (text === null) continue;
    const parsed = parseNote(text, commit);
    out.waivers.push(...parsed.waivers);
    out.malformed.push(...parsed.malformed);
  }
  return out;
}
