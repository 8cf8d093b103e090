// The model of one series in a run: which kernel it is for and why, the view of the model
// at that kernel (the base tree's own enum memory_type winning where it differs), what the
// series changes (ModelDelta) and what that obliges. Rules reach it through ctx.model();
// the reporters get modelReport() of every series.
import type { SeriesSource } from '../source/types.js';
import type { SyntaxView } from '../syntax/index.js';
import type { Series } from '../types.js';
import { seriesModelChanges } from './changes.js';
import {
  computeDelta,
  obligationsFor,
  isEmptyDelta,
  renderModelSummary,
  type ModelDelta,
  type NamedChange,
  type Obligation,
  type ObligationStatus,
  type PatchModelChanges,
  type PatchRef,
} from './delta.js';
import { evidenceFromSeries, inferKernel, type KernelInference } from './infer.js';
import { loadModel } from './load.js';
import { deepFreeze, modelAt } from './query.js';
import {
  applyTreeEnum,
  applyTreeFacts,
  compareEnumWithModel,
  compareTreeFacts,
  readTreeFacts,
  type FactsTree,
  type TreeDifference,
} from './tree/index.js';
import type { Model, ModelView } from './types.js';
import { formatRange } from './version.js';

export { MEMREMAP_H } from './tree/index.js';

/** The little of a base tree the model needs (src/tree's KernelTree has it; readMany and grep make it cheap). */
export type ModelTree = FactsTree;

/**
 * The kernel a series is for, and the model at it: the one place that decides (rules take it from
 * their context). With a base tree, the tree's facts win in the view and its differences from the
 * data are kept for the report.
 */
export interface KernelChoice {
  inference: KernelInference;
  /** The model at the inferred kernel; with a base tree, its enum, helpers, Kconfig and arch selects are the tree's. */
  view: ModelView;
  /** Where the base tree (its enum memory_type, helpers, Kconfig, arch selects) differs from the data (empty without a tree). */
  treeDifferences: TreeDifference[];
  /** Whether a base tree was read. */
  tree: boolean;
}

export interface SeriesModel extends KernelChoice {
  changes: PatchModelChanges[];
  delta: ModelDelta;
  /** What the delta obliges; rules settle entries with settle(). */
  readonly obligations: readonly Obligation[];
  settle(id: string, status: ObligationStatus, note?: string | null): void;
}

export interface KernelInputs {
  kernel: string | null;
  /** Where `kernel` came from (CheckOptions.kernelFrom). */
  kernelFrom?: string | null;
  tree: ModelTree | null;
  model?: Model;
  /**
   * false: the diff is not read for clues (the names it shows of the model). For a series outside
   * the ZONE_DEVICE world, whose kernel only the report shows: chosen from the mail alone.
   */
  readDiff?: boolean;
}

export interface SeriesModelInputs {
  source: SeriesSource;
  syntax: SyntaxView;
  model?: Model;
}

/** The tree's differences and the view it wins in, per tree and release. */
/** A release's comparison of the model with a tree: what differs, and the model's view there. */
interface Compared {
  diffs: TreeDifference[];
  view: ModelView;
}
const compared = new WeakMap<object, Map<string, Compared>>();

export function chooseKernel(series: Series, inputs: KernelInputs): KernelChoice {
  const model = inputs.model ?? loadModel();
  const makefile = inputs.tree?.readSync('Makefile') ?? null;
  // Without a Makefile (a partial tree), the names the tree defines still place it: its era, not the mail's date.
  const facts = inputs.tree ? readTreeFacts(inputs.tree, model) : null;
  const treeNames =
    facts && !makefile
      ? [
          ...(facts.enum ?? []).map((e) => e.name),
          ...facts.helpers.map((h) => h.name),
          ...facts.kconfig.map((k) => k.name),
        ]
      : null;
  const inference = inferKernel(
    {
      explicit: inputs.kernel,
      explicitFrom: inputs.kernelFrom ?? null,
      makefile,
      treeNames,
      ...evidenceFromSeries(series, model, inputs.readDiff !== false),
    },
    model,
  );
  const view = modelAt(inference.version, model);
  if (!inputs.tree || !facts) return { inference, view, treeDifferences: [], tree: false };
  // Read once per tree, compared once per release (a large archive is thousands of series on one tree).
  let perRelease = compared.get(facts);
  if (!perRelease) compared.set(facts, (perRelease = new Map<string, Compared>()));
  let done = perRelease.get(view.release);
  if (!done) {
    let treeView = view;
    let diffs: TreeDifference[] = [];
    if (facts.enum) {
      diffs = compareEnumWithModel(facts.enum, view);
      treeView = applyTreeEnum(treeView, facts.enum);
    }
    diffs = [...diffs, ...compareTreeFacts(facts, view, model)];
    perRelease.set(view.release, (done = { diffs, view: applyTreeFacts(treeView, facts, model) }));
  }
  return { inference, view: done.view, treeDifferences: done.diffs, tree: true };
}

