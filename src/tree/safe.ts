// What may reach a git command line. User-controlled strings never become options:
// commits are checked here, paths and pathspecs always follow `--`.
import { TreeError } from './types.js';

const HEX = /^[0-9a-fA-F]{4,64}$/;
// A ref name git itself would accept, restricted further: no leading '-', no '..', no ':'.
const REF = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9_][A-Za-z0-9_./+~^-]*$/;

export function checkCommit(commit: string): string {
  if (HEX.test(commit) || (REF.test(commit) && !commit.endsWith('.lock') && !commit.endsWith('/'))) return commit;
  throw new TreeError(`not a commit id or plain ref: ${JSON.stringify(commit)}`);
}

/** A path inside the tree: relative, no `..`, no NUL or newline (git's batch input is line-based). */
export function cleanPath(path: string): string | null {
  if (!path || path.includes('\0') || path.includes('\n')) return null;
  const p = path.replace(/^\.\//, '');
  if (p.startsWith('/') || p.split('/').some((s) => s === '..')) return null;
  return p;
}
