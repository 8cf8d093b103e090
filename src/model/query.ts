// The model at one release (modelAt), and questions across all releases (where an
// identifier exists, what defines it). Pure over a loaded Model.
import { loadModel } from './load.js';
import { clampRelease, compareReleases, inRange, parseVersion, type KernelVersion } from './version.js';
import type {
  ArchAt,
  ArchEra,
  Fact,
  HookAt,
  IdentifierSpan,
  MemoryType,
  MemoryTypeAt,
  Model,
  ModelView,
  PredicateAt,
  Release,
} from './types.js';

/** The value of the first fact in force at `release`, or null. */
export function valueAt<T>(facts: readonly Fact<T>[], release: Release): T | null {
  const f = facts.find((x) => inRange(release, x));
  return f === undefined ? null : f.value;
}

export function factAt<T>(facts: readonly Fact<T>[], release: Release): Fact<T> | null {
  return facts.find((x) => inRange(release, x)) ?? null;
}

/**
 * Resolves a version string (or KernelVersion) to its release line. A kernel newer than the
 * last release the model lists is read as that release (its era is the newest zdcheck knows).
 * Throws nothing: null when unreadable.
 */
export function releaseOf(version: string | KernelVersion, model: Model = loadModel()): Release | null {
  const release =
    typeof version !== 'string'
      ? version.release
      : (parseVersion(version, model.releases, model.mergeWindowDays)?.release ?? null);
  return release === null ? null : clampRelease(release, model.releases).release;
}

function typeAt(t: MemoryType, release: Release): MemoryTypeAt | null {
  if (valueAt(t.exists, release) !== true) return null;
  const p = t.properties;
  return {
    id: t.id,
    mainline: t.mainline,
    name: valueAt(t.names, release) ?? `(${t.id}, no enumerator)`,
    value: valueAt(t.values, release),
    summary: t.summary,
    cpuAddressable: valueAt(p.cpuAddressable, release),
    cacheCoherent: valueAt(p.cacheCoherent, release),
    migratable: valueAt(p.migratable, release),
    longTermPin: valueAt(p.longTermPin, release),
    onLru: valueAt(p.onLru, release),
    userMapping: valueAt(p.userMapping, release),
    callbacks: valueAt(t.callbacks, release) ?? [],
    kconfig: valueAt(t.kconfig, release),
    helpers: t.helpers
      .filter((h) => inRange(release, h))
      .map((h) => ({ name: h.value, header: h.header, guard: h.guard })),
    iores: t.iores.filter((f) => inRange(release, f)).map((f) => f.value),
  };
}

/**
 * The model in force at a version: mainline types with their properties, the enum's
 * members in order, predicates, Kconfig symbols, IORES descriptors, the architecture era,
 * the architectures that can enable ZONE_DEVICE, hook prototypes and where identifiers live.
 * Throws on an unreadable version string (callers check user input with parseVersion first).
 */
export function modelAt(version: string | KernelVersion, model: Model = loadModel()): ModelView {
  const release = releaseOf(version, model);
  if (release === null)
    throw new Error(`not a kernel version: ${String(typeof version === 'string' ? version : version.text)}`);
  // Made once per model and release: a large mbox asks for the same release per series. Frozen, so a
  // caller that changed it would throw.
  let views = viewCache.get(model);
  if (!views) viewCache.set(model, (views = new Map<string, ModelView>()));
  let view = views.get(release);
  if (!view) views.set(release, (view = lazyView(release, model)));
  return view;
}

/** What a view holds besides its release and era: built at the first read of any of them. */
const BUILT_ON_READ = [
  'types',
  'enumMembers',
  'predicates',
  'kconfigSymbols',
  'ioresDescriptors',
  'arches',
  'hooks',
  'locations',
] as const satisfies readonly (keyof ModelView)[];

/**
 * The view of a release, its release and era at once and the rest on first read. A series outside
 * the ZONE_DEVICE world reads only those two (its report's kernel line), and an archive's series
 * name dozens of releases: building each view in full was a large share of checking one.
 */
function lazyView(release: Release, model: Model): ModelView {
  let built: ModelView | undefined;
  const full = (): ModelView => (built ??= deepFreeze(buildView(release, model)));
  const view = { release, era: deepFreeze(eraAt(release, model)) } as ModelView;
  for (const key of BUILT_ON_READ) Object.defineProperty(view, key, { enumerable: true, get: () => full()[key] });
  return Object.freeze(view);
}

function eraAt(release: Release, model: Model): ArchEra | null {
  return model.eras.find((e) => inRange(release, e)) ?? null;
}

const viewCache = new WeakMap<Model, Map<Release, ModelView>>();

