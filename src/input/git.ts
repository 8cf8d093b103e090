// `--git <range>`: the commits of a range become the mail a developer would send, made by
// `git format-patch`, so the rest of the pipeline treats them exactly like a mbox. The range
// is user input (and in the Action, a branch name from anyone): it is parsed and checked here,
// resolved to commit ids, and only hex ids reach the format-patch command line.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { gitError, runGit } from '../git/run.js';
import type { InputSpec } from './types.js';

export interface RevisionRange {
  /** Left side; for a single revision R this is R (the range is R..HEAD, as format-patch reads it). */
  from: string;
  to: string;
  /** `A...B`: the commits of B since its merge base with A. */
  symmetric: boolean;
}

// A revision as people type them: refs, ids, `HEAD~3`, `v6.8^`, `@{u}`, `HEAD@{upstream}`.
// Never a leading '-' (it would be an option), no ':' (paths), no whitespace or control chars.
const REVISION = /^(?!-)[A-Za-z0-9_@][A-Za-z0-9_./+~^@{}-]*$/;

function checkRevision(rev: string, range: string): string {
  if (!REVISION.test(rev) || rev.includes('..') || rev.endsWith('.lock') || rev.includes('@{-')) {
    throw new UsageError(`--git ${JSON.stringify(range)}: ${JSON.stringify(rev)} is not a revision`);
  }
  return rev;
}

/** `A..B`, `A...B`, `A..` / `..B` (HEAD on the empty side), or one revision R meaning R..HEAD. */
export function parseRange(range: string): RevisionRange {
  if (range === '') throw new UsageError('--git: empty range');
  const symmetric = range.includes('...');
  const parts = range.split(symmetric ? '...' : '..');
  if (parts.length > 2) throw new UsageError(`--git ${JSON.stringify(range)}: expected A..B, A...B or one revision`);
  if (parts.length === 1) return { from: checkRevision(range, range), to: 'HEAD', symmetric: false };
  const [from, to] = parts as [string, string];
  if (from === '' && to === '')
    throw new UsageError(`--git ${JSON.stringify(range)}: expected A..B, A...B or one revision`);
  return {
    from: from === '' ? 'HEAD' : checkRevision(from, range),
    to: to === '' ? 'HEAD' : checkRevision(to, range),
    symmetric,
  };
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Config that would make format-patch output differ from what the mail stage expects
 * (no `a/` `b/` prefixes, paths relative to a subdirectory) is overridden for this run.
 */
const GIT_CONFIG = [
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'diff.relative=false',
  'format.coverLetter=false',
].flatMap((c) => ['-c', c]);

export async function readGitRange(range: string, repoDir: string): Promise<InputSpec> {
  const parsed = parseRange(range);
  const dir = resolve(repoDir);
  try {
    if (!(await stat(dir)).isDirectory()) throw new UsageError(`--repo ${repoDir}: not a directory`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--repo ${repoDir}: no such directory`);
  }
  const where = await runGit({ cwd: dir, args: ['rev-parse', '--is-inside-work-tree', '--show-toplevel'] });
  const [inside, top] = where.stdout
    .toString('utf8')
    .split('\n')
    .map((l) => l.trim());
  if (!where.ok || inside !== 'true' || !top) throw new UsageError(`${repoDir}: not a git repository`);
  const inTop = (args: readonly string[]) => runGit({ cwd: top, args: [...GIT_CONFIG, ...args] });
  /** git's output, or '' when it fails: a failure that is an answer (no such revision, no merge base). */
  const answer = async (args: string[]): Promise<string> => {
    const r = await inTop(args);
    return r.ok ? r.stdout.toString('utf8') : '';
  };
  const must = async (args: string[]): Promise<string> => {
    const r = await inTop(args);
    if (!r.ok) throw new UsageError(`--git ${range}: git ${args[0]} failed: ${gitError(r)}`);
    return r.stdout.toString('utf8');
  };

  const commitOf = async (rev: string): Promise<string> => {
    const sha = (await answer(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])).trim();
    if (!SHA.test(sha)) throw new UsageError(`--git ${range}: unknown revision ${JSON.stringify(rev)} in ${top}`);
    return sha;
  };
  const from = await commitOf(parsed.from);
  const to = await commitOf(parsed.to);
  const mergeBase = (await answer(['merge-base', from, to])).trim();
  if (!SHA.test(mergeBase))
    throw new UsageError(`--git ${range}: ${parsed.from} and ${parsed.to} have no common ancestor`);
  // A..B is what the user asked for; A...B means the commits of B since the merge base.
  const left = parsed.symmetric ? mergeBase : from;
  const revs = `${left}..${to}`;

  // The commits format-patch would mail, newest first. An empty commit (b4 prep keeps its cover
  // letter in one) is left out of the output but still counted in `[PATCH n/m]` by git 2.39,
  // which made a b4 prep branch look like a series whose part 1 is missing.
  // Empty: the same tree as its parent (found from ids alone, no diff is computed).
  const log = (await must(['log', '--format=%H %T %P', revs]))
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((f) => SHA.test(f[0] ?? ''));
  const treeOf = new Map(log.map((f) => [f[0]!, f[1]!]));
  const outside = [...new Set(log.flatMap((f) => (f.length === 3 && !treeOf.has(f[2]!) ? [f[2]!] : [])))];
  if (outside.length) {
    const trees = (await must(['rev-parse', ...outside.map((p) => `${p}^{tree}`)])).trim().split('\n');
    outside.forEach((p, k) => treeOf.set(p, trees[k]!.trim()));
  }
  const commits: string[] = [];
  let empties = 0;
  for (const f of log) {
    if (f.length > 3) continue; // a merge: format-patch never mails it
    if (f.length === 3 && treeOf.get(f[2]!) === f[1]) empties++;
    else commits.push(f[0]!);
  }
  const count = commits.length;
  if (count === 0)
    throw new UsageError(`--git: range ${range} has no commits${empties ? ' that change anything' : ''}`);

  // What a developer mails: `[PATCH]` for one commit, `[PATCH n/m]` for a series; no signature
  // (it carries the git version), no threading (random Message-IDs), the patch inline.
  const args = ['format-patch', '--stdout', '--no-signature', '--no-thread', '--no-attach', '--no-cover-letter'];
  if (count > 1) args.push('--numbered');
  // Without empty commits the range itself; with them, exactly the commits that change something
  // (newest first: format-patch reverses them), so the numbering counts only what is mailed.
  // (One commit is `-1 <sha>`: a lone revision would mean "since <sha>" to format-patch.)
  if (empties === 0) args.push(revs);
  else if (count === 1) args.push('-1', commits[0]!);
  else args.push('--no-walk=unsorted', ...commits);
  // stdout as bytes: file contents need not be UTF-8, and decoding is the mail stage's job.
  const mail = await inTop(args);
  if (!mail.ok) throw new UsageError(`--git ${range}: git format-patch failed: ${gitError(mail)}`);
  return { kind: 'buffer', source: `git:${range}`, data: mail.stdout, gitBase: { repo: top, commit: mergeBase } };
}
