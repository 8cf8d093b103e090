// unused-waiver: a waiver (config `waivers:` or a `git notes --ref=zdcheck` line) that matched no
// finding of the run, like ESLint's --report-unused-disable-directives. A stale waiver would
// otherwise silently accept the next, different problem at the same place.
//
// Not in the rule registry's run list: its findings can only be known after every other rule
// ran and the waivers were applied (src/waivers/apply.ts). Its metadata is listed with the rules
// so `zdcheck rules`, `zdcheck explain`, the config's `rules:` and the SARIF descriptors know it.
import type { RuleMeta } from '../src/engine/rule.js';
import type { Finding, Severity } from '../src/types.js';
import type { WaiverPlace, WaiverSpec } from '../src/waivers/types.js';

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

/** Where the finding sits: under the patch of the waiver's commit when it names one, else the input. */
function placed(place: WaiverPlace | null): Pick<Finding, 'patch' | 'file' | 'line' | 'series' | 'patchKey'> {
  return { patch: place ? place.patch.subject : null, file: null, line: null, series: place?.series ?? null, patchKey: place ? place.patch.key : null };
}

export function unusedWaiverFinding(w: WaiverSpec, severity: Severity = meta.severity, place: WaiverPlace | null = null): Finding {
  return {
    rule: meta.id,
    severity,
    message: `${w.origin}: the waiver for ${what(w)} matched no finding; remove it`,
    detail: `the reason it gives: ${w.reason}`,
    ...placed(place),
  };
}

export function malformedWaiverFinding(origin: string, problem: string, severity: Severity = meta.severity, place: WaiverPlace | null = null): Finding {
  return {
    rule: meta.id,
    severity,
    message: `${origin}: not a waiver, so it waives nothing: ${problem}`,
    ...placed(place),
  };
}
