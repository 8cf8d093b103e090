// What every reporter formats. Reporters are pure: they get this, they return text.
import type { ModelReport } from '../model/run.js';
import type { Collection, Finding, Severity } from '../types.js';
import type { WaivedFinding } from '../waivers/types.js';
import { patchCount } from '../series/count.js';

/** A rule as the reports describe it (from the registry, plus its doc page when a format needs it). */
export interface RuleDoc {
  id: string;
  severity: Severity;
  /** The registry's one-line description. */
  description: string;
  /** Path of the doc page relative to the package root, `rules/<id>/README.md`. */
  docPath: string;
  /** The doc page's Markdown, or null when it was not read (or does not exist). */
  doc: string | null;
  /** An absolute URI for the doc page, or null when none is known. */
  helpUri: string | null;
}

export interface ReportInput {
  collection: Collection;
  findings: readonly Finding[];
  /** The rules that ran, in registry order. Findings may name ids not listed (e.g. internal-error). */
  rules: readonly RuleDoc[];
  tool: { name: string; version: string; informationUri?: string };
  /** The memory-type model of each series (kernel, delta, obligations); absent when not computed. */
  model?: ModelReport | null;
  /** Findings a waiver accepted: shown as waived, never counted in totals or against --fail-on. */
  waived?: readonly WaivedFinding[];
}

export interface Totals {
  errors: number;
  warnings: number;
  infos: number;
  /** Patches checked: the patch-kind messages of every series (cover letters and replies excluded). */
  patches: number;
}

export function totals(input: Pick<ReportInput, 'collection' | 'findings'>): Totals {
  const t: Totals = { errors: 0, warnings: 0, infos: 0, patches: 0 };
  for (const f of input.findings) {
    if (f.severity === 'error') t.errors++;
    else if (f.severity === 'warning') t.warnings++;
    else t.infos++;
  }
  t.patches = patchCount(input.collection);
  return t;
}
