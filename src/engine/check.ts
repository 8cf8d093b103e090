// Runs every rule over a collection. A rule that throws is a bug in zdcheck: it is
// turned into an internal-error finding so one bad rule never hides the others.
import { buildSeriesModel, MEMREMAP_H, type SeriesModel } from '../model/run.js';
import { basePaths, buildSource, readBaseSync, type BaseSnapshot } from '../source/build.js';
import type { SeriesSource } from '../source/types.js';
import { createSyntaxView, releaseTrees } from '../syntax/index.js';
import { treeOf } from '../tree/index.js';
import type { Collection, Finding, Patch, Series } from '../types.js';
import { toFinding, type CheckOptions, type Gather, type Rule, type RuleContext } from './rule.js';

interface Gathered {
  rule: number;
  first: Gather;
  items: Set<string>;
  series: Set<Series | null>;
  target: number;
  patch: Patch | null;
}

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
}

export function runRules(rules: readonly Rule[], collection: Collection, options: CheckOptions, env: RunEnv = {}): Finding[] {
  const run = createRun(rules, collection, options, env);
  run.prefetch(collection.series);
  collection.series.forEach((s, k) => run.series(s, k));
  return run.finish(collection.series.length);
}

/**
 * The same, yielding to the event loop between series when parse trees were released: their
 * native memory is freed only then (see releaseTrees). The pipeline uses this one.
 */
export async function runRulesAsync(rules: readonly Rule[], collection: Collection, options: CheckOptions, env: RunEnv = {}): Promise<Finding[]> {
  const run = createRun(rules, collection, options, env);
  run.prefetch(collection.series);
  for (let k = 0; k < collection.series.length; k++) {
    if (run.series(collection.series[k]!, k).released) await new Promise((resolve) => setImmediate(resolve));
  }
  return run.finish(collection.series.length);
}

export type RuleRun = ReturnType<typeof createRun>;

/**
 * A run fed one series at a time (the streaming pipeline): `target` orders the findings of a
 * series among the others' (its position in the input), `finish` runs the input-scope rules
 * and renders what was gathered. `collection` is the run's: rules see it as it stands.
 */
export function createRun(rules: readonly Rule[], collection: Collection, options: CheckOptions, env: RunEnv) {
  // Series by series: one series' images and syntax trees (whole kernel files, with a tree)
  // are dropped before the next series is built. Findings are put back in rule order after.
  const tagged: { rule: number; target: number; finding: Finding }[] = [];
  // The base tree's files are read per series, when a rule first asks for its source: a run of
  // 12,000 series holds one series' files at a time (the tree keeps its own cache).
  const baseSnapshot = (series: Series): BaseSnapshot | null => {
    if (env.base !== undefined) return env.base;
    const tree = treeOf({ collection, options });
    return tree ? readBaseSync([series], tree) : null;
  };
  const models = env.models ?? new Map<Series, SeriesModel>();
  const indexed = rules.map((rule, i) => ({ rule, i }));
  const gathered = new Map<string, Gathered>();

  const run = (series: Series | null, target: number): boolean => {
    const syntax = createSyntaxView();
    let source: SeriesSource | null = null;
    let base: BaseSnapshot | null | undefined;
    const baseOf = (s: Series): BaseSnapshot | null => (base === undefined ? (base = baseSnapshot(s)) : base);
    const sourceOf = (): SeriesSource => {
      if (!series) throw new Error('ctx.source() is for series-scope rules');
      return (source ??= buildSource(series, baseOf(series)));
    };
    const modelOf = (): SeriesModel => {
      if (!series) throw new Error('ctx.model() is for series-scope rules');
      let m = models.get(series);
      if (!m) {
        const tree = baseOf(series) === null ? null : treeOf({ collection, options });
        m = buildSeriesModel(series, { kernel: options.kernel, tree, source: sourceOf(), syntax });
        models.set(series, m);
      }
      return m;
    };
    for (const { rule, i } of indexed) {
      if ((rule.meta.scope === 'input') !== (series === null)) continue;
      const ctx: RuleContext = {
        collection,
        series,
        options,
        report: (r) => tagged.push({ rule: i, target, finding: toFinding(rule.meta, series, r) }),
        source: sourceOf,
        syntax,
        model: modelOf,
        gather: (g) => {
          const key = `${i}\0${g.key}`;
          let e = gathered.get(key);
          if (!e) gathered.set(key, (e = { rule: i, first: g, items: new Set(), series: new Set(), target, patch: g.patch ?? null }));
          for (const item of g.items) e.items.add(item);
          e.series.add(series);
        },
      };
      try {
        rule.check(ctx);
      } catch (err) {
        tagged.push({ rule: i, target, finding: internalError(rule, series, err) });
      }
    }
    if (series && env.modelEverySeries) modelOf();
    return releaseTrees();
  };

  /** `last`: a target after every series' (findings about several series go there). */
  const finish = (last: number): Finding[] => {
    run(null, 0);
    for (const g of gathered.values()) {
      const rule = rules[g.rule]!;
      const one = g.series.size === 1 ? [...g.series][0]! : null;
      const target = one ? g.target : last;
      try {
        const r = g.first.render([...g.items], [...g.series].filter((s) => s !== null).length);
        tagged.push({ rule: g.rule, target, finding: toFinding(rule.meta, one, { ...r, patch: one ? g.patch : null }) });
      } catch (err) {
        tagged.push({ rule: g.rule, target, finding: internalError(rule, one, err) });
      }
    }
    // Array sort is stable: one rule's findings on one series keep the order it reported them.
    tagged.sort((a, b) => a.rule - b.rule || a.target - b.target);
    return tagged.map((t) => t.finding);
  };

  return {
    /**
     * Runs the series rules on one series; `released`: parse trees were released (yield to the
     * event loop now); `findings`: what the series' rules reported.
     */
    series: (series: Series, target: number): { released: boolean; findings: Finding[] } => {
      const from = tagged.length;
      const released = run(series, target);
      return { released, findings: tagged.slice(from).map((t) => t.finding) };
    },
    /**
     * Reads the base files of these series in one go (a git tree reads them with one process),
     * into the tree's cache; each series' snapshot is then taken from there.
     */
    prefetch: (series: readonly Series[]): void => {
      if (env.base !== undefined || series.length === 0) return;
      try {
        const tree = treeOf({ collection, options });
        // With the two files the model reads of every tree: one git process, not three.
        if (tree) tree.readMany([...basePaths(series), 'Makefile', MEMREMAP_H]);
      } catch {
        // An unusable tree is reported where a rule first reads it, as before.
      }
    },
    /** The model of a series the run built (with modelEverySeries, of each), handed over once. */
    takeModel: (series: Series): SeriesModel | undefined => {
      const m = models.get(series);
      models.delete(series);
      return m;
    },
    finish,
  };
}

function internalError(rule: Rule, series: Series | null, err: unknown): Finding {
  return {
    rule: 'internal-error',
    severity: 'error',
    message: `rule ${rule.meta.id} failed: ${err instanceof Error ? err.message : String(err)}`,
    patch: null, file: null, line: null, series: series?.key ?? null, patchKey: null,
  };
}
