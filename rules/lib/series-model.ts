// What the memory-type rules need to know about a series: which kernel it is for (the model
// view at that release), and what it adds and removes in the memory-type world. A stand-in
// for the run's ctx.model() until that lands: the rules call only seriesModel(), so the
// switch is one function body. The extraction works on the images of ctx.source() with the
// C and Kconfig syntax of ctx.syntax, so hunk-only and base-tree runs see the same things.
import type { RuleContext } from '../../src/engine/rule.js';
import {
  computeDelta, evidenceFromSeries, inferKernel, loadModel, modelAt, allPredicateNames, valueAt,
  type Fact, type MemoryType, type ModelDelta, type ModelView, type PatchModelChanges,
} from '../../src/model/index.js';
import type { FileStep, SeriesSource } from '../../src/source/types.js';
import { enumBodies, functionNames, inError } from '../../src/syntax/index.js';
import { treeOf } from '../../src/tree/index.js';
import type { Patch } from '../../src/types.js';

/** Where a patch of the series adds (or removes) a name. */
export interface NamedSite {
  name: string;
  patch: Patch;
  file: string;
  /** Post-image line (1-based) for additions, pre-image line for removals. */
  line: number;
}

export interface SeriesModel {
  view: ModelView;
  /** Why that kernel: one sentence. */
  reason: string;
  delta: ModelDelta;
  /** Every added enumerator of enum memory_type / helper / Kconfig entry, with where. */
  added: { enumerators: NamedSite[]; helpers: NamedSite[]; kconfig: NamedSite[] };
  removed: { enumerators: NamedSite[]; helpers: NamedSite[]; kconfig: NamedSite[] };
  /** Members of enum memory_type the post-images show (any patch), beside the model's. */
  enumMembersSeen: Set<string>;
}

/** Names of per-type page/folio helpers (is_device_private_page, folio_is_fsdax, ...). */
export const HELPER_NAME = /^(?:is_\w+_page|folio_is_\w+)$/;

const cache = new WeakMap<SeriesSource, SeriesModel>();

export function seriesModel(ctx: RuleContext): SeriesModel {
  const src = ctx.source();
  let m = cache.get(src);
  if (!m) cache.set(src, (m = build(ctx, src)));
  return m;
}

function build(ctx: RuleContext, src: SeriesSource): SeriesModel {
  const series = ctx.series!;
  let inference;
  try {
    const tree = treeOf(ctx);
    inference = inferKernel({ explicit: ctx.options.kernel, makefile: tree?.readSync('Makefile') ?? null, ...evidenceFromSeries(series) });
  } catch {
    // A bad --kernel is the CLI's to report; judge by the series' own evidence.
    inference = inferKernel(evidenceFromSeries(series));
  }
  const view = modelAt(inference.version);
  const added = { enumerators: [] as NamedSite[], helpers: [] as NamedSite[], kconfig: [] as NamedSite[] };
  const removed = { enumerators: [] as NamedSite[], helpers: [] as NamedSite[], kconfig: [] as NamedSite[] };
  const enumMembersSeen = new Set<string>();
  const perPatch = new Map<Patch, PatchModelChanges>();
  const known = new Set(allPredicateNames());
  for (const step of src.steps()) {
    const changes = perPatch.get(step.patch) ?? { patch: { key: step.patch.key, subject: step.patch.subject } };
    perPatch.set(step.patch, changes);
    const add = (list: NamedSite[], key: 'enumeratorsAdded' | 'helpersAdded' | 'kconfigAdded', name: string, line: number) => {
      list.push({ name, patch: step.patch, file: step.post.path, line: step.post.lineNumber(line) });
      (changes[key] ??= []).push(name);
    };
    const del = (list: NamedSite[], key: 'enumeratorsRemoved' | 'helpersRemoved' | 'kconfigRemoved', name: string, line: number) => {
      list.push({ name, patch: step.patch, file: step.pre.path, line: step.pre.lineNumber(line) });
      (changes[key] ??= []).push(name);
    };
    const removedLines = new Set(step.removed);
    for (const side of ['pre', 'post'] as const) {
      const image = step[side];
      const c = ctx.syntax.c(image);
      if (c) {
        const here = (i: number) => (side === 'post' ? image.addedHere(i) : removedLines.has(i));
        for (const e of enumBodies(c)) {
          if (e.name !== 'memory_type') continue;
          for (const en of e.enumerators) {
            if (inError(en.node)) continue;
            if (side === 'post') enumMembersSeen.add(en.name);
            const line = c.line(e.unit, en.node);
            if (line === null || !here(line)) continue;
            if (side === 'post') add(added.enumerators, 'enumeratorsAdded', en.name, line);
            else del(removed.enumerators, 'enumeratorsRemoved', en.name, line);
          }
        }
        if (image.path.endsWith('.h')) {
          for (const f of functionNames(c)) {
            if (!HELPER_NAME.test(f.name) && !known.has(f.name)) continue;
            const line = c.line(f.unit, f.node);
            if (line === null || !here(line)) continue;
            if (side === 'post') add(added.helpers, 'helpersAdded', f.name, line);
            else del(removed.helpers, 'helpersRemoved', f.name, line);
          }
        }
      }
      const k = ctx.syntax.kconfig(image);
      if (k) {
        for (const e of k.entries) {
          if ((e.kind !== 'config' && e.kind !== 'menuconfig') || e.name === null || e.line === null || e.inferred) continue;
          const here = side === 'post' ? image.addedHere(e.line) : removedLines.has(e.line);
          if (!here) continue;
          if (side === 'post') add(added.kconfig, 'kconfigAdded', e.name, e.line);
          else del(removed.kconfig, 'kconfigRemoved', e.name, e.line);
        }
      }
    }
  }
  for (const c of perPatch.values()) {
    for (const key of ['enumeratorsAdded', 'enumeratorsRemoved', 'helpersAdded', 'helpersRemoved', 'kconfigAdded', 'kconfigRemoved'] as const) {
      if (c[key]) c[key] = [...new Set(c[key])];
    }
  }
  const delta = computeDelta([...perPatch.values()], view);
  return { view, reason: inference.reason, delta, added, removed, enumMembersSeen };
}

/** Every enumerator name enum memory_type ever had in the model (mainline or not). */
export function allTypeNames(): Set<string> {
  return new Set(loadModel().types.flatMap((t) => t.names.map((n) => n.value)));
}

export type PropertyName = 'cpuAddressable' | 'cacheCoherent' | 'migratable' | 'longTermPin' | 'onLru' | 'userMapping';

/**
 * A type's property at the series' release; for a type that does not exist then (a series
 * bringing back or backporting it), the value of its newest fact. null when the model has none.
 */
export function propertyOf<K extends PropertyName>(type: MemoryType, prop: K, release: string): MemoryType['properties'][K][number]['value'] | null {
  const facts = type.properties[prop] as Fact<unknown>[];
  const now = valueAt(facts, release);
  if (now !== null) return now as MemoryType['properties'][K][number]['value'];
  const last = facts[facts.length - 1];
  return last === undefined ? null : (last.value as MemoryType['properties'][K][number]['value']);
}

/** The step after which a file is as the series leaves it (null: the series deletes it). */
export function finalSteps(src: SeriesSource): FileStep[] {
  const out: FileStep[] = [];
  for (const f of src.files) {
    const last = f.steps[f.steps.length - 1];
    if (last && last.diff.status !== 'deleted') out.push(last);
  }
  return out;
}
