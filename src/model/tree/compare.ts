// Where a base tree's facts differ from the model at the tree's release, each difference one
// sentence for an info finding (rules/model-differs-from-tree.md); the tree is followed (apply.ts).
import { isMemoryKconfig } from '../changes.js';
import type { ArchEra, Model, ModelView } from '../types.js';
import { ARCH_SYMBOLS, treeEra } from './gate.js';
import { normaliseGuard } from './headers.js';
import type { TreeDifference, TreeEnumMember, TreeFacts, TreeKconfig } from './types.js';

/** Where the tree's enum memory_type disagrees with the model at the tree's version. */
export function compareEnumWithModel(tree: readonly TreeEnumMember[], view: ModelView): TreeDifference[] {
  const out: TreeDifference[] = [];
  const model = new Map(view.types.map((t) => [t.name, t.value]));
  const inTree = new Map(tree.map((m) => [m.name, m]));
  for (const m of tree) {
    if (!model.has(m.name)) {
      out.push({ kind: 'only-in-tree', name: m.name, modelValue: null, treeValue: m.value, line: m.line,
        message: `the base tree's enum memory_type has ${m.name}, which the model does not list for ${view.release}; the tree is followed` });
    } else if (model.get(m.name) !== null && model.get(m.name) !== m.value) {
      out.push({ kind: 'value-differs', name: m.name, modelValue: model.get(m.name)!, treeValue: m.value, line: m.line,
        message: `${m.name} is ${m.value} in the base tree but ${model.get(m.name)} in the model for ${view.release}; the tree is followed` });
    }
  }
  for (const name of view.enumMembers)
    if (!inTree.has(name))
      out.push({ kind: 'missing-in-tree', name, modelValue: model.get(name) ?? null, treeValue: null, line: null,
        message: `the model lists ${name} for ${view.release} but the base tree's enum memory_type does not have it; the tree is followed` });
  return out;
}

interface Expected {
  name: string;
  header: string;
  guard: string | null;
  /** The enumerator of its type; null for generic predicates (which carry no guard in the model). */
  type: string | null;
}

function expectedHelpers(view: ModelView): Expected[] {
  const out: Expected[] = [];
  for (const t of view.types) for (const h of t.helpers) out.push({ name: h.name, header: h.header, guard: h.guard, type: t.name });
  for (const p of view.predicates) if (p.typeId === null && (p.level === 'page' || p.level === 'folio')) out.push({ name: p.name, header: p.header, guard: null, type: null });
  return out;
}

/** A model guard that is a preprocessor expression (not prose such as "IS_ENABLED() after 5.3"). */
export function comparableGuard(g: string): boolean {
  return /^[\s!()&|A-Za-z0-9_]+$/.test(g) && /\bCONFIG_\w+/.test(g) && !/\b(?:until|after|before|since)\b/.test(g);
}

const guardKey = (g: string) => normaliseGuard(g).replace(/[()\s]/g, '');

