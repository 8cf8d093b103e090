// A kernel tree the series applies to, read the way a kernel tree must be read: on
// demand, with searches handed to git so ~80k files are never walked in JavaScript.
// The async `read` and `label` make every KernelTree a source-stage BaseTree
// (src/source/tree.ts) by structure; the synchronous methods serve rules, which run
// synchronously (src/engine/check.ts).

/** One matching line of a search. */
export interface GrepHit {
  /** Path relative to the tree root, `/`-separated. */
  path: string;
  /** 1-based line number. */
  line: number;
  /** The line's text, without its newline. */
  text: string;
}

export interface GrepOptions {
  /**
   * The patterns are fixed strings (`git grep -F`): several times faster than an ERE over a
   * whole subtree; callers then filter the few hits with a JavaScript regex.
   */
  fixed?: boolean;
}

export interface KernelTree {
  /** Shown in messages: the directory, or `<repo>@<commit>`. */
  readonly label: string;
  readonly kind: 'dir' | 'git';
  /** The file's text, or null when absent (BaseTree-compatible). */
  read(path: string): Promise<string | null>;
  /** Same, synchronously; cached per tree. */
  readSync(path: string): string | null;
  /** Several files at once (one git process for a git tree). */
  readMany(paths: readonly string[]): Map<string, string | null>;
  exists(path: string): boolean;
  /** Files under a directory (recursively), or matching git-style pathspecs. */
  list(pathspecs: readonly string[]): string[];
  /**
   * Lines matching an extended regular expression (POSIX ERE, as `git grep -E`) in
   * the files the pathspecs select (git pathspec syntax: `arch/`, `arch/*\/Kconfig*`). Several
   * patterns match a line when any of them does.
   */
  grep(pattern: string | readonly string[], pathspecs: readonly string[], options?: GrepOptions): GrepHit[];
  /**
   * Facts built from the whole tree by `build` (which reads it), once per tree and `name`: kept for
   * the run and, when the tree is a git commit, in the user's cache directory for the next run
   * (src/tree/cache.ts). `name` says what and in which format (`memory-type-switches/1`); the value
   * must survive JSON. Absent: call build() (a tree made by a test).
   *
   * `update`, when the facts are per file (a file's own content decides its part), makes them from
   * those of another commit kept in the cache: given that commit's value and the paths that differ
   * between the two commits, it returns this tree's. The first run on a new commit (a rebased branch,
   * the next series) then reads only what changed since a commit indexed before.
   */
  index?: TreeIndex;
}

/** Another commit's value of an index brought to this tree, given the paths changed between them. */
export type IndexUpdate<T> = (previous: T, changed: readonly string[]) => T;

/** A tree's index function (KernelTree.index). */
export type TreeIndex = <T>(name: string, build: () => T, update?: IndexUpdate<T>) => T;

/** A tree that cannot be used says why; the CLI turns this into exit 2. */
export class TreeError extends Error {
  override readonly name = 'TreeError';
}
