// Access to the base tree the series applies to. The source stage needs only this much;
// src/tree's KernelTree (directories and git commits) satisfies it by structure, and
// memoryTree serves tests and callers that already hold the files.
export interface BaseTree {
  /** Shown in messages, e.g. the directory or `<repo>@<commit>`. */
  readonly label: string;
  /** The file's text, or null when the tree does not have it. */
  read(path: string): Promise<string | null>;
  /** Several files at once, synchronously, when the tree can (KernelTree can). */
  readMany?(paths: readonly string[]): Map<string, string | null>;
}

/** A tree held in memory. */
export function memoryTree(files: Record<string, string>, label = 'memory'): BaseTree {
  const get = (path: string): string | null => (Object.hasOwn(files, path) ? files[path]! : null);
  return {
    label,
    read: (path) => Promise.resolve(get(path)),
    readMany: (paths) => new Map(paths.map((p) => [p, get(p)])),
  };
}
