// A kernel tree on disk. Files are read on demand and cached for the run. Searches go
// to `git grep` — over the index when the directory is a git work tree, `--no-index`
// otherwise — and listings walk only the directories a pathspec's literal prefix names.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { git, grepArgs, parseGrep, pathspecMatcher, staticPrefix } from './run.js';
import { timed } from '../timing.js';
import { treeIndexer } from './cache.js';
import { cleanPath } from './safe.js';
import { TreeError, type GrepHit, type KernelTree } from './types.js';

export function dirTree(dir: string): KernelTree {
  const root = resolve(dir);
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new TreeError(`${dir}: no such directory`);
  }
  if (!st.isDirectory()) throw new TreeError(`${dir}: not a directory`);
  // A work tree whose top is this directory: the index lists its files, so git grep is fastest.
  const worktree = existsSync(join(root, '.git'));
  const files = new Map<string, string | null>();

  const readSync = (path: string): string | null => {
    const clean = cleanPath(path);
    if (clean === null) return null;
    const known = files.get(clean);
    if (known !== undefined) return known;
    let text: string | null = null;
    try {
      text = timed('tree reads', () => readFileSync(join(root, clean), 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') throw err;
    }
    files.set(clean, text);
    return text;
  };

  return {
    label: dir,
    kind: 'dir',
    // A directory's files can change under the same name: indexed for the run only.
    index: treeIndexer(null),
    read: (path) => Promise.resolve(readSync(path)),
    readSync,
    readMany: (paths) => new Map(paths.map((p) => [p, readSync(p)])),
    exists(path) {
      const clean = cleanPath(path);
      if (clean === null) return false;
      if (files.has(clean)) return files.get(clean) !== null;
      try {
        return statSync(join(root, clean)).isFile();
      } catch {
        // absent or unreadable: not a file of the tree
        return false;
      }
    },
    list(pathspecs) {
      if (worktree)
        return git({ cwd: root, args: ['ls-files', '-z', '--', ...pathspecs] })
          .toString('utf8')
          .split('\0')
          .filter(Boolean);
      const match = pathspecMatcher(pathspecs);
      const out = new Set<string>();
      for (const spec of pathspecs.length ? pathspecs : ['']) walk(root, staticPrefix(spec), match, out);
      return [...out].sort();
    },
    grep(pattern, pathspecs, options): GrepHit[] {
      const args = ['grep', ...(worktree ? [] : ['--no-index']), ...grepArgs(pattern, options), '--', ...pathspecs];
      return parseGrep(git({ cwd: root, args, empty: [1] }));
    },
  };
}

function walk(root: string, rel: string, match: (p: string) => boolean, out: Set<string>): void {
  let entries;
  try {
    entries = readdirSync(rel ? join(root, rel) : root, { withFileTypes: true });
  } catch {
    // an unreadable folder holds nothing zdcheck can read; the walk goes on
    return;
  }
  for (const e of entries) {
    if (e.name === '.git') continue;
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(root, p, match, out);
    else if (e.isFile() && match(p)) out.add(p);
  }
}
