// The view the rules see, with what the base tree shows in force: its enum memory_type, helpers,
// Kconfig symbols, ZONE_DEVICE gate and arch selects. Only what the tree could show is changed:
// facts about files the tree does not have stay the model's.
import { isMemoryKconfig } from '../changes.js';
import { typeHelperPredicates } from '../query.js';
import type { ArchAt, Model, ModelView, PredicateAt } from '../types.js';
import { comparableGuard } from './compare.js';
import { ARCH_SYMBOLS, treeEra } from './gate.js';
import type { TreeEnumMember, TreeFacts, TreeHelper } from './types.js';

/**
 * The view with the tree's enum members in force: members the model does not know are
 * added as types of unknown properties (null), members the tree lacks are dropped.
 */
export function applyTreeEnum(view: ModelView, tree: readonly TreeEnumMember[]): ModelView {
  const byName = new Map(view.types.map((t) => [t.name, t]));
  const types = tree.map((m) => {
    const known = byName.get(m.name);
    if (known) return { ...known, value: m.value };
    return {
      id: m.name
        .toLowerCase()
        .replace(/^memory_device_/, '')
        .replace(/_/g, '-'),
      mainline: true,
      name: m.name,
      value: m.value,
      summary: 'known only from the base tree',
      cpuAddressable: null,
      cacheCoherent: null,
      migratable: null,
      longTermPin: null,
      onLru: null,
      userMapping: null,
      callbacks: [],
      kconfig: null,
      helpers: [],
      iores: [],
    };
  });
  return { ...view, types, enumMembers: tree.map((m) => m.name) };
}

/** The memory type a helper of the tree belongs to: the enumerator its body tests, the helper it calls, or its name. */
function typeOfHelper(h: TreeHelper, view: ModelView, helpers: ReadonlyMap<string, TreeHelper>): string | null {
  const byEnum = (e: string | null) => (e ? (view.types.find((t) => t.name === e)?.id ?? null) : null);
  const direct = byEnum(h.tests);
  if (direct) return direct;
  if (h.calls) {
    const owner = view.types.find((t) => t.helpers.some((x) => x.name === h.calls));
    if (owner) return owner.id;
    const called = helpers.get(h.calls);
    if (called && byEnum(called.tests)) return byEnum(called.tests);
  }
  const stem = (/^is_(\w+)_page$/.exec(h.name) ?? /^folio_is_(\w+)$/.exec(h.name))?.[1]
    ?.replace(/_/g, '')
    .toUpperCase();
  if (!stem) return null;
  return view.types.find((t) => t.name.replace(/^MEMORY_DEVICE_/, '').replace(/_/g, '') === stem)?.id ?? null;
}

/**
 * The view with the tree's helpers, Kconfig symbols, ZONE_DEVICE gate and arch selects in force
 * (the enum is applyTreeEnum's). Only what the tree could show is changed: facts about files the
 * tree does not have stay the model's.
 */
