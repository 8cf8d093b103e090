// Where a base tree's facts differ from the model at the tree's release, each difference a kind
// and the values its sentence names; the tree is followed (apply.ts). The sentences are the model
// report's and model-differs-from-tree's messages (rules/model-differs-from-tree/).
import { isMemoryKconfig } from '../changes.js';
import type { ArchEra, Model, ModelView } from '../types.js';
import { ARCH_SYMBOLS, treeEra } from './gate.js';
import { normaliseGuard } from './headers.js';
import type { TreeDifference, TreeDifferenceKind, TreeEnumMember, TreeFacts, TreeKconfig } from './types.js';

/**
 * What each kind of difference says, `{{placeholder}}` standing for the value of that name in its
 * data. `treeGuard`/`modelGuard` are `#if <condition>` or `no #if CONFIG_`; `treeEraNote` is empty or
 * ` (the ZONE_DEVICE era <id>'s)`; `condition` is empty or ` if <condition>`; `treeCondition` and
 * `modelCondition` are `if <condition>` or `unconditionally`.
 */
export const DIFFERENCE_SENTENCES: Readonly<Record<TreeDifferenceKind, string>> = {
  'only-in-tree': "the base tree's enum memory_type has {{name}}, which the model does not list for {{release}}",
  'value-differs': '{{name}} is {{treeValue}} in the base tree but {{modelValue}} in the model for {{release}}',
  'missing-in-tree': "the model lists {{name}} for {{release}} but the base tree's enum memory_type does not have it",
  'helper-missing-in-tree':
    "the model lists {{helper}}() in {{header}} for {{release}} but the base tree's {{headers}} do not have it",
  'helper-header-differs':
    '{{helper}}() is in {{file}} in the base tree but in {{header}} in the model for {{release}}',
  'helper-guard-differs':
    '{{helper}}() is under {{treeGuard}} in the base tree but under {{modelGuard}} in the model for {{release}}',
  'helper-only-in-tree': "the base tree's {{file}} has {{helper}}(), which the model does not list for {{release}}",
  'kconfig-missing-in-tree':
    "the model lists config {{symbol}} in {{files}} for {{release}} but the base tree's {{files}} does not have it",
  'kconfig-file-differs':
    'config {{symbol}} is in {{file}} in the base tree but in {{files}} in the model for {{release}}',
  'kconfig-only-in-tree':
    "the base tree's {{file}} has config {{symbol}}, which the model does not list for {{release}}",
  'kconfig-gate-differs':
    'config ZONE_DEVICE depends on {{treeGate}}{{treeEraNote}} in the base tree but on {{modelGate}} (era {{modelEra}}) in the model for {{release}}',
  'arch-only-in-tree':
    "the base tree's {{file}} selects {{symbol}}{{condition}} for {{arch}}, which the model does not list for {{release}}",
  'arch-condition-differs':
    '{{arch}} selects {{symbol}} {{treeCondition}} in the base tree but {{modelCondition}} in the model for {{release}}',
  'arch-missing-in-tree':
    'the model lists {{arch}} as selecting {{symbol}} for {{release}} but no arch/{{arch}}/Kconfig* of the base tree does',
};

/** A sentence with its data filled in (the rules' formatter lives above src/model, in src/engine). */
export function differenceSentence(kind: TreeDifferenceKind, data: TreeDifference['data']): string {
  return DIFFERENCE_SENTENCES[kind].replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = data[key];
    if (value === undefined) throw new Error(`no data for {{${key}}} in the ${kind} sentence`);
    return String(value);
  });
}

/** The model report's line for a difference: its sentence, and that the rules follow the tree. */
const followed = (kind: TreeDifferenceKind, data: TreeDifference['data']): string =>
  `${differenceSentence(kind, data)}; the tree is followed`;

