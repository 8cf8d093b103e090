// Reads rules/model/*.yaml, validates each file against rules/model/model.schema.json (ajv)
// and merges them into one Model. A malformed file is the user's (or a contributor's)
// error: one line naming the file and the field, as a UsageError.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject } from 'ajv';
import type * as Yaml from 'yaml';
import { UsageError } from '../errors.js';
import { compareReleases } from './version.js';
import type {
  ArchEra,
  ArchSupport,
  ConfigFile,
  ConfigDepends,
  ConfigField,
  ConfigName,
  DevmapContract,
  Fact,
  HelperFact,
  HookPrototype,
  IdentifierEntry,
  IdentifierSpan,
  MemoryType,
  Model,
  ObservedTree,
  Predicate,
  ReleaseDate,
  Replacement,
  ZoneDeviceWorld,
} from './types.js';

// ajv and yaml are slow to import; a run that never consults the model (a hook check of a
// mail-only patch) must not pay for them, so they are required on first load, not at start-up.
const require = createRequire(import.meta.url);
const lazy = {
  ajv: () => require('ajv') as typeof import('ajv'),
  yaml: () => require('yaml') as typeof Yaml,
};

const SCHEMA_FILE = 'model.schema.json';

/** rules/model/ of this package, from src/model/ or dist/src/model/. */
export function defaultModelDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = resolve(here, up, 'rules', 'model');
    if (existsSync(join(dir, SCHEMA_FILE))) return dir;
  }
  throw new Error(`rules/model/ not found above ${here}`);
}

let cached: Model | null = null;

/**
 * The packaged model, loaded once per process. `npm run build` leaves a validated snapshot in
 * dist/ (see writeModelSnapshot); while the YAML files are the ones it was made from, loading is
 * a JSON.parse. An edited model file no longer matches and is parsed and validated afresh.
 */
export function loadModel(): Model {
  if (cached) return cached;
  const dir = defaultModelDir();
  const snapshot = currentSnapshot(dir);
  cached = snapshot ? modelFromSnapshot(snapshot) : loadModelFrom(dir);
  return cached;
}

/** Loads every *.yaml of `dir` (no cache): for tests and for a user-supplied model. */
export function loadModelFrom(dir: string): Model {
  const { raw, shown } = readValidated(dir);
  return build(raw, shown);
}

export interface Snapshot {
  signature: string;
  raw: ValidatedRaw;
  shown: string[];
}

function snapshotPath(dir: string): string {
  return resolve(dir, '..', '..', 'dist', 'model-snapshot.json');
}

/**
 * A hash of the names and contents of the files the model is read from. Contents, not mtimes:
 * a checkout, a copy or a restored timestamp must not make a stale snapshot look current
 * (and hashing the few model files is cheap at start-up).
 */
function sourceSignature(dir: string): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) || f === SCHEMA_FILE)
    .sort()) {
    hash
      .update(f)
      .update('\0')
      .update(readFileSync(join(dir, f)))
      .update('\0');
  }
  return hash.digest('hex');
}

/** The snapshot of `dir` in dist/ when it was made from the files `dir` holds now. */
export function currentSnapshot(dir: string): Snapshot | null {
  try {
    const snap = JSON.parse(readFileSync(snapshotPath(dir), 'utf8')) as Snapshot;
    return snap.signature === sourceSignature(dir) ? snap : null;
  } catch {
    return null; // no snapshot (running from src/ before a build): validate the YAML instead
  }
}

/** The model a snapshot holds (what loadModel returns when the snapshot is current). */
export function modelFromSnapshot(snapshot: Snapshot): Model {
  return build(snapshot.raw, snapshot.shown);
}

/** Validates the packaged model and records it for loadModel; run by `npm run build`. */
export function writeModelSnapshot(dir: string = defaultModelDir()): string {
  const { raw, shown } = readValidated(dir);
  const path = snapshotPath(dir);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ signature: sourceSignature(dir), raw, shown } satisfies Snapshot));
  return path;
}