export function applyTreeFacts(view: ModelView, facts: TreeFacts, model: Model): ModelView {
  const read = new Set(facts.headers);
  const treeHelpers = new Map(facts.helpers.map((h) => [h.name, h]));
  const locations: Record<string, string[]> = { ...view.locations };
  // Per-type helpers: the tree's header and guard; dropped when its header is read and it is nowhere; added by owner.
  const types = view.types.map((t) => ({
    ...t,
    helpers: t.helpers.flatMap((h) => {
      const th = treeHelpers.get(h.name);
      if (!th) return read.has(h.header) ? [] : [h];
      const header = th.files.includes(h.header) ? h.header : th.file;
      return [
        {
          name: h.name,
          header,
          guard: th.files.includes(h.header) && h.guard !== null && !comparableGuard(h.guard) ? h.guard : th.guard,
        },
      ];
    }),
  }));
  const listed = new Set(view.predicates.map((p) => p.name));
  const generic: PredicateAt[] = view.predicates
    .filter((p) => p.typeId === null)
    .flatMap((p) => {
      if (p.level !== 'page' && p.level !== 'folio') return [p];
      const th = treeHelpers.get(p.name);
      if (!th) return read.has(p.header) ? [] : [p];
      return [{ ...p, header: th.files.includes(p.header) ? p.header : th.file }];
    });
  for (const th of facts.helpers) {
    if (listed.has(th.name)) continue;
    const id = typeOfHelper(th, view, treeHelpers);
    const owner = id === null ? undefined : types.find((t) => t.id === id);
    if (owner) owner.helpers.push({ name: th.name, header: th.file, guard: th.guard });
    else
      generic.push({
        name: th.name,
        header: th.file,
        level: th.name.startsWith('folio_') ? 'folio' : 'page',
        typeId: null,
      });
  }
  for (const p of view.predicates)
    if ((p.level === 'page' || p.level === 'folio') && !treeHelpers.has(p.name) && read.has(p.header))
      delete locations[p.name];
  for (const th of facts.helpers) locations[th.name] = th.files;
  const predicates: PredicateAt[] = [...generic, ...typeHelperPredicates(types)];

  // Kconfig symbols: those the model lists for files the tree has must be there; the tree's own memory-type symbols are added.
  const kfiles = new Set(facts.kconfigFiles);
  const treeK = new Map(facts.kconfig.map((k) => [k.name, k]));
  const kconfigSymbols = new Set(view.kconfigSymbols);
  for (const name of view.kconfigSymbols) {
    const files = (view.locations[name] ?? []).filter((f) => /(^|\/)Kconfig[^/]*$/.test(f));
    const t = treeK.get(name);
    if (!t && files.some((f) => kfiles.has(f))) {
      kconfigSymbols.delete(name);
      locations[name] = (locations[name] ?? []).filter((f) => !files.includes(f));
      if (!locations[name].length) delete locations[name];
    } else if (t && !files.includes(t.file)) {
      locations[name] = [...(locations[name] ?? []).filter((f) => !files.includes(f)), t.file];
    }
  }
  for (const [name, t] of treeK) {
    if (kconfigSymbols.has(name) || !isMemoryKconfig(name, t.dependsOn, model)) continue;
    kconfigSymbols.add(name);
    locations[name] = [...(locations[name] ?? []), t.file];
  }
  for (const t of types) if (t.kconfig !== null && !kconfigSymbols.has(t.kconfig)) t.kconfig = null;

  // The era the tree's config ZONE_DEVICE shows, and the arches its arch/*/Kconfig* enable.
  const { era } = treeEra(facts, view, model);
  let arches: ArchAt[] = view.arches;
  if (facts.archSelects !== null && era?.archSelect && facts.archSymbols.includes(era.archSelect)) {
    const { archSelects } = facts;
    const { archSelect } = era;
    const sel = (arch: string, symbol: string) => archSelects.find((s) => s.arch === arch && s.symbol === symbol);
    const names = [...new Set([...view.arches.map((a) => a.arch), ...facts.archSelects.map((s) => s.arch)])];
    arches = names
      .flatMap((arch): ArchAt[] => {
        const was = view.arches.find((a) => a.arch === arch);
        if (!facts.archesRead.includes(arch)) return was ? [was] : [];
        const on = sel(arch, archSelect);
        if (!on) return [];
        const devmapSel = sel(arch, 'ARCH_HAS_PTE_DEVMAP');
        const devmap = devmapSel
          ? was?.devmap?.marker === 'ARCH_HAS_PTE_DEVMAP'
            ? was.devmap
            : { marker: 'ARCH_HAS_PTE_DEVMAP', file: devmapSel.file }
          : was?.devmap && !ARCH_SYMBOLS.includes(was.devmap.marker)
            ? was.devmap
            : null;
        return [{ arch, symbol: on.symbol, condition: on.condition, devmap, confidence: 'read' }];
      })
      .sort((a, b) => names.indexOf(a.arch) - names.indexOf(b.arch));
  }
  return { ...view, types, predicates, kconfigSymbols: [...kconfigSymbols].sort(), era, arches, locations };
}