/** `value` and everything it holds, frozen: a shared view or delta that a caller changed would throw. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A memory type's helpers as predicates: each tests its page (or folio, by name) for that type. */
export function typeHelperPredicates(types: readonly MemoryTypeAt[]): PredicateAt[] {
  return types.flatMap((t) =>
    t.helpers.map((h) => ({
      name: h.name,
      header: h.header,
      level: h.name.startsWith('folio_') ? ('folio' as const) : ('page' as const),
      typeId: t.id,
    })),
  );
}

function buildView(release: Release, model: Model): ModelView {
  const types = model.types
    .filter((t) => t.mainline)
    .map((t) => typeAt(t, release))
    .filter((t): t is MemoryTypeAt => t !== null)
    .sort((a, b) => (a.value ?? -1) - (b.value ?? -1) || a.name.localeCompare(b.name));
  const named = new Set(model.types.filter((m) => valueAt(m.names, release) !== null).map((m) => m.id));
  const enumMembers = types.filter((t) => named.has(t.id)).map((t) => t.name);

  const predicates: PredicateAt[] = [];
  for (const p of model.predicates) {
    const where = valueAt(p.where, release);
    if (where !== null) predicates.push({ name: p.name, header: where, level: p.level, typeId: null });
  }
  predicates.push(...typeHelperPredicates(types));

  const locations: Record<string, string[]> = {};
  for (const [name, spans] of model.index) {
    const files = [
      ...new Set(spans.flatMap((s) => (s.mainline && s.where !== null && inRange(release, s) ? [s.where] : []))),
    ];
    if (files.length) locations[name] = files;
  }
  const kconfigSymbols = [
    ...new Set(
      [...model.index]
        .filter(([, spans]) => spans.some((s) => s.kind === 'kconfig' && s.mainline && inRange(release, s)))
        .map(([n]) => n),
    ),
  ].sort();
  const ioresDescriptors = [...new Set(types.flatMap((t) => t.iores))].sort();

  const arches: ArchAt[] = [];
  for (const a of model.arches) {
    const s = factAt(a.support, release);
    if (!s) continue;
    arches.push({
      arch: a.arch,
      symbol: s.value.symbol,
      condition: s.value.condition,
      devmap: valueAt(a.devmap, release),
      confidence: s.confidence,
    });
  }
  const hooks: HookAt[] = model.hooks.map((h) => ({
    name: h.name,
    header: h.header,
    prototype: valueAt(h.prototypes, release),
    definedIn: valueAt(h.definedIn, release) ?? [],
  }));
  return {
    release,
    types,
    enumMembers,
    predicates,
    kconfigSymbols,
    ioresDescriptors,
    era: eraAt(release, model),
    arches,
    hooks,
    locations,
  };
}

/** Every span in which the model knows `name` (a leading CONFIG_ is ignored); empty when unknown. */
export function identifierHistory(name: string, model: Model = loadModel()): IdentifierSpan[] {
  const bare = name.startsWith('CONFIG_') ? name.slice('CONFIG_'.length) : name;
  return [...(model.index.get(bare) ?? [])].sort((a, b) => compareReleases(a.since, b.since));
}

/** Does `name` exist (in mainline) at `release`? null when the model does not know it at all. */
export function existsAt(name: string, release: Release, model: Model = loadModel()): boolean | null {
  const spans = identifierHistory(name, model).filter((s) => s.mainline);
  if (spans.length === 0) return null;
  return spans.some((s) => inRange(release, s));
}

/** The files defining `name` at `release` (headers, Kconfig files); empty when unknown there. */
export function headersOf(name: string, release: Release, model: Model = loadModel()): string[] {
  const bare = name.startsWith('CONFIG_') ? name.slice('CONFIG_'.length) : name;
  return [
    ...new Set(
      (model.index.get(bare) ?? []).flatMap((s) => (s.where !== null && inRange(release, s) ? [s.where] : [])),
    ),
  ];
}

/** The memory type (whole history) that ever carried this enumerator name, or null. */
export function typeByName(name: string, model: Model = loadModel()): MemoryType | null {
  return model.types.find((t) => t.names.some((n) => n.value === name)) ?? null;
}

/** The newest release the model lists: the default when nothing says which kernel. */
export function newestRelease(model: Model = loadModel()): Release {
  return model.releases[model.releases.length - 1]!.version;
}

/** Every predicate the model knows in any era (generic and per-type helpers), mainline or not. */
export function allPredicateNames(model: Model = loadModel()): string[] {
  const names = new Set<string>(model.predicates.map((p) => p.name));
  for (const t of model.types) for (const h of t.helpers) names.add(h.value);
  return [...names].sort();
}
