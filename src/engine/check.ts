// Runs every rule over a collection. A rule that throws is a bug in zdcheck: it is
// turned into an internal-error finding so one bad rule never hides the others.
import type { Collection, Finding } from '../types.js';
import { toFinding, type CheckOptions, type Rule, type RuleContext } from './rule.js';

export function runRules(rules: readonly Rule[], collection: Collection, options: CheckOptions): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const targets = rule.meta.scope === 'input' ? [null] : collection.series;
    for (const series of targets) {
      const ctx: RuleContext = {
        collection,
        series,
        options,
        report: (r) => findings.push(toFinding(rule.meta, series, r)),
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
  return findings;
}
