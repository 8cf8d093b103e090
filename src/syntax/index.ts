// The syntax view of a run: each image parsed at most once, on first request.
import type { FileImage } from '../source/types.js';
import { isCPath, parseCImage, type CFile } from './c.js';
import { isKconfigPath, parseKconfig, type KconfigFile } from './kconfig.js';

export interface SyntaxView {
  /** The C syntax of an image of a `.c`/`.h` file; null for other files. */
  c(image: FileImage): CFile | null;
  /** The Kconfig structure of an image of a `Kconfig*` file; null for other files. */
  kconfig(image: FileImage): KconfigFile | null;
}

export function createSyntaxView(): SyntaxView {
  const cCache = new WeakMap<FileImage, CFile>();
  const kCache = new WeakMap<FileImage, KconfigFile>();
  return {
    c(image) {
      if (!isCPath(image.path)) return null;
      let f = cCache.get(image);
      if (!f) cCache.set(image, (f = parseCImage(image)));
      return f;
    },
    kconfig(image) {
      if (!isKconfigPath(image.path)) return null;
      let f = kCache.get(image);
      if (!f) kCache.set(image, (f = parseKconfig(image)));
      return f;
    },
  };
}

export * from './c.js';
export * from './c-view.js';
export * from './kconfig.js';
export * from './preproc.js';
export * from './condition.js';
export * from './text.js';
export type { SyntaxNode, Tree } from './parser.js';
export { releaseTrees } from './parser.js';
