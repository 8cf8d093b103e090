// Which base tree a run has: `--tree DIR` for mail input, the range's base for `--git`.
// One KernelTree per run (per Collection), so every rule shares its caches.
import type { Collection } from '../types.js';
import { dirTree } from './dir.js';
import { gitTree } from './git.js';
import type { KernelTree } from './types.js';

export { dirTree } from './dir.js';
export { gitTree } from './git.js';
export { TreeError, type GrepHit, type KernelTree } from './types.js';

const perRun = new WeakMap<Collection, KernelTree | null>();

/** What names a check's base tree: its input (a --git range brings its base) and its options (--tree). */
export interface TreeRequest {
  collection: Collection;
  options: { readonly tree: string | null };
}

/** The base tree of a check, or null when there is none (plain mail input). */
export function treeOf(ctx: TreeRequest): KernelTree | null {
  const { collection, options } = ctx;
  const known = perRun.get(collection);
  if (known !== undefined) return known;
  let tree: KernelTree | null = null;
  if (options.tree) tree = dirTree(options.tree);
  else if (collection.gitBase) tree = gitTree(collection.gitBase.repo, collection.gitBase.commit);
  perRun.set(collection, tree);
  return tree;
}

/** The kernel version a tree's top Makefile declares (`6.1.187`), or null. */
export function treeVersion(tree: KernelTree): string | null {
  const make = tree.readSync('Makefile');
  if (!make) return null;
  const field = (k: string) => new RegExp(`^${k}\\s*=\\s*(\\d*)\\s*$`, 'm').exec(make)?.[1] ?? '';
  const [v, p, s] = [field('VERSION'), field('PATCHLEVEL'), field('SUBLEVEL')];
  if (!v || !p) return null;
  return s ? `${v}.${p}.${s}` : `${v}.${p}`;
}