export function buildSeriesModel(kernel: KernelChoice, inputs: SeriesModelInputs): SeriesModel {
  const model = inputs.model ?? loadModel();
  return seriesModelOf(kernel, seriesModelChanges(inputs.source, inputs.syntax, model), model);
}

/**
 * The model of a series outside the ZONE_DEVICE world (src/engine/world.ts): it changes nothing
 * the model records (every name and path the model reads puts a series in the world), so its
 * delta is empty without building its images.
 */
export function untouchedSeriesModel(kernel: KernelChoice, model: Model = loadModel()): SeriesModel {
  let delta = emptyDeltas.get(kernel.view);
  if (!delta) emptyDeltas.set(kernel.view, (delta = deepFreeze(computeDelta([], kernel.view, model))));
  return seriesModelOf(kernel, [], model, delta);
}

/** The delta of no change, per view: most series of an archive are outside the world, and it is the same for all. */
const emptyDeltas = new WeakMap<ModelView, ModelDelta>();

function seriesModelOf(
  kernel: KernelChoice,
  changes: PatchModelChanges[],
  model: Model,
  delta: ModelDelta = computeDelta(changes, kernel.view, model),
): SeriesModel {
  let obligations: Obligation[] = settleTypeHelpers(obligationsFor(delta, kernel.view), delta, changes);
  return {
    ...kernel,
    changes,
    delta,
    get obligations() {
      return obligations;
    },
    settle(id, status, note = null) {
      // A finding makes an obligation unmet for good; a later "met" from another place does not undo it.
      const was = obligations.find((o) => o.id === id);
      if (!was || (was.status === 'unmet' && status !== 'unmet')) return;
      if (was.status === 'unmet' && status === 'unmet' && was.note) return;
      obligations = obligations.map((o) => (o.id === id ? { ...o, status, note } : o));
    },
  };
}

/**
 * A new type's helper is owed by the series that adds the type, so the series alone decides it:
 * met when a helper it adds names the type in its definition. Not every type has one
 * (MEMORY_DEVICE_GENERIC never had), so a missing helper is an unmet obligation, not a finding.
 */
function settleTypeHelpers(
  obligations: Obligation[],
  delta: ModelDelta,
  changes: readonly PatchModelChanges[],
): Obligation[] {
  const added = new Set(delta.helpersAdded.map((h) => h.name));
  const testing = new Map<string, string[]>();
  for (const c of changes) {
    for (const [helper, types] of Object.entries(c.helperTests ?? {})) {
      if (!added.has(helper)) continue;
      for (const t of types) testing.set(t, [...(testing.get(t) ?? []), helper]);
    }
  }
  return obligations.map((o) => {
    if (o.kind !== 'type-helper') return o;
    const helpers = [...new Set(testing.get(o.subject) ?? [])];
    return helpers.length > 0
      ? { ...o, status: 'met', note: helpers.map((h) => `${h}()`).join(', ') }
      : { ...o, status: 'unmet', note: `no helper the series adds tests ${o.subject}` };
  });
}

// ---- what the reports show -------------------------------------------------------------

export interface ReportedChange {
  name: string;
  /** Subject of the patch that makes the change. */
  patch: string;
  /** For types: mainline, not-mainline (RFC/vendor) or unknown to the model. */
  known?: string;
}

export interface SeriesModelReport {
  /** Series key and title, as in the JSON report's `series`. */
  series: string;
  title: string;
  kernel: {
    /** The version the model was taken at (`6.1.4`, `4.17`). */
    version: string;
    release: string;
    /** The releases the evidence allows, e.g. `4.14–4.17`. */
    range: string;
    basis: KernelInference['basis'];
    reason: string;
    conflicts: string[];
  };
  /** Where the base tree's enum memory_type differs from the data (the tree was followed). */
  treeDifferences: string[];
  delta: {
    typesAdded: ReportedChange[];
    typesRemoved: ReportedChange[];
    typesRenamed: { from: string; to: string; patch: string; mainlineRelease: string | null }[];
    helpersAdded: ReportedChange[];
    helpersRemoved: ReportedChange[];
    kconfigAdded: ReportedChange[];
    kconfigRemoved: ReportedChange[];
    ioresAdded: ReportedChange[];
    ioresRemoved: ReportedChange[];
    archesGained: { arch: string; symbol: string; condition: string | null; patch: string }[];
    archesLost: { arch: string; symbol: string; condition: string | null; patch: string }[];
    /** Selects of a symbol that enables ZONE_DEVICE only in other eras (enables nothing at this kernel). */
    archSelectsOtherEra: {
      arch: string;
      symbol: string;
      condition: string | null;
      added: boolean;
      enablesIn: string;
      patch: string;
    }[];
    prototypesChanged: { name: string; before: string; after: string; patch: string }[];
  };
  obligations: {
    id: string;
    subject: string;
    text: string;
    rule: string | null;
    status: ObligationStatus;
    /** true when met, false when unmet, null when not (or not yet) checked. */
    met: boolean | null;
    note: string | null;
    patch: string;
  }[];
  /** The few lines the text report shows (renderModelSummary). */
  summary: string[];
  /** The series changes nothing in the memory-type model. */
  empty: boolean;
}

