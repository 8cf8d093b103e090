// Facts built from a whole base tree (every switch over enum memory_type, say) are built once per
// tree: kept for the run, and, for a tree that is a git commit, in the user's cache directory, so
// the next run on that commit (the send-email hook runs once per patch) reads them back instead of
// searching and parsing the tree again. A commit id names its content for good: the entry never
// goes stale. A plain directory has no such name and is indexed once per run only.
//
// Where: $ZDCHECK_CACHE_DIR, else $XDG_CACHE_HOME/zdcheck, else ~/.cache/zdcheck (tree-index/ in
// it; code-cache/ beside it holds the bundle's compiled code, src/startup/code-cache.ts);
// ZDCHECK_CACHE_DIR=off keeps nothing on disk. A cache that cannot be read or written is passed
// over: the facts are built as without one.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndexUpdate, TreeIndex } from './types.js';

/**
 * Which build of zdcheck wrote an entry: every build rewrites this module, so an index made by
 * other code (a changed reader, another parser) is never read back. An installed copy keeps one.
 */
const BUILD = (() => {
  try {
    const st = statSync(fileURLToPath(import.meta.url));
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    // an unreadable build still runs; its cache entries are just never reused
    return 'unknown';
  }
})();

/** The directory tree indexes are kept in, or null when there is none. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const root = cacheRoot(env);
  return root === null ? null : join(root, 'tree-index');
}

/** zdcheck's cache directory (tree indexes, the bundle's code cache), or null when there is none. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string | null {
  const own = env['ZDCHECK_CACHE_DIR'];
  if (own !== undefined && own !== '') return own === 'off' ? null : own;
  const xdg = env['XDG_CACHE_HOME'];
  const home = (() => {
    try {
      return homedir();
    } catch {
      // no home directory: no cache (the caller treats an empty path as off)
      return '';
    }
  })();
  const base = xdg ? xdg : home ? join(home, '.cache') : null;
  return base ? join(base, 'zdcheck') : null;
}

/**
 * The paths that differ between the tree of `key` and the tree of another key kept in the cache, or
 * null when that cannot be told (another repository's commit, too far apart to be worth it).
 */
export type ChangedSince = (otherKey: string) => readonly string[] | null;

interface Entry<T> {
  key: string;
  name: string;
  build: string;
  value: T;
}

/**
 * The index function of a tree: `index(name, build, update?)` returns build()'s value, built once
 * per tree and name. `key` names the tree's content for good (a commit id), or null (kept for the run
 * only). `name` says what is indexed and in which format (`memory-type-switches/1`): a change of the
 * format takes a new name. The value must survive JSON. With `update` and `changedSince`, a value
 * not kept for `key` is made from the newest one kept for another key of the same name and build.
 */
export function treeIndexer(key: string | null, changedSince?: ChangedSince): TreeIndex {
  const memo = new Map<string, unknown>();
  let pruned = false;
  return <T>(name: string, build: () => T, update?: IndexUpdate<T>): T => {
    if (memo.has(name)) return memo.get(name) as T;
    const file = key === null ? null : fileOf(key, name);
    let value: T | undefined;
    if (file) {
      const stored = readEntry<T>(file);
      if (stored && stored.key === key && stored.name === name && stored.build === BUILD) {
        value = stored.value;
        used(file);
      }
    }
    if (value === undefined) {
      if (file && key !== null && update && changedSince) {
        const near = newestOther<T>(file, key, name);
        const changed = near ? changedSince(near.key) : null;
        if (near && changed) value = update(near.value, changed);
      }
      value ??= build();
      if (file && key !== null) {
        store(file, { key, name, build: BUILD, value });
        // Once per tree and run: a run writes a few dozen entries, and listing the folder each time
        // would cost more than the budget's overshoot by one run's entries.
        if (!pruned) pruneIndexes(join(file, '..'));
        pruned = true;
      }
    }
    memo.set(name, value);
    return value;
  };
}

function readEntry<T>(file: string): Entry<T> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Entry<T>;
  } catch {
    // absent or unreadable: nothing kept
    return null;
  }
}

/** The newest entry of `name` and this build kept for a key other than `key` (the one `file` is for). */
function newestOther<T>(file: string, key: string, name: string): Entry<T> | null {
  const dir = join(file, '..');
  const prefix = `${fileStem(name)}-`;
  let files: { f: string; t: number }[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.startsWith(prefix) && f.endsWith('.json') && join(dir, f) !== file)
      .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
  } catch {
    // no cache directory yet
    return null;
  }
  for (const { f } of files) {
    const e = readEntry<T>(join(dir, f));
    if (e && e.name === name && e.build === BUILD && e.key !== key) return e;
  }
  return null;
}

function fileStem(name: string): string {
  return name.replace(/[^A-Za-z0-9.-]+/g, '_');
}

function fileOf(key: string, name: string): string | null {
  const dir = cacheDir();
  if (dir === null) return null;
  const id = createHash('sha256').update(`${key}\0${name}\0${BUILD}`).digest('hex').slice(0, 32);
  return join(dir, `${fileStem(name)}-${id}.json`);
}

function store(file: string, entry: unknown): void {
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    // Written whole, then renamed: a concurrent run (the hook, one process per patch) never reads half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, file);
  } catch {
    // no cache on a read-only or full disk
  }
}

/** An entry read back is dated now: pruning keeps what runs still read, not what was written last. */
function used(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // a read-only cache is still read; its entries just age
  }
}

/**
 * Bytes of entries kept. A commit's API-header facts take ~0.6 MB on a 6.1 tree and a name's callers
 * or mentions a few hundred bytes: this keeps about a hundred commits' worth. A count of entries
 * (64 before) let one commit's per-header and per-name entries push out the switches over enum
 * memory_type, the one index that costs seconds to build.
 */
export const CACHE_BUDGET_BYTES = 64 << 20;

/** Removes the entries least recently written or read until the rest fit in `budget` bytes. */
export function pruneIndexes(dir: string, budget = CACHE_BUDGET_BYTES): void {
  try {
    const entries = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => {
        const st = statSync(join(dir, f));
        return { f, t: st.mtimeMs, size: st.size };
      })
      .sort((a, b) => b.t - a.t);
    let total = 0;
    for (const e of entries) {
      total += e.size;
      if (total > budget) rmSync(join(dir, e.f), { force: true });
    }
  } catch {
    // another run pruning at the same time, or an unreadable folder: try again next run
  }
}
