// Runs rules over series: the checker builds each rule's context (src/engine/rule.ts) and turns
// what it reports into findings. A rule that throws is a bug in zdcheck: it is turned into an
// internal-error finding so one bad rule never hides the others. The one run path (src/run.ts,
// through the pipeline) drives it; tests drive createRun directly.
import { repositoryAt, type Repository } from '../git/repository.js';
import { createKbuild, type Kbuild } from '../kbuild/index.js';
import { ZONE_DEVICE_API_HEADERS } from '../kbuild/headers.js';
import { loadModel } from '../model/load.js';
import {
  buildSeriesModel,
  chooseKernel,
  untouchedSeriesModel,
  MEMREMAP_H,
  type KernelChoice,
  type SeriesModel,
} from '../model/run.js';
import { basePaths, buildSource, readBaseSync, type BaseSnapshot } from '../source/build.js';
import type { SeriesSource } from '../source/types.js';
import { createSyntaxView, releaseTrees } from '../syntax/index.js';
import { treeAfterSeries, type TreeAfterSeries } from '../tree/after.js';
import { treeOf } from '../tree/index.js';
import { timed } from '../timing.js';
import { changesOf } from './interest.js';
import { touchesWorld } from './world.js';
import type { KernelTree } from '../tree/types.js';
import type { Collection, Finding, Series } from '../types.js';
import {
  toFinding,
  type CheckOptions,
  type Gather,
  type InputContext,
  type Report,
  type Rule,
  type SeriesContext,
  type RuleInterest,
} from './rule.js';

export interface RunEnv {
  /**
   * Base-tree files, when the caller read them already (tests, or an async reader); otherwise
   * they are read from the run's tree (--tree or the --git base) on the first ctx.source().
   * null: check without a base tree even if one is known.
   */
  base?: BaseSnapshot | null;
  /**
   * Receives the model of each series (ctx.model()); with `modelEverySeries`, of every series,
   * built after the rules ran, so a report can show them with the obligations rules settled.
   */
  models?: Map<Series, SeriesModel>;
  modelEverySeries?: boolean;
  /** false: every rule runs on every series, whatever its meta.interest (tests compare the two). */
  prefilter?: boolean;
}

export type RuleRun = ReturnType<typeof createRun>;

/** What the kernel line of a series outside the world says when a base tree was given. */
const NOT_READ = '; the base tree was not read for it: the series touches nothing of the ZONE_DEVICE world';

/** A patch a gathered finding is about, as plain data (it may come from a worker thread). */
export interface PatchRef {
  key: string;
  subject: string;
}

/** One ctx.gather() call, as plain data. */
export interface GatherCall {
  rule: number;
  key: string;
  items: string[];
  patch: PatchRef | null;
}

/** A finding of rule number `rule` (its index in the run's rules), placed at `target`. */
export interface Tagged {
  rule: number;
  target: number;
  finding: Finding;
}

/** What checking one series gives, as plain data (it crosses thread boundaries as it is). */
export interface SeriesOutcome {
  tagged: Tagged[];
  gathers: GatherCall[];
  /** Parse trees were released: yield to the event loop before the next series. */
  released: boolean;
}

/** What the first gather call of a key is asked to render, once every series was checked. */
export interface RenderRequest {
  rule: number;
  key: string;
  items: string[];
  series: number;
}

/** `report: null`: the render found nothing to report (a gathered check that came out clean). */
export type Rendered = { ok: true; report: Omit<Report, 'patch'> | null } | { ok: false; error: string };

/**
 * Checks series one at a time and says what each gave: the findings (tagged with the rule and
 * the series' target) and the gather calls. It keeps the render function of the first gather
 * call of each key it saw, so `render` can be asked later; nothing else is kept per series.
 * The same checker runs in-process and in each worker thread (src/parallel).
 */