export interface ModelReport {
  series: SeriesModelReport[];
}

const subj = (p: PatchRef) => p.subject;
const ENUM_KINDS = new Set(['missing-in-tree', 'only-in-tree', 'value-differs']);
const named = (l: readonly NamedChange[]): ReportedChange[] => l.map((n) => ({ name: n.name, patch: subj(n.patch) }));

export function seriesModelReport(series: Series, m: SeriesModel, model: Model = loadModel()): SeriesModelReport {
  const d = m.delta;
  const inf = m.inference;
  const era = m.view.era ? `; ZONE_DEVICE era ${m.view.era.id} (${formatRange(m.view.era, model.releases)})` : '';
  const reason = `${inf.reason}${era}`;
  const summary = renderModelSummary(inf.reason, d, m.obligations);
  // Under the kernel line, only what helps read the rest: which release a range was read at, the
  // ZONE_DEVICE era when the series changes what an architecture provides, and the tree's own enum.
  const context: string[] = [];
  const range = formatRange(inf.range, model.releases);
  if (inf.basis === 'diff' && range !== inf.version.release) {
    context.push(
      inf.datedBy
        ? `the model of ${inf.version.release} is used, picked in that range by ${inf.datedBy}`
        : `the model of ${inf.version.release} is used, the newest release in that range`,
    );
  }
  if (
    m.view.era &&
    (d.archesGained.length || d.archesLost.length || d.archSelectsOtherEra.length || d.prototypesChanged.length)
  )
    context.push(`ZONE_DEVICE era ${m.view.era.id} (${formatRange(m.view.era, model.releases)})`);
  if (m.treeDifferences.length) {
    const names = m.treeDifferences.map((t) => t.name);
    const what = m.treeDifferences.every((t) => ENUM_KINDS.has(t.kind))
      ? "the base tree's enum memory_type"
      : 'the base tree';
    context.push(
      `${what} differs from zdcheck's data (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}); the tree is followed`,
    );
  }
  if (context.length) summary.splice(1, 0, `  ${context.join('; ')}`);
  const empty = isEmptyDelta(d);
  const arch = (a: ModelDelta['archesGained'][number]) => ({
    arch: a.arch,
    symbol: a.symbol,
    condition: a.condition,
    patch: subj(a.patch),
  });
  return {
    series: series.key,
    title: series.title,
    kernel: {
      version: inf.version.text,
      release: inf.version.release,
      range: formatRange(inf.range, model.releases),
      basis: inf.basis,
      reason,
      conflicts: inf.conflicts,
    },
    treeDifferences: m.treeDifferences.map((t) => t.message),
    delta: {
      typesAdded: d.typesAdded.map((t) => ({ name: t.name, patch: subj(t.patch), known: t.known })),
      typesRemoved: d.typesRemoved.map((t) => ({ name: t.name, patch: subj(t.patch), known: t.known })),
      typesRenamed: d.typesRenamed.map((r) => ({
        from: r.from,
        to: r.to,
        patch: subj(r.patch),
        mainlineRelease: r.mainlineRelease,
      })),
      helpersAdded: named(d.helpersAdded),
      helpersRemoved: named(d.helpersRemoved),
      kconfigAdded: named(d.kconfigAdded),
      kconfigRemoved: named(d.kconfigRemoved),
      ioresAdded: named(d.ioresAdded),
      ioresRemoved: named(d.ioresRemoved),
      archesGained: d.archesGained.map(arch),
      archesLost: d.archesLost.map(arch),
      archSelectsOtherEra: d.archSelectsOtherEra.map((a) => ({
        arch: a.arch,
        symbol: a.symbol,
        condition: a.condition,
        added: a.added,
        enablesIn: a.enablesIn,
        patch: subj(a.patch),
      })),
      prototypesChanged: d.prototypesChanged.map((p) => ({
        name: p.name,
        before: p.before,
        after: p.after,
        patch: subj(p.patch),
      })),
    },
    obligations: m.obligations.map((o) => ({
      id: o.id,
      subject: o.subject,
      text: o.text,
      rule: o.rule,
      status: o.status,
      met: o.status === 'met' ? true : o.status === 'unmet' ? false : null,
      note: o.note,
      patch: subj(o.patch),
    })),
    summary,
    empty,
  };
}