/** Where the tree's enum memory_type disagrees with the model at the tree's version. */
export function compareEnumWithModel(tree: readonly TreeEnumMember[], view: ModelView): TreeDifference[] {
  const out: TreeDifference[] = [];
  const model = new Map(view.types.map((t) => [t.name, t.value]));
  const inTree = new Map(tree.map((m) => [m.name, m]));
  const release = view.release;
  for (const m of tree) {
    const modelValue = model.get(m.name);
    if (modelValue === undefined) {
      const data = { name: m.name, release };
      out.push({
        kind: 'only-in-tree',
        name: m.name,
        modelValue: null,
        treeValue: m.value,
        line: m.line,
        data,
        message: followed('only-in-tree', data),
      });
    } else if (modelValue !== null && modelValue !== m.value) {
      // A value the reader could not work out (`= SOME_MACRO`) is said as `null`.
      const data = { name: m.name, treeValue: m.value === null ? 'null' : m.value, modelValue, release };
      out.push({
        kind: 'value-differs',
        name: m.name,
        modelValue,
        treeValue: m.value,
        line: m.line,
        data,
        message: followed('value-differs', data),
      });
    }
  }
  for (const name of view.enumMembers)
    if (!inTree.has(name)) {
      const data = { name, release };
      out.push({
        kind: 'missing-in-tree',
        name,
        modelValue: model.get(name) ?? null,
        treeValue: null,
        line: null,
        data,
        message: followed('missing-in-tree', data),
      });
    }
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
  for (const t of view.types)
    for (const h of t.helpers) out.push({ name: h.name, header: h.header, guard: h.guard, type: t.name });
  for (const p of view.predicates)
    if (p.typeId === null && (p.level === 'page' || p.level === 'folio'))
      out.push({ name: p.name, header: p.header, guard: null, type: null });
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
  const diff = (
    kind: TreeDifferenceKind,
    name: string,
    file: string | null,
    line: number | null,
    data: Record<string, string | number>,
  ) => {
    const all = { ...data, release: rel };
    out.push({ kind, name, modelValue: null, treeValue: null, file, line, data: all, message: followed(kind, all) });
  };

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
      if (read.has(e.header))
        diff('helper-missing-in-tree', e.name, null, null, {
          helper: e.name,
          header: e.header,
          headers: facts.headers.join(', '),
        });
      continue;
    }
    if (!t.files.includes(e.header)) {
      if (read.has(e.header))
        diff('helper-header-differs', e.name, t.file, t.line, { helper: e.name, file: t.file, header: e.header });
      continue;
    }
    if (e.type === null) continue;
    const tg = t.guard;
    const mg = e.guard;
    if (mg !== null && !comparableGuard(mg)) continue;
    if ((tg === null) !== (mg === null) || (tg !== null && mg !== null && guardKey(tg) !== guardKey(mg)))
      diff('helper-guard-differs', e.name, t.file, t.line, {
        helper: e.name,
        treeGuard: tg ? `#if ${tg}` : 'no #if CONFIG_',
        modelGuard: mg ? `#if ${mg}` : 'no #if CONFIG_',
      });
  }
  const expectedNames = new Set(expected.map((e) => e.name));
  for (const t of facts.helpers)
    if (!expectedNames.has(t.name))
      diff('helper-only-in-tree', t.name, t.file, t.line, { file: t.file, helper: t.name });

  // Kconfig entries of the memory types.
  const kfiles = new Set(facts.kconfigFiles);
  const treeK = new Map<string, TreeKconfig>();
  for (const k of facts.kconfig) if (!treeK.has(k.name)) treeK.set(k.name, k);
  for (const name of view.kconfigSymbols) {
    const files = (view.locations[name] ?? []).filter((f) => /(^|\/)Kconfig[^/]*$/.test(f));
    const t = treeK.get(name);
    if (!t) {
      const gone = files.filter((f) => kfiles.has(f));
      if (gone.length) diff('kconfig-missing-in-tree', name, null, null, { symbol: name, files: gone.join(', ') });
    } else if (files.length && !files.includes(t.file) && files.some((f) => kfiles.has(f))) {
      diff('kconfig-file-differs', name, t.file, t.line, { symbol: name, file: t.file, files: files.join(', ') });
    }
  }
  const known = new Set(view.kconfigSymbols);
  for (const [name, t] of treeK)
    if (!known.has(name) && isMemoryKconfig(name, t.dependsOn, model))
      diff('kconfig-only-in-tree', name, t.file, t.line, { file: t.file, symbol: name });
  const { era, deps } = treeEra(facts, view, model);
  const zd = treeK.get('ZONE_DEVICE'); // there when deps are: they are its depends on
  if (deps && zd && view.era && era && era.gate.join() !== view.era.gate.join()) {
    diff('kconfig-gate-differs', 'ZONE_DEVICE', zd.file, zd.line, {
      treeGate: deps.join(', '),
      treeEra: era.id,
      treeEraNote: era.id !== view.era.id ? ` (the ZONE_DEVICE era ${era.id}'s)` : '',
      modelGate: view.era.gate.join(', '),
      modelEra: view.era.id,
    });
  }

  // Arch selects of the era's enabling symbol and of the devmap symbol.
  if (facts.archSelects !== null && era?.archSelect && facts.archSymbols.includes(era.archSelect)) {
    const symbols = new Set([
      era.archSelect,
      ...(era.devmapMarkers.includes('ARCH_HAS_PTE_DEVMAP') || era.archSelect === 'ARCH_HAS_PTE_DEVMAP'
        ? ['ARCH_HAS_PTE_DEVMAP']
        : []),
    ]);
    const modelArch = expectedArchSelects(view, era);
    const seen = new Set<string>();
    for (const s of facts.archSelects) {
      const key = `${s.arch}\0${s.symbol}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!modelArch.has(key)) {
        // Symbols of other eras still selected are a difference too (the era boundary is wrong).
        if (symbols.has(s.symbol) || ARCH_SYMBOLS.includes(s.symbol))
          diff('arch-only-in-tree', `${s.symbol} on ${s.arch}`, s.file, s.line, {
            file: s.file,
            symbol: s.symbol,
            condition: s.condition ? ` if ${s.condition}` : '',
            arch: s.arch,
          });
        continue;
      }
      const want = modelArch.get(key);
      if (want !== undefined && normCond(want) !== normCond(s.condition)) {
        diff('arch-condition-differs', `${s.symbol} on ${s.arch}`, s.file, s.line, {
          arch: s.arch,
          symbol: s.symbol,
          treeCondition: s.condition ? `if ${s.condition}` : 'unconditionally',
          modelCondition: want ? `if ${want}` : 'unconditionally',
        });
      }
    }
    for (const [key] of modelArch) {
      const [arch, symbol] = key.split('\0') as [string, string];
      if (!seen.has(key) && facts.archesRead.includes(arch))
        diff('arch-missing-in-tree', `${symbol} on ${arch}`, null, null, { arch, symbol });
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
    if (marker && ARCH_SYMBOLS.includes(marker) && !out.has(`${a.arch}\0${marker}`))
      out.set(`${a.arch}\0${marker}`, undefined);
  }
  return out;
}
