// The model stage: memory-type facts by release, which kernel a series is for, the tree's
// own facts, and what a series changes and owes. See docs/model.md.
export * from './types.js';
export * from './version.js';
export { defaultModelDir, loadModel, loadModelFrom } from './load.js';
export * from './query.js';
export * from './infer.js';
export {
  applyTreeEnum,
  compareEnumWithModel,
  extractKconfigEntries,
  extractMemoryTypeEnum,
  type KconfigEntry,
  type TreeDifference,
  type TreeDifferenceKind,
  type TreeEnumMember,
} from './tree/index.js';
export * from './delta.js';
export * from './era.js';
