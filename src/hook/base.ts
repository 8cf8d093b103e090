// Which commit the patches handed to the hook apply to. git send-email usually sends patches
// whose commits are already in the repository (format-patch output, or `git send-email
// origin..HEAD`), so HEAD is the wrong base for them: the series is already applied there. A
// format-patch file names its commit on its `From <sha>` line; the parent of the series' first
// PATCH commit is the exact pre-image of the series. The cover letter is not a patch: its `From`
// line names the series' last commit, whose parent already carries every patch but the last.
// When the commits are not in the repository (a series from someone else, mail being re-sent),
// the base is the first of the series' declared base-commit, HEAD, and the merge base of HEAD
// with its upstream that the patches apply to (`git apply --check`); when none takes them, the
// check reads the mail alone. Both ways the caller says which base was used.
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runGitSync } from '../git/run.js';
import type { Patch } from '../types.js';
import { NOTES_REF } from '../waivers/notes.js';

/** Runs git: whether it succeeded, and its standard output. */
function run(
  cwd: string,
  args: string[],
  call: { input?: string; env?: NodeJS.ProcessEnv } = {},
): { ok: boolean; out: string } {
  const r = runGitSync({ cwd, args, ...call });
  return { ok: r.ok, out: r.ok ? r.stdout.toString('utf8') : '' };
}

/** git's output trimmed, or null when it fails or prints nothing. */
function git(cwd: string, args: string[]): string | null {
  const r = run(cwd, args);
  return r.ok ? r.out.trim() || null : null;
}

/** Top of the work tree containing `cwd`, or null outside a repository. */
export function workTreeTop(cwd: string): string | null {
  return git(cwd, ['rev-parse', '--show-toplevel']);
}

/**
 * The top of the work tree and the git directory. git runs a hook from the top of the work tree, so
 * there `.git` names both without a git process (the hook's start-up counts); anywhere else, or when
 * the environment points git elsewhere, one `git rev-parse` answers.
 */
export function workTree(cwd: string, env: NodeJS.ProcessEnv = process.env): { top: string; gitDir: string } | null {
  const here = env['GIT_DIR'] || env['GIT_WORK_TREE'] || env['GIT_COMMON_DIR'] ? null : dotGitAt(cwd);
  if (here) return here;
  const r = run(cwd, ['rev-parse', '--show-toplevel', '--absolute-git-dir'], { env });
  const out = r.ok ? r.out.trim().split('\n') : [];
  return out.length === 2 && out[0] && out[1] ? { top: out[0], gitDir: out[1] } : null;
}

/**
 * `cwd` as the top of a work tree, read from its `.git`: a directory (a clone) or a `gitdir:` file (a
 * linked work tree, a submodule) naming one that holds a HEAD. Null for anything else.
 */
function dotGitAt(cwd: string): { top: string; gitDir: string } | null {
  const dotGit = join(cwd, '.git');
  let gitDir: string;
  try {
    const st = lstatSync(dotGit);
    if (st.isDirectory()) gitDir = dotGit;
    else if (st.isFile()) {
      const named = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      if (!named) return null;
      gitDir = resolve(cwd, named);
    } else return null;
  } catch {
    // no .git here: git finds the repository
    return null;
  }
  return existsSync(join(gitDir, 'HEAD')) ? { top: cwd, gitDir } : null;
}

export type BaseSource = 'parent-of-first-patch' | 'base-commit' | 'HEAD' | 'upstream-merge-base';

export interface HookBase {
  commit: string;
  how: BaseSource;
}

export interface BaseChoice {
  /** The commit to check against, or null: the mail alone. */
  base: HookBase | null;
  /** One line saying which base was used, when it is not the patches' own parent (no prefix, no newline). */
  note: string | null;
  /**
   * Whether the repository has zdcheck's notes (refs/notes/zdcheck): without them no waiver can be
   * in a note, and the git process that would list them is not started.
   */
  hasNotes: boolean;
}

const SHA = /^[0-9a-f]{40}$/;
const short = (sha: string): string => sha.slice(0, 12);

/** A commit id the repository has, or null. Only hex ids and HEAD-relative names reach git. */
function commitOf(top: string, rev: string): string | null {
  return commitsOf(top, [rev])[0] ?? null;
}

/**
 * Commit ids of several revisions with one git process (the hook's start-up counts): null for one
 * the repository does not have. Only HEAD, the notes ref and hex ids (with `^`) reach git, one per line.
 */
function commitsOf(top: string, revs: readonly string[]): (string | null)[] {
  const r = run(top, ['cat-file', `--batch-check=%(objectname) %(objecttype)`], {
    input: revs.map((rev) => `${rev}^{commit}\n`).join(''),
  });
  const lines = r.ok ? r.out.split('\n') : [];
  return revs.map((_, i) => {
    const [sha, type] = (lines[i] ?? '').split(' ');
    return sha && type === 'commit' && SHA.test(sha) ? sha : null;
  });
}

