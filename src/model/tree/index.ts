// What a base tree itself says about the memory-type world: enum memory_type, the is_*_page /
// folio_is_* helpers in the headers the model names (with their #if guard), the Kconfig entries of
// the memory types (with depends on / select), and which arch/*/Kconfig selects the era's enabling
// symbol and the devmap symbol. Read once per tree (read.ts, through src/syntax), compared with
// the model at the tree's release (compare.ts), and followed in the view the rules see (apply.ts).
export * from './types.js';
export { type FactsTree, modelTreeFiles, readTreeFacts, treeFactPaths } from './read.js';
export {
  extractMemoryTypeEnum,
  helperOccurrences,
  MEMREMAP_H,
  memoryTypeEnum,
  normaliseGuard,
  type HelperOccurrence,
} from './headers.js';
export { extractKconfigEntries, kconfigEntries, type KconfigEntry } from './kconfig.js';
export { treeEra } from './gate.js';
export { treeDefines, type DefinesTree } from './defines.js';
export { compareEnumWithModel, compareTreeFacts } from './compare.js';
export { applyTreeEnum, applyTreeFacts } from './apply.js';
