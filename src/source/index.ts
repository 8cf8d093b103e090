export type * from './types.js';
export { buildSource, readBase, readBaseSync, basePaths, splitLines, type BaseSnapshot } from './build.js';
export { memoryTree, type BaseTree } from './tree.js';
export { placeHunks } from './apply.js';