function readValidated(dir: string): { raw: ValidatedRaw; shown: string[] } {
  const schemaPath = join(dir, SCHEMA_FILE);
  if (!existsSync(schemaPath)) throw new UsageError(`${schemaPath}: model schema not found`);
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
  const { Ajv } = lazy.ajv();
  const ajv: AjvClass = new Ajv({ allErrors: false, strict: false });
  const validate = ajv.compile(schema);
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) throw new UsageError(`${dir}: no model files (*.yaml)`);

  const raw: RawFile = {};
  const shown: string[] = [];
  const releaseNames = new Set<string>();
  const parsed: { name: string; data: RawFile }[] = [];
  for (const f of files) {
    const path = join(dir, f);
    const name = displayPath(path);
    shown.push(name);
    const doc = lazy.yaml().parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true });
    const yamlError = doc.errors[0];
    if (yamlError) {
      const line = yamlError.linePos?.[0]?.line;
      throw new UsageError(`${name}${line ? `:${line}` : ''}: ${yamlError.message.split('\n')[0]}`);
    }
    const data = doc.toJS() as unknown;
    if (!validate(data)) throw new UsageError(`${name}: ${describeError(validate.errors?.[0], data)}`);
    const file = data as RawFile;
    for (const r of file.releases?.list ?? []) releaseNames.add(r.version);
    parsed.push({ name, data: file });
  }
  for (const { name, data } of parsed) {
    for (const key of Object.keys(data) as (keyof RawFile)[]) {
      if (key === 'releases') {
        if (raw.releases) throw new UsageError(`${name}: releases: defined in more than one file`);
        raw.releases = data.releases;
      } else if (key === 'world') {
        if (raw.world) throw new UsageError(`${name}: world: defined in more than one file`);
        raw.world = data.world;
        worldPatterns(name, 'paths', data.world?.paths ?? []);
        worldPatterns(name, 'lines', data.world?.lines ?? []);
      } else
        (raw[key] as unknown[]) = [...((raw[key] as unknown[] | undefined) ?? []), ...((data[key] as unknown[]) ?? [])];
    }
  }
  for (const { name, data } of parsed) checkRanges(name, data, releaseNames);
  if (!raw.releases) throw new UsageError(`${dir}: no file defines releases`);
  return { raw: { ...raw, releases: raw.releases }, shown };
}

/** The world's patterns as regular expressions; one that is not is the model file's error. */
function worldPatterns(name: string, key: 'paths' | 'lines', patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => {
    try {
      // A line shape is tested over a patch's changed lines at once (src/engine/world.ts): `^` and `$`
      // still mean a line's start and end.
      return new RegExp(p, key === 'lines' ? 'm' : '');
    } catch (err) {
      throw new UsageError(`${name}: world.${key}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

/** `types[2] (device-public).names[0].since: must match pattern ...` */
function describeError(e: ErrorObject | undefined, data: unknown): string {
  if (!e) return 'invalid';
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = '';
  let node: unknown = data;
  for (const p of parts) {
    node = (node as Record<string, unknown> | undefined)?.[p];
    if (/^\d+$/.test(p)) {
      path += `[${p}]`;
      const entry = node as { id?: unknown; name?: unknown; arch?: unknown; value?: unknown } | undefined;
      const label = entry?.id ?? entry?.name ?? entry?.arch ?? entry?.value;
      if (typeof label === 'string' && /^[\w-]{1,40}$/.test(label)) path += ` (${label})`;
    } else path += path ? `.${p}` : p;
  }
  const extra = e.params as { additionalProperty?: string; missingProperty?: string; allowedValues?: unknown[] };
  if (extra.additionalProperty) return `${path ? `${path}.` : ''}${extra.additionalProperty}: unknown field`;
  if (extra.missingProperty) return `${path ? `${path}.` : ''}${extra.missingProperty}: required field is missing`;
  const allowed = extra.allowedValues ? ` (${extra.allowedValues.map(String).join(', ')})` : '';
  return `${path || '(top level)'}: ${e.message ?? 'invalid'}${allowed}`;
}

/** Every since/until must name a listed release, and since must come before until. */
function checkRanges(name: string, data: unknown, releases: ReadonlySet<string>): void {
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${path}[${i}]`));
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['since', 'until'] as const) {
        const v = o[key];
        if (
          typeof v === 'string' &&
          releases.size > 0 &&
          !releases.has(v) &&
          !(key === 'since' && path.startsWith('releases'))
        )
          throw new UsageError(
            `${name}: ${path ? `${path}.` : ''}${key}: ${v} is not a release listed in releases.yaml`,
          );
      }
      if (typeof o.since === 'string' && typeof o.until === 'string' && compareReleases(o.since, o.until) >= 0)
        throw new UsageError(`${name}: ${path ? `${path}.` : ''}until: ${o.until} is not after since ${o.since}`);
      for (const [k, v] of Object.entries(o))
        if (typeof v === 'object' && v !== null) walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(data, '');
}

