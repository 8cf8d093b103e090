// Patchwork checks: one JSON line per patch, a body ready to POST to a Patchwork instance's
// checks API (`POST /api/patches/<id>/checks/` with `state`, `context`, `description`,
// `target_url`). Patchwork's ids are its own, so each line also names the patch the way
// Patchwork can look it up (`msgid`, the Message-ID without angle brackets) and as people see it
// (`patch`, `commit`); Patchwork's API ignores keys it does not know. zdcheck sends nothing.
import type { Finding, Patch } from '../types.js';
import type { ReportInput } from './types.js';

export interface PatchworkCheck {
  msgid: string | null;
  patch: string;
  commit: string | null;
  state: 'success' | 'warning' | 'fail';
  context: string;
  description: string;
  target_url?: string;
}

export interface PatchworkOptions {
  targetUrl?: string;
  context?: string;
}

/** Patchwork shows the description in one table cell: keep it short. */
export const DESCRIPTION_LIMIT = 200;

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

export function describe(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (errors + warnings === 0) return 'no problems found';
  const rules = [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.rule))];
  const text = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}: ${rules.join(', ')}`.replace(
    /[\u0000-\u001f\u007f]/g,
    ' ',
  );
  return text.length <= DESCRIPTION_LIMIT ? text : `${text.slice(0, DESCRIPTION_LIMIT - 1)}…`;
}

export function patchworkChecks(input: ReportInput, options: PatchworkOptions = {}): PatchworkCheck[] {
  const context = options.context ?? 'zdcheck';
  const byPatch = new Map<string, Finding[]>();
  const add = (key: string, f: Finding) => {
    const list = byPatch.get(key) ?? [];
    list.push(f);
    byPatch.set(key, list);
  };
  // Series-level findings (a part missing, a cover letter that disagrees) have no patch of
  // their own; Patchwork takes checks on patches only, so they go on the series' first patch.
  const firstOf = new Map<string, Patch>();
  const patches: Patch[] = [];
  for (const s of input.collection.series) {
    if (s.patches[0]) firstOf.set(s.key, s.patches[0]);
    patches.push(...s.patches);
  }
  patches.push(...input.collection.stray.filter((p) => p.kind === 'patch'));
  for (const f of input.findings) {
    const first = f.series === null ? undefined : firstOf.get(f.series);
    if (f.patchKey !== null) add(f.patchKey, f);
    else if (first) add(first.key, f);
  }
  return patches.map((p) => {
    const mine = byPatch.get(p.key) ?? [];
    const state = mine.some((f) => f.severity === 'error')
      ? 'fail'
      : mine.some((f) => f.severity === 'warning')
        ? 'warning'
        : 'success';
    const check: PatchworkCheck = {
      msgid: p.message.messageId ? p.message.messageId.replace(/^<|>$/g, '') : null,
      patch: p.subject,
      commit: p.message.commit,
      state,
      context,
      description: describe(mine),
    };
    if (options.targetUrl !== undefined) check.target_url = options.targetUrl;
    return check;
  });
}

/** JSON lines: one check per line, nothing else (a shell `while read` loop can POST each). */
export function formatPatchwork(input: ReportInput, options: PatchworkOptions = {}): string {
  return patchworkChecks(input, options)
    .map((c) => JSON.stringify(c) + '\n')
    .join('');
}
