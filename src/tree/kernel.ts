// Whether a directory named as the base tree is a kernel tree. A folder holding several trees
// would be searched as one (findings "at linux-6.1.187/..., linux-6.1.4/..."), and a random
// folder would give one wrong error per file it lacks; both are usage errors instead. A kernel
// tree has a top Makefile declaring VERSION and PATCHLEVEL, include/linux/ and mm/ — what every
// release since 2.6 has, and what zdcheck's rules read.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { versionFromMakefile } from '../model/infer.js';

const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    // absent or unreadable: not a directory, which the caller reports
    return false;
  }
};

function makefileVersion(dir: string): string | null {
  try {
    return versionFromMakefile(readFileSync(join(dir, 'Makefile'), 'utf8'));
  } catch {
    // no readable Makefile: no version, which the caller reports
    return null;
  }
}

/** What `dir` lacks to be a kernel tree, or [] when it is one. */
export function kernelTreeLacks(dir: string): string[] {
  const lacks: string[] = [];
  if (makefileVersion(dir) === null) lacks.push('top Makefile with VERSION and PATCHLEVEL');
  if (!isDir(join(dir, 'include', 'linux'))) lacks.push('include/linux/');
  if (!isDir(join(dir, 'mm'))) lacks.push('mm/');
  return lacks;
}

/** Kernel trees directly inside `dir` (a folder of trees named instead of one), at most `max`. */
function treesInside(dir: string, max = 3): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    // an unreadable folder has no subfolders to suggest
    return [];
  }
  const found: string[] = [];
  for (const n of names) {
    if (kernelTreeLacks(join(dir, n)).length === 0) found.push(n);
    if (found.length === max) break;
  }
  return found;
}

/**
 * Why `dir` cannot be the base tree, in one line (`what` names where it was given: `--tree x`,
 * `input tree`, a config file's `tree`), or null when it is a kernel tree.
 */
export function notAKernelTree(dir: string, what: string): string | null {
  if (!isDir(dir)) return `${what}: no such directory`;
  const lacks = kernelTreeLacks(resolve(dir));
  if (lacks.length === 0) return null;
  const inside = treesInside(resolve(dir));
  const hint = inside.length > 0 ? `; it holds kernel trees (${inside.join(', ')}): name one` : '';
  return `${what}: not a kernel tree (no ${lacks.join(', no ')})${hint}`;
}
