// The memory-type model as the code sees it: the data of rules/model/*.yaml after loading
// (every fact with its own version range and citation), and the view of it at one release.

export type Confidence = 'read' | 'recalled';

/** A mainline release line, `MAJOR.MINOR` ("4.14", "6.1"). Facts are keyed by these. */
export type Release = string;

/** Releases `since` (inclusive) up to `until` (exclusive; null: still in force). */
export interface ReleaseRange {
  since: Release;
  until: Release | null;
}

/** One fact: a value, the releases it holds in, and where it was learnt. */
export interface Fact<T> extends ReleaseRange {
  value: T;
  /** Kernel version and file, or a seed file name. */
  source: string;
  confidence: Confidence;
  note: string | null;
}

/** How user page tables map a page of this type. */
export type UserMapping = 'devmap-pte' | 'device-private-swap-entry' | 'not-mapped' | 'normal-pte';

export interface HelperFact extends Fact<string> {
  /** The header that defines the helper in this range. */
  header: string;
  /** The preprocessor condition it sits under, when there is one. */
  guard: string | null;
  /** Where the `!CONFIG` stub lives, when not beside it. */
  stub: string | null;
}

export interface MemoryTypeProperties {
  cpuAddressable: Fact<boolean>[];
  cacheCoherent: Fact<boolean>[];
  migratable: Fact<boolean>[];
  longTermPin: Fact<boolean>[];
  onLru: Fact<boolean>[];
  userMapping: Fact<UserMapping>[];
}

/** One kind of ZONE_DEVICE memory across its whole history (a member of enum memory_type). */
export interface MemoryType {
  /** Stable id across renames: `generic` was MEMORY_DEVICE_DEVDAX, then MEMORY_DEVICE_GENERIC. */
  id: string;
  /** False for RFC and vendor types, kept only to recognise them. */
  mainline: boolean;
  summary: string;
  exists: Fact<boolean>[];
  names: Fact<string>[];
  values: Fact<number>[];
  properties: MemoryTypeProperties;
  /** Driver callbacks (dev_pagemap_ops members) a user of this type must provide. */
  callbacks: Fact<string[]>[];
  /** The Kconfig symbol that enables the type; null when it has none of its own. */
  kconfig: Fact<string | null>[];
  helpers: HelperFact[];
  iores: Fact<string>[];
}

/** What an architecture had to provide for ZONE_DEVICE in one span of releases. */
export interface ArchEra extends ReleaseRange {
  id: string;
  summary: string;
  /** What `config ZONE_DEVICE` depends on in this era. */
  gate: string[];
  /** The symbol an architecture selects to enable it (null: the gate names the arch). */
  archSelect: string | null;
  devmapRequired: boolean;
  /** Identifiers by which an architecture shows devmap PTE support in this era. */
  devmapMarkers: string[];
  source: string;
  confidence: Confidence;
}

export interface ArchEnablement {
  symbol: string | null;
  /** The `if` of the select (X86_64, PPC_BOOK3S_64, ...), or null. */
  condition: string | null;
}

export interface DevmapSupport {
  marker: string;
  file: string;
}

/** One architecture's ZONE_DEVICE history. */
export interface ArchSupport {
  arch: string;
  support: Fact<ArchEnablement>[];
  devmap: Fact<DevmapSupport>[];
}

/** A function declared in include/ and defined per architecture, prototypes by era. */
export interface HookPrototype {
  name: string;
  header: string;
  /** `ret (params)` text, e.g. `int (int nid, u64 start, u64 size, struct mhp_params *params)`. */
  prototypes: Fact<string>[];
  /** Files defining it, where that was looked up. */
  definedIn: Fact<string[]>[];
}

export type PredicateLevel = 'page' | 'folio' | 'pte' | 'pmd' | 'pud' | 'swap-entry';

/** A predicate not tied to one memory type (is_zone_device_page, pte_devmap, ...). */
export interface Predicate {
  name: string;
  level: PredicateLevel;
  /** What it tests: `zone-device`, `devmap`, `device-private`. */
  tests: string;
  where: Fact<string>[];
}

export type IdentifierKind = 'enum' | 'struct' | 'function' | 'macro' | 'enumerator' | 'kconfig' | 'iores' | 'member';

export interface IdentifierEntry {
  name: string;
  kind: IdentifierKind;
  /** For a `member`: the struct it is a member of (`struct dev_pagemap_ops`). */
  of: string | null;
  /** Defining header (or Kconfig file) by era. */
  where: Fact<string>[];
}

export interface ConfigName {
  name: string;
  kind: 'function' | 'macro' | 'enumerator' | 'variable';
  header: string;
  /** The #if condition the declaration sits under (C preprocessor syntax), by era; `1` when unconditional. */
  guard: Fact<string>[];
}

/** A struct member the ZONE_DEVICE API headers declare only under some configuration (config-names.yaml). */
export interface ConfigField {
  name: string;
  /** The struct's tag: `pglist_data`. */
  struct: string;
  header: string;
  /** The #if condition the member sits under (C preprocessor syntax), by era. */
  guard: Fact<string>[];
  /**
   * Whether no other struct of kernel code has a member of this name, by era: then `x->name` means this
   * struct whatever x is; else only a use whose variable's type is known is judged.
   */
  unique: Fact<boolean>[];
}

/** What Kconfig makes an option imply (config-names.yaml): the constraints config-only-name reads without a tree. */
export interface ConfigDepends {
  symbol: string;
  /** A condition (C preprocessor syntax over CONFIG_ symbols) that holds whenever the option is on, by era. */
  implies: Fact<string>[];
}

