// Which commit a patch handed to the hook applies to. git send-email usually sends patches
// whose commits are already in HEAD (format-patch output, or `git send-email origin..HEAD`),
// so HEAD itself is the wrong base for them: the patch would not apply. A format-patch file
// names its commit on its `From <sha>` line; when the repository has that commit, its parent
// is the exact pre-image. Otherwise (a patch from elsewhere, mail being re-sent) the base is
// HEAD. Both are commits, read from git objects, so a dirty work tree does not matter.
import { execFileSync } from 'node:child_process';

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

/** Top of the work tree containing `cwd`, or null outside a repository. */
export function workTreeTop(cwd: string): string | null {
  return git(cwd, ['rev-parse', '--show-toplevel']);
}

/** The top of the work tree and the git directory, with one git process (the hook's start-up counts). */
export function workTree(cwd: string): { top: string; gitDir: string } | null {
  const out = git(cwd, ['rev-parse', '--show-toplevel', '--absolute-git-dir'])?.split('\n');
  return out && out.length === 2 && out[0] && out[1] ? { top: out[0], gitDir: out[1] } : null;
}

const FROM_LINE = /^From ([0-9a-f]{40}) Mon Sep 17 00:00:00 2001$/m;

export interface HookBase {
  commit: string;
  how: 'parent-of-patch-commit' | 'HEAD';
}

export function resolveHookBase(top: string, patchText: string): HookBase | null {
  // Only the first line can be a From_ line of this patch: later ones would be quoted text.
  const first = patchText.slice(0, patchText.indexOf('\n') + 1 || undefined);
  const m = FROM_LINE.exec(first);
  if (m) {
    const parent = git(top, ['rev-parse', '--verify', '-q', `${m[1]}^`]);
    if (parent) return { commit: parent, how: 'parent-of-patch-commit' };
  }
  const head = git(top, ['rev-parse', '--verify', '-q', 'HEAD']);
  return head ? { commit: head, how: 'HEAD' } : null;
}
