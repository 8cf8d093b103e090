// The words kernel code and prose use for each memory type of the model (memory-types.yaml ids),
// beside its enumerator names: a helper called `is_devdax_page` is about MEMORY_DEVICE_GENERIC
// although no enumerator says "devdax" since 5.10. Names only, no era; kept as data beside the
// model (like predicates.ts) so a rule reads it and never spells a type in its code.
// Sources: the helpers and their kdoc in include/linux/memremap.h of v4.14 .. v7.2 (is_device_private_page,
// is_device_public_page, is_device_coherent_page, is_pci_p2pdma_page, folio_is_fsdax); the posted
// "memremap: Add is_devdax_page() and is_fsdax_page() helpers" (Alistair Popple, linux-mm, 2025-01)
// for devdax; drivers/dax/ (dev_dax, "device-dax") for the prose.
export interface TypeAliases {
  /** The model's type id (rules/model/memory-types.yaml). */
  type: string;
  /**
   * Words of identifiers (split at `_`, lower case), one alias a sequence: `device_private` is the
   * two words device, private. An identifier names the type when it holds one of these runs of words.
   */
  names: readonly string[];
  /**
   * The same for comments (lower-cased, `-`, `_` and spaces alike). Fewer: prose says "generic" and
   * "host" of many things, so they are not taken for a type there.
   */
  prose: readonly string[];
}

export const TYPE_ALIASES: readonly TypeAliases[] = [
  { type: 'host', names: ['device_host'], prose: ['memory_device_host'] },
  {
    type: 'device-private',
    names: ['device_private', 'private', 'devpriv'],
    prose: ['device_private', 'memory_device_private'],
  },
  { type: 'device-public', names: ['device_public', 'public'], prose: ['device_public', 'memory_device_public'] },
  {
    type: 'device-coherent',
    names: ['device_coherent', 'coherent'],
    prose: ['device_coherent', 'memory_device_coherent'],
  },
  { type: 'fs-dax', names: ['fsdax', 'fs_dax'], prose: ['fsdax', 'fs_dax', 'filesystem_dax', 'memory_device_fs_dax'] },
  {
    type: 'generic',
    names: ['devdax', 'device_dax', 'dev_dax', 'device_generic'],
    prose: ['devdax', 'device_dax', 'dev_dax', 'memory_device_generic', 'memory_device_devdax'],
  },
  {
    type: 'pci-p2pdma',
    names: ['p2pdma', 'pci_p2pdma', 'p2p'],
    prose: ['p2pdma', 'pci_p2pdma', 'p2p_dma', 'memory_device_pci_p2pdma'],
  },
  { type: 'managed', names: ['device_managed'], prose: ['memory_device_managed'] },
];

/**
 * Words that turn a name or a comment around (`is_non_private_page`, "unlike device-private
 * pages"): what follows is not a claim that the code is about the type it names.
 */
export const CONTRAST_WORDS: readonly string[] = [
  'not',
  'non',
  'no',
  'unlike',
  'other',
  'except',
  'than',
  'instead',
  'also',
  'like',
  'both',
  'and',
  'or',
  'nor',
  'but',
  'either',
  'neither',
  'any',
  'all',
  'every',
  'before',
  'after',
  'vs',
  'versus',
];

/**
 * Words that make a comment above a case or a condition a remark rather than its label
 * ("fall through from private", "same as fsdax", "handled above").
 */
export const COMMENT_CONTRAST_WORDS: readonly string[] = [
  'fall',
  'falls',
  'through',
  'fallthrough',
  'same',
  'too',
  'as',
  'well',
  'above',
  'below',
  'handled',
  'previous',
  'next',
  'from',
  'to',
  'into',
  'unless',
  'until',
  'if',
  'when',
  'todo',
  'fixme',
  'xxx',
  'was',
  'were',
  'used',
];