/** The patches of a series as git would apply them: those with a diff, in series order. */
export function patchesToApply(patches: readonly Patch[]): Patch[] {
  return patches.filter((p) => p.kind === 'patch' && p.files.length > 0);
}

/**
 * Whether the patches apply, one after the other, to `commit`: `git apply --cached --check` on
 * a scratch index holding only the files they touch (a kernel tree's full index costs far more).
 */
export function appliesTo(top: string, commit: string, patches: readonly Patch[]): boolean {
  const paths = [
    ...new Set(
      patches.flatMap((p) => p.files.flatMap((f) => [f.oldPath, f.newPath])).filter((x): x is string => x !== null),
    ),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'zdcheck-apply-'));
  try {
    // Literal pathspecs: a path in a patch is data, never a glob or `:(magic)`.
    const env = { ...process.env, GIT_INDEX_FILE: join(dir, 'index'), GIT_LITERAL_PATHSPECS: '1' };
    const entries = run(top, ['ls-tree', '-r', '-z', commit, '--', ...paths], { env });
    if (!entries.ok || !run(top, ['update-index', '-z', '--index-info'], { env, input: entries.out }).ok) return false;
    const text = patches.map((p) => p.message.body.replace(/\n?$/, '\n')).join('');
    return run(top, ['apply', '--cached', '--check', '-'], { env, input: text }).ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Candidate {
  commit: string;
  how: Exclude<BaseSource, 'parent-of-first-patch'>;
  label: string;
}

/**
 * Where a series from elsewhere may apply, most specific first, each commit once. Lazy: the
 * upstream branch costs three git processes, asked only when HEAD does not take the patches.
 */
function* candidates(top: string, declared: string | null, head: string | null): Generator<Candidate> {
  const seen = new Set<string>();
  const fresh = (commit: string | null): commit is string => {
    if (commit === null || seen.has(commit)) return false;
    seen.add(commit);
    return true;
  };
  if (declared && /^[0-9a-f]{7,40}$/.test(declared)) {
    const commit = commitOf(top, declared);
    if (fresh(commit)) yield { commit, how: 'base-commit', label: 'the base-commit it names' };
  }
  if (fresh(head)) yield { commit: head, how: 'HEAD', label: 'HEAD' };
  const upstream = git(top, ['rev-parse', '--verify', '-q', '--abbrev-ref', '@{upstream}']);
  const upstreamCommit = upstream ? commitOf(top, '@{upstream}') : null;
  if (head && upstream && upstreamCommit) {
    const mb = git(top, ['merge-base', head, upstreamCommit]);
    if (mb && SHA.test(mb) && fresh(mb))
      yield { commit: mb, how: 'upstream-merge-base', label: `the merge base of HEAD and ${upstream}` };
  }
}

/**
 * The base of `patches` (one file's, or a whole send's, cover letter included) in the repository
 * at `top`. `declared` is a `base-commit:` the series carries.
 */
export function resolveHookBase(
  top: string,
  patches: readonly Patch[],
  declared: string | null = null,
  readsTree = true,
): BaseChoice {
  const applied = patchesToApply(patches);
  const own = applied[0]?.message.commit ?? null;
  const mine = own !== null && SHA.test(own);
  // The notes' commit, HEAD, the first patch's commit and its parent, asked at once.
  const [notes = null, head = null, ownCommit = null, parent = null] = commitsOf(
    top,
    mine ? [`refs/notes/${NOTES_REF}`, 'HEAD', own, `${own}^`] : [`refs/notes/${NOTES_REF}`, 'HEAD'],
  );
  const hasNotes = notes !== null;
  // Nothing to apply (a cover letter alone): no hunk depends on the base.
  if (applied.length === 0) return { base: head ? { commit: head, how: 'HEAD' } : null, note: null, hasNotes };
  if (ownCommit && parent) return { base: { commit: parent, how: 'parent-of-first-patch' }, note: null, hasNotes };
  // No rule will read the tree (the patches touch nothing of the ZONE_DEVICE world): HEAD is the
  // repository the mail checks ask (Fixes: tags), and where the patches apply does not matter.
  if (!readsTree) return { base: head ? { commit: head, how: 'HEAD' } : null, note: null, hasNotes };
  const tried: Candidate[] = [];
  for (const c of candidates(top, declared, head)) {
    tried.push(c);
    if (appliesTo(top, c.commit, applied)) {
      return {
        base: { commit: c.commit, how: c.how },
        note: `its commits are not in this repository; checked against ${c.label} (${short(c.commit)}), which it applies to`,
        hasNotes,
      };
    }
  }
  const names = tried.map((c) => `${c.label} (${short(c.commit)})`);
  return {
    base: null,
    note:
      names.length === 0
        ? 'its commits are not in this repository, which has no commit to apply it to; checked from the mail alone'
        : `its commits are not in this repository, and it ${names.length === 1 ? `does not apply to ${names[0]}` : `applies to neither ${names.slice(0, -1).join(', ')} nor ${names[names.length - 1]}`}; checked from the mail alone`,
    hasNotes,
  };
}
