// What a base tree itself says about the memory-type world, and where it differs from the model.

export interface TreeEnumMember {
  name: string;
  /** Its value, counting from the last explicit `= N`; null after a value that is not a number. */
  value: number | null;
  /** 1-based line in the text. */
  line: number;
}

export interface TreeHelper {
  name: string;
  /** The header of its real definition (the one not in a #else / #ifndef branch, when there is one). */
  file: string;
  /** 1-based line of that definition. */
  line: number;
  /** The CONFIG_ condition it sits under (`CONFIG_DEVICE_PRIVATE || CONFIG_DEVICE_PUBLIC`), or null. */
  guard: string | null;
  /** The MEMORY_DEVICE_* enumerator its body tests, or null. */
  tests: string | null;
  /** The helper its body calls (folio_is_x calling is_x_page), or null. */
  calls: string | null;
  /** Every header that declares or defines it (a stub in another header counts). */
  files: string[];
}

export interface TreeKconfig {
  name: string;
  file: string;
  line: number;
  dependsOn: string[];
  selects: string[];
}

export interface TreeArchSelect {
  arch: string;
  symbol: string;
  /** The select's `if`, or the config entry it sits under when that is not the arch's own. */
  condition: string | null;
  file: string;
  line: number;
}

export interface TreeFacts {
  /** enum memory_type of memremap.h; null when the tree has no such enum. */
  enum: TreeEnumMember[] | null;
  helpers: TreeHelper[];
  /** The helper headers the tree has (what was compared). */
  headers: string[];
  kconfig: TreeKconfig[];
  /** The Kconfig files the tree has, of those the model names. */
  kconfigFiles: string[];
  /** Selects of enabling/devmap symbols in arch/<arch>/Kconfig*; null when the tree has no arch/ Kconfig at all. */
  archSelects: TreeArchSelect[] | null;
  /** Arches whose arch/<arch>/Kconfig the tree has. */
  archesRead: string[];
  /** The symbols whose selects were looked for. */
  archSymbols: string[];
}

export type TreeDifferenceKind =
  | 'missing-in-tree'
  | 'only-in-tree'
  | 'value-differs'
  // helpers (is_*_page, folio_is_*) in the headers the model names
  | 'helper-only-in-tree'
  | 'helper-missing-in-tree'
  | 'helper-header-differs'
  | 'helper-guard-differs'
  // Kconfig entries of the memory types, and what config ZONE_DEVICE depends on
  | 'kconfig-only-in-tree'
  | 'kconfig-missing-in-tree'
  | 'kconfig-file-differs'
  | 'kconfig-gate-differs'
  // arch/<arch>/Kconfig* selects of the era's enabling symbol and of the devmap symbol
  | 'arch-only-in-tree'
  | 'arch-missing-in-tree'
  | 'arch-condition-differs';

export interface TreeDifference {
  kind: TreeDifferenceKind;
  name: string;
  modelValue: number | null;
  treeValue: number | null;
  /** The tree's file that shows it (null: memremap.h for the enum kinds, or nothing to point at). */
  file?: string | null;
  /** 1-based line in that file (memremap.h for the enum kinds), when there is one. */
  line: number | null;
  /** The values its sentence names (DIFFERENCE_SENTENCES in compare.ts), by placeholder. */
  data: Readonly<Record<string, string | number>>;
  /** The sentence filled in, and that the tree is followed: the model report's line for it. */
  message: string;
}