export function createSeriesChecker(
  rules: readonly Rule[],
  collection: Collection,
  options: CheckOptions,
  env: RunEnv,
) {
  const data = loadModel();
  /** The run's base tree, unless the caller asked to check without one. */
  const baseTree = (): KernelTree | null => (env.base === null ? null : treeOf({ collection, options }));
  // Whether a series touches the ZONE_DEVICE world (src/engine/world.ts): the code rules and the
  // model run only where it does, unless the run asks for every series (--all-series).
  const worlds = new WeakMap<Series, boolean>();
  const worldOf = (series: Series): boolean => {
    let got = worlds.get(series);
    if (got === undefined) {
      got = options.allSeries === true || timed('prefilter', () => touchesWorld(series, data));
      worlds.set(series, got);
    }
    return got;
  };
  const baseSnapshot = (series: Series): BaseSnapshot | null => {
    if (env.base !== undefined) return env.base;
    const tree = baseTree();
    return tree ? readBaseSync([series], tree) : null;
  };
  const models = env.models ?? new Map<Series, SeriesModel>();
  let repo: Repository | null | undefined;
  /** The run's repository: the range's, or a --tree at the top of a git work tree. */
  const repository = (): Repository | null => {
    if (repo === undefined) {
      const range = collection.gitBase?.repo;
      repo = range ? repositoryAt(range, true) : options.tree ? repositoryAt(options.tree) : null;
    }
    return repo;
  };
  const indexed = rules.map((rule, i) => ({ rule, i }));
  const renderers = new Map<string, Gather['render']>();

  const check = (series: Series | null, target: number): SeriesOutcome => {
    const tagged: Tagged[] = [];
    const gathers: GatherCall[] = [];
    const syntax = createSyntaxView();
    const report = (i: number, rule: Rule) => (r: Report) =>
      tagged.push({ rule: i, target, finding: toFinding(rule.meta, series, r) });
    const run = (rule: Rule, i: number, body: () => void) => {
      try {
        timed(rule.meta.id, body);
      } catch (err) {
        tagged.push({ rule: i, target, finding: internalError(rule, series, err) });
      }
    };
    if (series === null) {
      for (const { rule, i } of indexed) {
        if (rule.meta.scope !== 'input') continue;
        const ctx: InputContext = { collection, report: report(i, rule) };
        run(rule, i, () => (rule as Extract<Rule, { meta: { scope: 'input' } }>).check(ctx));
      }
      return { tagged, gathers, released: releaseTrees() };
    }

    // What a series' rules share, each built on first use.
    let source: SeriesSource | null = null;
    let base: BaseSnapshot | null | undefined;
    let kernel: KernelChoice | null = null;
    let after: TreeAfterSeries | null | undefined;
    let kbuild: Kbuild | null | undefined;
    const interested = env.prefilter === false ? null : changesOf(series);
    const inWorld = (): boolean => worldOf(series);
    const sourceOf = (): SeriesSource => {
      if (source) return source;
      const b = base === undefined ? (base = baseSnapshot(series)) : base;
      return (source = timed('source', () => buildSource(series, b)));
    };
    const treeForModel = (): KernelTree | null => {
      if (env.base === null) return null;
      if (base === undefined) base = baseSnapshot(series);
      return baseTree();
    };
    const kernelOf = (): KernelChoice => {
      if (kernel) return kernel;
      const known = models.get(series);
      if (known) return (kernel = known);
      // Outside the ZONE_DEVICE world no rule reads the kernel: it is chosen for the report alone,
      // from the mail (subject, text, date), without reading the diff or the base tree.
      const world = inWorld();
      const tree = world ? treeForModel() : null;
      const chosen = timed('model', () =>
        chooseKernel(series, {
          kernel: options.kernel,
          kernelFrom: options.kernelFrom ?? null,
          tree,
          model: data,
          readDiff: world,
        }),
      );
      return (kernel =
        !world && env.base !== null && (options.tree !== null || collection.gitBase !== null)
          ? { ...chosen, inference: { ...chosen.inference, reason: `${chosen.inference.reason}${NOT_READ}` } }
          : chosen);
    };
    const modelOf = (): SeriesModel => {
      let m = models.get(series);
      if (!m) {
        const kernel = kernelOf();
        if (!inWorld()) models.set(series, (m = untouchedSeriesModel(kernel, data)));
        else {
          const source = sourceOf();
          models.set(series, (m = timed('model', () => buildSeriesModel(kernel, { source, syntax, model: data }))));
        }
      }
      return m;
    };
    const shared = {
      collection,
      series,
      get tree(): TreeAfterSeries | null {
        if (after === undefined)
          after = baseTree() === null ? null : treeAfterSeries({ collection, options, source: sourceOf });
        return after;
      },
      get baseTree(): KernelTree | null {
        return baseTree();
      },
      get kbuild(): Kbuild | null {
        if (kbuild === undefined)
          kbuild = shared.tree === null ? null : createKbuild(shared.tree, ZONE_DEVICE_API_HEADERS);
        return kbuild;
      },
      get kernel(): KernelChoice {
        return kernelOf();
      },
      get repository(): Repository | null {
        return repository();
      },
      data,
      source: sourceOf,
      syntax,
      model: modelOf,
    };
    for (const { rule, i } of indexed) {
      if (rule.meta.scope !== 'series') continue;
      if (rule.meta.runsOn === 'zone-device' && !inWorld()) continue;
      const interest = rule.meta.interest;
      if (
        interest &&
        interested &&
        !timed('prefilter', () =>
          (Array.isArray(interest) ? interest : [interest]).some((i: RuleInterest) => interested(i, data)),
        )
      )
        continue;
      // The shared part is the prototype: its getters run only for the rules that read them.
      const ctx: SeriesContext = Object.assign(Object.create(shared) as typeof shared, {
        report: report(i, rule),
        gather: (g: Gather) => {
          const key = `${i}\0${g.key}`;
          if (!renderers.has(key)) renderers.set(key, g.render);
          gathers.push({
            rule: i,
            key: g.key,
            items: [...g.items],
            patch: g.patch ? { key: g.patch.key, subject: g.patch.subject } : null,
          });
        },
      });
      run(rule, i, () => (rule as Extract<Rule, { meta: { scope: 'series' } }>).check(ctx));
    }
    if (env.modelEverySeries) modelOf();
    return { tagged, gathers, released: releaseTrees() };
  };

  return {
    check,
    /** Renders a gathered key whose first call this checker saw. */
    render: (req: RenderRequest): Rendered => {
      const render = renderers.get(`${req.rule}\0${req.key}`);
      if (!render) return { ok: false, error: `no gather call of key ${req.key} was seen here` };
      try {
        return { ok: true, report: render(req.items, req.series) };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    },
    prefetch: (series: readonly Series[]): void => {
      if (env.base !== undefined || !series.some((s) => worldOf(s))) return;
      try {
        const tree = treeOf({ collection, options });
        // With the two files the model reads of every tree: one git process, not three.
        // Only series in the ZONE_DEVICE world read their base files (the rules that do are code rules).
        if (tree) tree.readMany([...basePaths(series.filter((s) => worldOf(s))), 'Makefile', MEMREMAP_H]);
      } catch {
        // An unusable tree is reported where a rule first reads it, as before.
      }
    },
    takeModel: (series: Series): SeriesModel | undefined => {
      const m = models.get(series);
      models.delete(series);
      return m;
    },
  };
}

export type SeriesChecker = ReturnType<typeof createSeriesChecker>;

interface Gathered {
  rule: number;
  key: string;
  /** Who can render it (the checker that saw the first call: an in-process one, or a worker). */
  owner: number;
  items: Set<string>;
  /** The series that contributed, by target ('input' for the input-scope run), with their keys. */
  series: Map<string, string | null>;
  target: number;
  patch: PatchRef | null;
}

/**
 * Puts the outcomes of series checked anywhere back together, in the order they are added:
 * findings in rule order then target order, gathered items in call order. Outcomes must be
 * added in the order the series were handed out, which is the order a one-thread run checks
 * them: the result is then the same, whichever thread checked which series.
 */
export function createMerger(rules: readonly Rule[]) {
  const tagged: Tagged[] = [];
  const gathered = new Map<string, Gathered>();
  return {
    add(outcome: SeriesOutcome, series: Series | null, target: number, owner: number): void {
      for (const t of outcome.tagged) tagged.push(t);
      for (const g of outcome.gathers) {
        const key = `${g.rule}\0${g.key}`;
        let e = gathered.get(key);
        if (!e)
          gathered.set(
            key,
            (e = { rule: g.rule, key: g.key, owner, items: new Set(), series: new Map(), target, patch: g.patch }),
          );
        for (const item of g.items) e.items.add(item);
        e.series.set(series ? `s${target}` : 'input', series ? series.key : null);
      }
    },
    /** What must be rendered, and by whom. */
    requests(): { owner: number; request: RenderRequest }[] {
      return [...gathered.values()].map((g) => ({
        owner: g.owner,
        request: {
          rule: g.rule,
          key: g.key,
          items: [...g.items],
          series: [...g.series.keys()].filter((k) => k !== 'input').length,
        },
      }));
    },
    /** `rendered`: the answers to requests(), in the same order; `last`: a target after every series'. */
    finish(rendered: readonly Rendered[], last: number): Finding[] {
      [...gathered.values()].forEach((g, k) => {
        const rule = rules[g.rule]!;
        const one = g.series.size === 1;
        const seriesKey = one ? [...g.series.values()][0]! : null;
        const target = one ? g.target : last;
        const r = rendered[k]!;
        if (r.ok && r.report === null) return; // a check deferred to the end of the run came out clean
        const finding = !r.ok
          ? internalError(rule, seriesKey === null ? null : { key: seriesKey }, r.error)
          : r.report && findingOf(rule.meta, seriesKey, { ...r.report, patch: null }, one ? g.patch : null);
        if (!finding) return;
        tagged.push({ rule: g.rule, target, finding });
      });
      // Array sort is stable: one rule's findings on one series keep the order it reported them.
      tagged.sort((a, b) => a.rule - b.rule || a.target - b.target);
      return tagged.map((t) => t.finding);
    },
  };
}

function findingOf(meta: Rule['meta'], seriesKey: string | null, r: Report, patch: PatchRef | null): Finding {
  const f = toFinding(meta, null, r);
  return { ...f, series: seriesKey, patch: patch ? patch.subject : null, patchKey: patch ? patch.key : null };
}

/**
 * A run fed one series at a time (the streaming pipeline): `target` orders the findings of a
 * series among the others' (its position in the input), `finish` runs the input-scope rules
 * and renders what was gathered. `collection` is the run's: rules see it as it stands.
 */
export function createRun(rules: readonly Rule[], collection: Collection, options: CheckOptions, env: RunEnv) {
  // Series by series: one series' images and syntax trees (whole kernel files, with a tree)
  // are dropped before the next series is built. Findings are put back in rule order after.
  const checker = createSeriesChecker(rules, collection, options, env);
  const merger = createMerger(rules);

  /** `last`: a target after every series' (findings about several series go there). */
  const finish = (last: number): Finding[] => {
    merger.add(checker.check(null, 0), null, 0, 0);
    return merger.finish(
      merger.requests().map((r) => checker.render(r.request)),
      last,
    );
  };

  return {
    /**
     * Runs the series rules on one series; `released`: parse trees were released (yield to the
     * event loop now); `findings`: what the series' rules reported.
     */
    series: (series: Series, target: number): { released: boolean; findings: Finding[] } => {
      const outcome = checker.check(series, target);
      merger.add(outcome, series, target, 0);
      return { released: outcome.released, findings: outcome.tagged.map((t) => t.finding) };
    },
    /**
     * Reads the base files of these series in one go (a git tree reads them with one process),
     * into the tree's cache; each series' snapshot is then taken from there.
     */
    prefetch: checker.prefetch,
    /** The model of a series the run built (with modelEverySeries, of each), handed over once. */
    takeModel: checker.takeModel,
    finish,
  };
}

function internalError(rule: Rule, series: Pick<Series, 'key'> | null, err: unknown): Finding {
  return {
    rule: 'internal-error',
    severity: 'error',
    message: `rule ${rule.meta.id} failed: ${err instanceof Error ? err.message : String(err)}`,
    patch: null,
    file: null,
    line: null,
    series: series?.key ?? null,
    patchKey: null,
  };
}