// The YAML shape (snake_case, optional fields) before it becomes the Model.
interface RawFact<T> {
  value: T;
  since: string;
  until?: string;
  source: string;
  confidence: 'read' | 'recalled';
  note?: string;
}
interface RawHelperFact extends RawFact<string> {
  header: string;
  guard?: string;
  stub?: string;
}
interface RawType {
  id: string;
  mainline: boolean;
  summary: string;
  exists: RawFact<boolean>[];
  names: RawFact<string>[];
  values: RawFact<number>[];
  properties: Record<string, RawFact<never>[] | undefined>;
  callbacks: RawFact<string[]>[];
  kconfig: RawFact<string | null>[];
  helpers: RawHelperFact[];
  iores: RawFact<string>[];
}
interface RawEra {
  id: string;
  since: string;
  until?: string;
  summary: string;
  gate: string[];
  arch_select: string | null;
  devmap_required: boolean;
  devmap_markers: string[];
  source: string;
  confidence: 'read' | 'recalled';
}
interface RawFile {
  types?: RawType[];
  eras?: RawEra[];
  arches?: {
    arch: string;
    support: RawFact<ArchSupport['support'][number]['value']>[];
    devmap: RawFact<ArchSupport['devmap'][number]['value']>[];
  }[];
  hooks?: { name: string; header: string; prototypes: RawFact<string>[]; defined_in?: RawFact<string[]>[] }[];
  predicates?: { name: string; level: Predicate['level']; tests: string; where: RawFact<string>[] }[];
  identifiers?: { name: string; kind: IdentifierEntry['kind']; of?: string; where: RawFact<string>[] }[];
  releases?: {
    source: string;
    confidence: 'read' | 'recalled';
    merge_window_days: number;
    list: { version: string; date?: string }[];
    observed?: { version: string; tree: string; source: string }[];
  };
  replacements?: { name: string; by: string; release?: string; source: string }[];
  config_names?: { name: string; kind: ConfigName['kind']; header: string; guard: RawFact<string>[] }[];
  config_fields?: {
    name: string;
    struct: string;
    header: string;
    guard: RawFact<string>[];
    unique: RawFact<boolean>[];
  }[];
  config_depends?: { symbol: string; implies: RawFact<string>[] }[];
  config_files?: { path: string; built: RawFact<string>[] }[];
  devmap_contract?: RawDevmapContract[];
  world?: { paths: string[]; lists: string[]; lines: string[]; words: string[]; api_names: string[] };
}
interface RawDevmapContract {
  id: string;
  since: string;
  until?: string;
  summary: string;
  thp_guard: { names: string[]; symbol: string; fallback_headers: string[]; source: string };
  special: { maker: string; bit: string; helpers: string[]; requires: string[]; source: string };
  pairs: { name: string; needs: string[] }[];
  source: string;
  confidence: 'read' | 'recalled';
}
/** The files of a model together: some file defines the releases. */
type ValidatedRaw = RawFile & Required<Pick<RawFile, 'releases'>>;

function fact<T>(f: RawFact<T>): Fact<T> {
  return {
    value: f.value,
    since: f.since,
    until: f.until ?? null,
    source: f.source,
    confidence: f.confidence,
    note: f.note ?? null,
  };
}
const facts = <T>(fs: RawFact<T>[] | undefined): Fact<T>[] => (fs ?? []).map(fact);

