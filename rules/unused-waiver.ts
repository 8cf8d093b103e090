// unused-waiver: a waiver (config `waivers:` or a `git notes --ref=zdcheck` line) that matched no
// finding of the run, like ESLint's --report-unused-disable-directives. A stale waiver would
// otherwise silently accept the next, different problem at the same place.
//
// Not in the rule registry's run list: its findings can only be known after every other rule
// ran and the waivers were applied (src/waivers/apply.ts). Its metadata is listed with the rules
// so `zdcheck rules`, `zdcheck explain`, the config's `rules:` and the SARIF descriptors know it.
import type { RuleMeta } from '../src/engine/rule.js';
import type { Finding, Severity } from '../src/types.js';
import type { WaiverSpec } from '../src/waivers/types.js';

export const meta: RuleMeta = {
  id: 'unused-waiver',
  severity: 'warning',
  description: 'A waiver (config or git notes) that matched no finding: remove it or fix what it names',
  scope: 'input',
};

function what(w: WaiverSpec): string {
  const where = [w.file !== undefined ? `${w.file}${w.line !== undefined ? `:${w.line}` : ''}` : null,
    w.patch !== undefined ? `patch "${w.patch}"` : null,
    w.commit !== undefined ? `commit ${w.commit.slice(0, 12)}` : null].filter((x) => x !== null);
  return `${w.rule}${where.length ? ` (${where.join(', ')})` : ''}`;
}

export function unusedWaiverFinding(w: WaiverSpec, severity: Severity = meta.severity): Finding {
  return {
    rule: meta.id,
    severity,
    message: `${w.origin}: the waiver for ${what(w)} matched no finding; remove it (reason given: ${w.reason})`,
    patch: null, file: null, line: null, series: null, patchKey: null,
  };
}

export function malformedWaiverFinding(origin: string, problem: string, severity: Severity = meta.severity): Finding {
  return {
    rule: meta.id,
    severity,
    message: `${origin}: not a waiver, so it waives nothing: ${problem}`,
    patch: null, file: null, line: null, series: null, patchKey: null,
  };
}
