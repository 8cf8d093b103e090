// unused-waiver: a waiver (config `waivers:` or a `git notes --ref=zdcheck` line) that matched no
// finding of the run, like ESLint's --report-unused-disable-directives. A stale waiver would
// otherwise silently accept the next, different problem at the same place.
//
// A finding of the waiver stage, not of a rule: it can only be known after every rule ran and
// the waivers were applied (./apply.ts). Its metadata is listed with the rules (src/rules.ts) so
// `zdcheck rules`, `zdcheck explain` (its page is rules/unused-waiver/README.md), the config's
// `rules:` and the SARIF descriptors know it.
import { formatMessage, type RuleMeta } from '../engine/rule.js';
import type { Finding, Severity } from '../types.js';
import type { WaiverPlace, WaiverSpec } from './types.js';

const MESSAGES = {
  unused: '{{origin}}: the waiver for {{what}} matched no finding; remove it',
  malformed: '{{origin}}: not a waiver, so it waives nothing: {{problem}}',
} as const;

export const meta: RuleMeta<keyof typeof MESSAGES> = {
  id: 'unused-waiver',
  severity: 'warning',
  description: 'A waiver (config or git notes) that matched no finding: remove it or fix what it names',
  scope: 'input',
  messages: MESSAGES,
};

function message(
  messageId: keyof typeof MESSAGES,
  data: Record<string, string>,
): Pick<Finding, 'message' | 'messageId' | 'data'> {
  return { message: formatMessage(MESSAGES[messageId], data), messageId, data };
}

function what(w: WaiverSpec): string {
  const where = [
    w.file !== undefined ? `${w.file}${w.line !== undefined ? `:${w.line}` : ''}` : null,
    w.patch !== undefined ? `patch "${w.patch}"` : null,
    w.commit !== undefined ? `commit ${w.commit.slice(0, 12)}` : null,
  ].filter((x) => x !== null);
  return `${w.rule}${where.length ? ` (${where.join(', ')})` : ''}`;
}

/** Where the finding sits: under the patch of the waiver's commit when it names one, else the input. */
function placed(place: WaiverPlace | null): Pick<Finding, 'patch' | 'file' | 'line' | 'series' | 'patchKey'> {
  return {
    patch: place ? place.patch.subject : null,
    file: null,
    line: null,
    series: place?.series ?? null,
    patchKey: place ? place.patch.key : null,
  };
}

export function unusedWaiverFinding(
  w: WaiverSpec,
  severity: Severity = meta.severity,
  place: WaiverPlace | null = null,
): Finding {
  return {
    rule: meta.id,
    severity,
    ...message('unused', { origin: w.origin, what: what(w) }),
    detail: `the reason it gives: ${w.reason}`,
    ...placed(place),
  };
}

export function malformedWaiverFinding(
  origin: string,
  problem: string,
  severity: Severity = meta.severity,
  place: WaiverPlace | null = null,
): Finding {
  return {
    rule: meta.id,
    severity,
    ...message('malformed', { origin, problem }),
    ...placed(place),
  };
}