export interface ConfigFile {
  path: string;
  /** The condition it is built under (C preprocessor syntax over CONFIG_ symbols; `1` always), by era. */
  built: Fact<string>[];
}

export interface ReleaseDate {
  version: Release;
  /** ISO date of the release, or null when only the order is known. */
  date: string | null;
}

/** Where an identifier of this world exists, and where it is defined, in one range. */
export interface IdentifierSpan extends ReleaseRange {
  kind: IdentifierKind | 'helper' | 'predicate';
  /** Defining file, when known. */
  where: string | null;
  /** The memory type it belongs to, when it belongs to one. */
  typeId: string | null;
  mainline: boolean;
  confidence: Confidence;
  source: string;
  note: string | null;
}

/** A whole kernel tree the model's data was checked against (scripts/verify-model-eras.mjs). */
export interface ObservedTree {
  release: Release;
  /** The tree read, e.g. `linux 5.10.223 (Debian bullseye's orig tarball)`. */
  tree: string;
  source: string;
}

/** What took an identifier's place when it went (or what to use before it arrived). */
export interface Replacement {
  name: string;
  /** Words for the message: `folio_is_zone_device()`, or what to do instead. */
  by: string;
  /** The release it happened in, when that was read; null when only the order is known. */
  release: Release | null;
  source: string;
}

/** The arch side of devmap PTE support in one span of releases (rules/model/devmap-contract.yaml). */
export interface DevmapContract extends ReleaseRange {
  id: string;
  summary: string;
  /** Names the generic headers fall back on when THP is off: an arch defines them only under `symbol`. */
  thpGuard: { names: string[]; symbol: string; fallbackHeaders: string[]; source: string };
  /** The maker that must set the special bit (an identifier containing `bit`, or a call of a helper), where the arch has `requires`. */
  special: { maker: string; bit: string; helpers: string[]; requires: string[]; source: string };
  /** A name an arch defines, and what it must define with it. */
  pairs: { name: string; needs: string[] }[];
  source: string;
  confidence: Confidence;
}

/** Everything rules/model/ holds, merged and validated. */
export interface Model {
  /** The files it was loaded from, for messages. */
  files: string[];
  types: MemoryType[];
  eras: ArchEra[];
  arches: ArchSupport[];
  hooks: HookPrototype[];
  predicates: Predicate[];
  identifiers: IdentifierEntry[];
  /** Names declared only under some configuration, with their #if condition by era (config-names.yaml). */
  configNames: ConfigName[];
  /** Struct members declared only under some configuration, by era (config-names.yaml). */
  configFields: ConfigField[];
  /** What the ZONE_DEVICE world's options imply, by era (config-names.yaml): Kconfig for mail alone. */
  configDepends: ConfigDepends[];
  /** When a file is built, as a condition by era (config-names.yaml): what mail alone cannot read from a Makefile. */
  configFiles: ConfigFile[];
  /** Mainline releases in order. */
  releases: ReleaseDate[];
  mergeWindowDays: number;
  /** Releases at which a whole tree was read and the data checked against it, oldest first. */
  observed: ObservedTree[];
  replacements: Replacement[];
  /** What an arch's devmap PTE support must provide, by era (rules/model/devmap-contract.yaml). */
  devmapContract: DevmapContract[];
  /** What a series must touch for the code rules to run on it (rules/model/world.yaml). */
  world: ZoneDeviceWorld;
  /** Every identifier the model knows, with the spans it exists in (built at load). */
  index: ReadonlyMap<string, IdentifierSpan[]>;
}

/** The paths and names that put a series in the ZONE_DEVICE world (src/engine/world.ts). */
export interface ZoneDeviceWorld {
  paths: RegExp[];
  /** Mailing list addresses, lower case: a message to one is in the world. */
  lists: string[];
  /** Shapes of the world's names, on an added or removed line. */
  lines: RegExp[];
  /** The world's own names and the API headers' config-only ones; the model's identifiers count too. */
  words: string[];
}

/** A memory type as it stands at one release. Unknown properties are null. */
export interface MemoryTypeAt {
  id: string;
  mainline: boolean;
  name: string;
  value: number | null;
  summary: string;
  cpuAddressable: boolean | null;
  cacheCoherent: boolean | null;
  migratable: boolean | null;
  longTermPin: boolean | null;
  onLru: boolean | null;
  userMapping: UserMapping | null;
  callbacks: string[];
  kconfig: string | null;
  helpers: { name: string; header: string; guard: string | null }[];
  iores: string[];
}

export interface ArchAt {
  arch: string;
  symbol: string | null;
  condition: string | null;
  devmap: DevmapSupport | null;
  confidence: Confidence;
}

export interface HookAt {
  name: string;
  header: string;
  prototype: string | null;
  definedIn: string[];
}

export interface PredicateAt {
  name: string;
  header: string;
  level: PredicateLevel | 'page' | 'folio';
  /** Memory type id for per-type helpers, null for generic predicates. */
  typeId: string | null;
}

/** The model in force at one release: plain data, safe to serialise. */
export interface ModelView {
  release: Release;
  /** Mainline types at this release, ordered by enum value (then name). */
  types: MemoryTypeAt[];
  /** Names of enum memory_type members in order; empty before the enum existed. */
  enumMembers: string[];
  predicates: PredicateAt[];
  kconfigSymbols: string[];
  ioresDescriptors: string[];
  era: ArchEra | null;
  /** Architectures that can enable ZONE_DEVICE at this release. */
  arches: ArchAt[];
  hooks: HookAt[];
  /** Identifier -> the files that define it at this release. */
  locations: Record<string, string[]>;
}
