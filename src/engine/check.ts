// Runs every rule over a collection. A rule that throws is a bug in zdcheck: it is
// turned into an internal-error finding so one bad rule never hides the others.
import { buildSeriesModel, type SeriesModel } from '../model/run.js';
import { buildSource, readBaseSync, type BaseSnapshot } from '../source/build.js';
import type { SeriesSource } from '../source/types.js';
import { createSyntaxView } from '../syntax/index.js';
import { treeOf } from '../tree/index.js';
import type { Collection, Finding, Series } from '../types.js';
import { toFinding, type CheckOptions, type Rule, type RuleContext } from './rule.js';

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
  const findings: Finding[] = [];
  const syntax = createSyntaxView();
  const sources = new Map<Series, SeriesSource>();
  let base: BaseSnapshot | null | undefined = env.base;
  const sourceOf = (series: Series | null): SeriesSource => {
    if (!series) throw new Error('ctx.source() is for series-scope rules');
    let s = sources.get(series);
    if (!s) {
      if (base === undefined) {
        const tree = treeOf({ collection, options });
        base = tree ? readBaseSync(collection.series, tree) : null;
      }
      sources.set(series, (s = buildSource(series, base)));
    }
    return s;
  };
  const models = env.models ?? new Map<Series, SeriesModel>();
  const modelOf = (series: Series | null): SeriesModel => {
    if (!series) throw new Error('ctx.model() is for series-scope rules');
    let m = models.get(series);
    if (!m) {
      const tree = base === null ? null : treeOf({ collection, options });
      m = buildSeriesModel(series, { kernel: options.kernel, tree, source: sourceOf(series), syntax });
      models.set(series, m);
    }
    return m;
  };
  for (const rule of rules) {
    const targets = rule.meta.scope === 'input' ? [null] : collection.series;
    for (const series of targets) {
      const ctx: RuleContext = {
        collection,
        series,
        options,
        report: (r) => findings.push(toFinding(rule.meta, series, r)),
        source: () => sourceOf(series),
        syntax,
        model: () => modelOf(series),
      };
      try {
        rule.check(ctx);
      } catch (err) {
        findings.push({
          rule: 'internal-error',
          severity: 'error',
          message: `rule ${rule.meta.id} failed: ${err instanceof Error ? err.message : String(err)}`,
          patch: null, file: null, line: null, series: series?.key ?? null, patchKey: null,
        });
      }
    }
  }
  if (env.modelEverySeries) for (const series of collection.series) modelOf(series);
  return findings;
}
