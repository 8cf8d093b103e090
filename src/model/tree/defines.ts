// Does a tree define a name of the memory-type world? The tree's word on it, where the model
// only remembers: a Kconfig symbol needs its `config` entry, a struct member its line in
// memremap.h, any other C name a line of code (not a comment) in the headers under include/ or
// an architecture's include/. A header the tree does not have is a header its kernel does not
// have (leafops.h on 6.12): the name is missing. Only a tree without include/ (or, for a Kconfig
// symbol, without any Kconfig file) says nothing: null.
import type { IdentifierSpan } from '../types.js';

/** The little of a KernelTree this needs. */
export interface DefinesTree {
  readSync(path: string): string | null;
  exists(path: string): boolean;
  list(pathspecs: readonly string[]): string[];
  grep(
    pattern: string | readonly string[],
    pathspecs: readonly string[],
    options?: { fixed?: boolean },
  ): { path: string; line: number; text: string }[];
}

const cache = new WeakMap<object, Map<string, boolean | null>>();

const C_HEADERS = ['include/', 'arch/*/include/'];

/** Whether `tree` defines `name` (of the model's `kind`), or null when the tree cannot say. */
export function treeDefines(
  tree: DefinesTree,
  name: string,
  kind: IdentifierSpan['kind'],
  files: readonly string[],
): boolean | null {
  let perTree = cache.get(tree);
  if (!perTree) cache.set(tree, (perTree = new Map<string, boolean | null>()));
  const key = `${kind}:${name}`;
  const known = perTree.get(key);
  if (known !== undefined) return known;
  const answer = lookUp(tree, name, kind, files);
  perTree.set(key, answer);
  return answer;
}

function hasAny(tree: DefinesTree, files: readonly string[]): boolean {
  return files.some((f) => (f.includes('*') ? tree.list([f]).length > 0 : tree.exists(f)));
}

const hasDir = (tree: DefinesTree, dir: string) => tree.list([dir]).length > 0;

function lookUp(
  tree: DefinesTree,
  name: string,
  kind: IdentifierSpan['kind'],
  files: readonly string[],
): boolean | null {
  if (kind === 'kconfig') {
    if (!hasAny(tree, [...files, 'mm/Kconfig', 'Kconfig'])) return null;
    const hits = tree.grep([`^[[:space:]]*(menu)?config[[:space:]]+${name}[[:space:]]*$`], ['*Kconfig*']);
    return hits.length > 0;
  }
  if (kind === 'member') {
    const text = files.map((f) => tree.readSync(f)).find((t) => t !== null);
    if (text === undefined || text === null) return hasDir(tree, 'include/linux/') ? false : null;
    return new RegExp(`\\(\\s*\\*\\s*${name}\\s*\\)\\s*\\(|[\\w*]\\s+\\**${name}\\s*(\\[[^\\]]*\\])?\\s*;`).test(
      stripComments(text),
    );
  }
  if (!hasAny(tree, files) && !hasDir(tree, 'include/linux/')) return null;
  const word = new RegExp(`\\b${name}\\b`);
  return tree.grep([name], C_HEADERS, { fixed: true }).some((h) => word.test(codeOf(h.text)));
}

/** A line without its comments (a line inside a block comment usually starts with `*`). */
function codeOf(line: string): string {
  if (/^\s*(\*|\/\*)/.test(line) && !/\*\/.*\S/.test(line)) return '';
  return line
    .replace(/\/\*.*?\*\//g, ' ')
    .replace(/\/\/.*$/, '')
    .replace(/\/\*.*$/, '');
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
}