function build(raw: ValidatedRaw, files: string[]): Model {
  const types: MemoryType[] = (raw.types ?? []).map((t) => ({
    id: t.id,
    mainline: t.mainline,
    summary: t.summary,
    exists: facts(t.exists),
    names: facts(t.names),
    values: facts(t.values),
    properties: {
      cpuAddressable: facts(t.properties.cpu_addressable as RawFact<boolean>[] | undefined),
      cacheCoherent: facts(t.properties.cache_coherent as RawFact<boolean>[] | undefined),
      migratable: facts(t.properties.migratable as RawFact<boolean>[] | undefined),
      longTermPin: facts(t.properties.long_term_pin as RawFact<boolean>[] | undefined),
      onLru: facts(t.properties.on_lru as RawFact<boolean>[] | undefined),
      userMapping: facts(
        t.properties.user_mapping as RawFact<MemoryType['properties']['userMapping'][number]['value']>[] | undefined,
      ),
    },
    callbacks: facts(t.callbacks),
    kconfig: facts(t.kconfig),
    helpers: t.helpers.map((h): HelperFact => ({
      ...fact(h),
      header: h.header,
      guard: h.guard ?? null,
      stub: h.stub ?? null,
    })),
    iores: facts(t.iores),
  }));
  const seen = new Set<string>();
  for (const t of types) {
    if (seen.has(t.id)) throw new UsageError(`${files.join(', ')}: types: id ${t.id} is defined twice`);
    seen.add(t.id);
  }
  const eras: ArchEra[] = (raw.eras ?? []).map((e) => ({
    id: e.id,
    since: e.since,
    until: e.until ?? null,
    summary: e.summary,
    gate: e.gate,
    archSelect: e.arch_select,
    devmapRequired: e.devmap_required,
    devmapMarkers: e.devmap_markers,
    source: e.source,
    confidence: e.confidence,
  }));
  eras.sort((a, b) => compareReleases(a.since, b.since));
  const arches: ArchSupport[] = (raw.arches ?? []).map((a) => ({
    arch: a.arch,
    support: facts(a.support),
    devmap: facts(a.devmap),
  }));
  const hooks: HookPrototype[] = (raw.hooks ?? []).map((h) => ({
    name: h.name,
    header: h.header,
    prototypes: facts(h.prototypes),
    definedIn: facts(h.defined_in),
  }));
  const predicates: Predicate[] = (raw.predicates ?? []).map((p) => ({
    name: p.name,
    level: p.level,
    tests: p.tests,
    where: facts(p.where),
  }));
  const identifiers: IdentifierEntry[] = (raw.identifiers ?? []).map((i) => ({
    name: i.name,
    kind: i.kind,
    of: i.of ?? null,
    where: facts(i.where),
  }));
  const observed: ObservedTree[] = (raw.releases.observed ?? []).map((o) => ({
    release: o.version,
    tree: o.tree,
    source: o.source,
  }));
  observed.sort((a, b) => compareReleases(a.release, b.release));
  const replacements: Replacement[] = (raw.replacements ?? []).map((r) => ({
    name: r.name,
    by: r.by,
    release: r.release ?? null,
    source: r.source,
  }));
  const configNames: ConfigName[] = (raw.config_names ?? []).map((c) => ({
    name: c.name,
    kind: c.kind,
    header: c.header,
    guard: facts(c.guard),
  }));
  const configFields: ConfigField[] = (raw.config_fields ?? []).map((c) => ({
    name: c.name,
    struct: c.struct,
    header: c.header,
    guard: facts(c.guard),
    unique: facts(c.unique),
  }));
  const configDepends: ConfigDepends[] = (raw.config_depends ?? []).map((c) => ({
    symbol: c.symbol,
    implies: facts(c.implies),
  }));
  const configFiles: ConfigFile[] = (raw.config_files ?? []).map((c) => ({ path: c.path, built: facts(c.built) }));
  const devmapContract: DevmapContract[] = (raw.devmap_contract ?? []).map((c) => ({
    id: c.id,
    since: c.since,
    until: c.until ?? null,
    summary: c.summary,
    thpGuard: {
      names: c.thp_guard.names,
      symbol: c.thp_guard.symbol,
      fallbackHeaders: c.thp_guard.fallback_headers,
      source: c.thp_guard.source,
    },
    special: c.special,
    pairs: c.pairs,
    source: c.source,
    confidence: c.confidence,
  }));
  const world: ZoneDeviceWorld = {
    paths: worldPatterns('world', 'paths', raw.world?.paths ?? []),
    lists: (raw.world?.lists ?? []).map((a) => a.toLowerCase()),
    lines: worldPatterns('world', 'lines', raw.world?.lines ?? []),
    words: [...(raw.world?.words ?? []), ...(raw.world?.api_names ?? [])],
  };
  const releases: ReleaseDate[] = raw.releases.list.map((r) => ({ version: r.version, date: r.date ?? null }));
  const model: Omit<Model, 'index'> = {
    files,
    types,
    eras,
    arches,
    hooks,
    predicates,
    identifiers,
    configNames,
    configFields,
    configDepends,
    configFiles,
    releases,
    mergeWindowDays: raw.releases.merge_window_days,
    observed,
    replacements,
    devmapContract,
    world,
  };
  return { ...model, index: buildIndex(model) };
}

function buildIndex(m: Omit<Model, 'index'>): Map<string, IdentifierSpan[]> {
  const index = new Map<string, IdentifierSpan[]>();
  const add = (name: string, span: IdentifierSpan) => {
    const list = index.get(name) ?? [];
    list.push(span);
    index.set(name, list);
  };
  const span = (
    f: Fact<unknown>,
    kind: IdentifierSpan['kind'],
    where: string | null,
    typeId: string | null,
    mainline = true,
  ): IdentifierSpan => ({
    since: f.since,
    until: f.until,
    kind,
    where,
    typeId,
    mainline,
    confidence: f.confidence,
    source: f.source,
    note: f.note,
  });
  for (const t of m.types) {
    for (const f of t.names) add(f.value, span(f, 'enumerator', 'include/linux/memremap.h', t.id, t.mainline));
    for (const f of t.helpers) add(f.value, span(f, 'helper', f.header, t.id, t.mainline));
    for (const f of t.iores) add(f.value, span(f, 'iores', 'include/linux/ioport.h', t.id, t.mainline));
    for (const f of t.kconfig) if (f.value !== null) add(f.value, span(f, 'kconfig', null, t.id, t.mainline));
  }
  for (const p of m.predicates) for (const f of p.where) add(p.name, span(f, 'predicate', f.value, null));
  for (const i of m.identifiers) for (const f of i.where) add(i.name, span(f, i.kind, f.value, null));
  return index;
}