/** Where the tree's helpers, Kconfig entries and arch selects differ from the model at `view.release`. */
export function compareTreeFacts(facts: TreeFacts, view: ModelView, model: Model): TreeDifference[] {
  const out: TreeDifference[] = [];
  const rel = view.release;
  const diff = (kind: TreeDifference['kind'], name: string, file: string | null, line: number | null, message: string) =>
    out.push({ kind, name, modelValue: null, treeValue: null, file, line, message: `${message}; the tree is followed` });

  // Helpers.
  const expected = expectedHelpers(view);
  const byName = new Map(facts.helpers.map((h) => [h.name, h]));
  const read = new Set(facts.headers);
  // A helper of a type the tree's enum lacks is that one difference, already said.
  const members = facts.enum ? new Set(facts.enum.map((m) => m.name)) : null;
  for (const e of expected) {
    const t = byName.get(e.name);
    if (!t) {
      if (e.type !== null && members !== null && !members.has(e.type)) continue;
      if (read.has(e.header)) diff('helper-missing-in-tree', e.name, null, null, `the model lists ${e.name}() in ${e.header} for ${rel} but the base tree's ${facts.headers.join(', ')} do not have it`);
      continue;
    }
    if (!t.files.includes(e.header)) {
      if (read.has(e.header)) diff('helper-header-differs', e.name, t.file, t.line, `${e.name}() is in ${t.file} in the base tree but in ${e.header} in the model for ${rel}`);
      continue;
    }
    if (e.type === null) continue;
    const tg = t.guard;
    const mg = e.guard;
    if (mg !== null && !comparableGuard(mg)) continue;
    if ((tg === null) !== (mg === null) || (tg !== null && mg !== null && guardKey(tg) !== guardKey(mg)))
      diff('helper-guard-differs', e.name, t.file, t.line,
        `${e.name}() is ${tg ? `under #if ${tg}` : 'under no #if CONFIG_'} in the base tree but ${mg ? `under #if ${mg}` : 'under no #if CONFIG_'} in the model for ${rel}`);
  }
  const expectedNames = new Set(expected.map((e) => e.name));
  for (const t of facts.helpers)
    if (!expectedNames.has(t.name)) diff('helper-only-in-tree', t.name, t.file, t.line, `the base tree's ${t.file} has ${t.name}(), which the model does not list for ${rel}`);

  // Kconfig entries of the memory types.
  const kfiles = new Set(facts.kconfigFiles);
  const treeK = new Map<string, TreeKconfig>();
  for (const k of facts.kconfig) if (!treeK.has(k.name)) treeK.set(k.name, k);
  for (const name of view.kconfigSymbols) {
    const files = (view.locations[name] ?? []).filter((f) => /(^|\/)Kconfig[^/]*$/.test(f));
    const t = treeK.get(name);
    if (!t) {
      const gone = files.filter((f) => kfiles.has(f));
      if (gone.length) diff('kconfig-missing-in-tree', name, null, null, `the model lists config ${name} in ${gone.join(', ')} for ${rel} but the base tree's ${gone.join(', ')} does not have it`);
    } else if (files.length && !files.includes(t.file) && files.some((f) => kfiles.has(f))) {
      diff('kconfig-file-differs', name, t.file, t.line, `config ${name} is in ${t.file} in the base tree but in ${files.join(', ')} in the model for ${rel}`);
    }
  }
  const known = new Set(view.kconfigSymbols);
  for (const [name, t] of treeK)
    if (!known.has(name) && isMemoryKconfig(name, t.dependsOn, model))
      diff('kconfig-only-in-tree', name, t.file, t.line, `the base tree's ${t.file} has config ${name}, which the model does not list for ${rel}`);
  const { era, deps } = treeEra(facts, view, model);
  if (deps && view.era && era && era.gate.join() !== view.era.gate.join()) {
    const zd = treeK.get('ZONE_DEVICE')!;
    const switched = era.id !== view.era.id ? ` (the ZONE_DEVICE era ${era.id}'s)` : '';
    diff('kconfig-gate-differs', 'ZONE_DEVICE', zd.file, zd.line,
      `config ZONE_DEVICE depends on ${deps.join(', ')}${switched} in the base tree but on ${view.era.gate.join(', ')} (era ${view.era.id}) in the model for ${rel}`);
  }

  // Arch selects of the era's enabling symbol and of the devmap symbol.
  if (facts.archSelects !== null && era?.archSelect && facts.archSymbols.includes(era.archSelect)) {
    const symbols = new Set([era.archSelect, ...(era.devmapMarkers.includes('ARCH_HAS_PTE_DEVMAP') || era.archSelect === 'ARCH_HAS_PTE_DEVMAP' ? ['ARCH_HAS_PTE_DEVMAP'] : [])]);
    const modelArch = expectedArchSelects(view, era);
    const seen = new Set<string>();
    for (const s of facts.archSelects) {
      const key = `${s.arch}\0${s.symbol}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const cond = s.condition ? ` if ${s.condition}` : '';
      if (!modelArch.has(key)) {
        // Symbols of other eras still selected are a difference too (the era boundary is wrong).
        if (symbols.has(s.symbol) || ARCH_SYMBOLS.includes(s.symbol))
          diff('arch-only-in-tree', `${s.symbol} on ${s.arch}`, s.file, s.line, `the base tree's ${s.file} selects ${s.symbol}${cond} for ${s.arch}, which the model does not list for ${rel}`);
        continue;
      }
      const want = modelArch.get(key);
      if (want !== undefined && normCond(want) !== normCond(s.condition)) {
        diff('arch-condition-differs', `${s.symbol} on ${s.arch}`, s.file, s.line,
          `${s.arch} selects ${s.symbol}${s.condition ? ` if ${s.condition}` : ' unconditionally'} in the base tree but ${want ? `if ${want}` : 'unconditionally'} in the model for ${rel}`);
      }
    }
    for (const [key] of modelArch) {
      const [arch, symbol] = key.split('\0') as [string, string];
      if (!seen.has(key) && facts.archesRead.includes(arch))
        diff('arch-missing-in-tree', `${symbol} on ${arch}`, null, null, `the model lists ${arch} as selecting ${symbol} for ${rel} but no arch/${arch}/Kconfig* of the base tree does`);
    }
  }
  return out;
}

const normCond = (c: string | null) => (c ?? '').replace(/[()\s]/g, '');

/** (arch, symbol) -> the condition the model gives (undefined: the symbol is the devmap marker, no condition known). */
function expectedArchSelects(view: ModelView, era: ArchEra): Map<string, string | null | undefined> {
  const out = new Map<string, string | null | undefined>();
  for (const a of view.arches) {
    if (a.symbol && a.symbol === era.archSelect) out.set(`${a.arch}\0${a.symbol}`, a.condition);
    const marker = a.devmap?.marker;
    if (marker && ARCH_SYMBOLS.includes(marker) && !out.has(`${a.arch}\0${marker}`)) out.set(`${a.arch}\0${marker}`, undefined);
  }
  return out;
}
