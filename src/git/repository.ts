// The git repository a run has, for what only history can answer (which commit a `Fixes:` id
// names). It is the repository of the `--git` range or the hook, or a `--tree DIR` that is the top
// of a git work tree; a plain directory (a release tarball) or a folder inside some other
// repository is none. Commit ids come from mail, so they are checked to be hex before git sees
// them, and every lookup of a run's series goes through one cache: each id costs git once.
import { realpathSync } from 'node:fs';
import { runGitSync } from './run.js';

export type CommitLookup =
  | { found: true; id: string; subject: string }
  /** `missing`: no commit has this id; `ambiguous`: the prefix names several objects. */
  | { found: false; reason: 'missing' | 'ambiguous' };

export interface Repository {
  /** The work tree's top (shown in messages). */
  readonly dir: string;
  /** A shallow clone lacks old history: an id it does not have may still exist. */
  readonly shallow: boolean;
  /** What each hex id (a prefix of at least 4 digits) names; one git process for those not asked before. */
  commits(ids: readonly string[]): Map<string, CommitLookup>;
}

const HEX = /^[0-9a-f]{4,40}$/i;

/**
 * The repository whose work tree's top is `dir` (with `inside`, any folder of it: a --git range's
 * --repo), or null when `dir` is not one (or git is absent).
 */
export function repositoryAt(dir: string, inside = false): Repository | null {
  const r = runGitSync({ cwd: dir, args: ['rev-parse', '--show-toplevel', '--is-shallow-repository'] });
  if (!r.ok) return null;
  const [top, shallow] = r.stdout.toString('utf8').split('\n');
  if (!top || (!inside && !sameDir(top, dir))) return null;
  return repository(top, shallow === 'true');
}

function sameDir(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    // a path that does not resolve is not the same folder
    return false;
  }
}

function repository(dir: string, shallow: boolean): Repository {
  const cache = new Map<string, CommitLookup>();
  return {
    dir,
    shallow,
    commits(ids) {
      const todo = [...new Set(ids.map((i) => i.toLowerCase()))].filter((i) => HEX.test(i) && !cache.has(i));
      if (todo.length) {
        const r = runGitSync({
          cwd: dir,
          args: ['cat-file', '--batch'],
          input: todo.map((i) => `${i}^{commit}\n`).join(''),
        });
        const answers = r.ok ? parseCommitBatch(r.stdout, todo.length) : [];
        todo.forEach((id, k) => cache.set(id, answers[k] ?? { found: false, reason: 'missing' }));
      }
      const out = new Map<string, CommitLookup>();
      for (const id of ids) {
        const hit = cache.get(id.toLowerCase());
        if (hit) out.set(id, hit);
      }
      return out;
    },
  };
}

/**
 * `git cat-file --batch` answers for `<id>^{commit}` requests: `<sha> commit <size>\n<object>\n`,
 * or `<request> missing` / `<request> ambiguous`. The subject is what git's %s gives: the message's
 * first paragraph, its lines joined by spaces.
 */
export function parseCommitBatch(buf: Buffer, count: number): CommitLookup[] {
  const out: CommitLookup[] = [];
  let at = 0;
  while (out.length < count && at < buf.length) {
    const eol = buf.indexOf(10, at);
    if (eol < 0) break;
    const header = buf.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const m = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(header);
    if (!m) {
      out.push({ found: false, reason: header.endsWith(' ambiguous') ? 'ambiguous' : 'missing' });
      continue;
    }
    const size = Number(m[3]);
    const body = buf.subarray(at, at + size).toString('utf8');
    at += size + 1;
    if (m[2] !== 'commit') {
      out.push({ found: false, reason: 'missing' });
      continue;
    }
    out.push({ found: true, id: m[1]!, subject: subjectOf(body) });
  }
  return out;
}

function subjectOf(commit: string): string {
  const start = commit.indexOf('\n\n');
  if (start < 0) return '';
  const message = commit.slice(start + 2).replace(/^\n+/, '');
  const para = message.split(/\n[ \t]*\n/)[0] ?? '';
  return para
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}
