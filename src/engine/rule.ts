// The shape every rule in rules/ takes. One helper (defineRule) keeps them uniform:
// metadata as data, a check function that reports through the context.
import type { SeriesModel } from '../model/run.js';
import type { SeriesSource } from '../source/types.js';
import type { SyntaxView } from '../syntax/index.js';
import type { Collection, Finding, Patch, Series, Severity } from '../types.js';

export type RuleScope =
  /** checked once per series (most rules) */
  | 'series'
  /** checked once per run, over the whole collection (e.g. unreadable messages) */
  | 'input';

export interface RuleMeta {
  /** Stable kebab-case id: a contract, never renamed. */
  id: string;
  /** Default severity; a finding may report a different one when the rule doc says so. */
  severity: Severity;
  /** One line: what the rule catches. */
  description: string;
  scope: RuleScope;
}

/** What a rule hands to report(): the where is optional, the what is not. */
export interface Report {
  /** One line (aim: at most 160 characters); the rest goes in `detail`. */
  message: string;
  /** What does not fit the message line: evidence, reasoning, the longer how-to-fix. */
  detail?: string;
  /** What the rule could not judge from what it was given (the no-base-tree info lines), not a defect. */
  notChecked?: boolean;
  severity?: Severity;
  /** The patch the finding is about; null or absent for series-level findings. */
  patch?: Patch | null;
  file?: string | null;
  line?: number | null;
}

export interface CheckOptions {
  /** Kernel tree to read whole files from (mail input), or null. */
  tree: string | null;
  /** Kernel version given with --kernel or the config file's `kernel:`, or null. */
  kernel: string | null;
  /**
   * Where `kernel` came from, as the model's reason words it: `given with --kernel`, `from the
   * config file .zdcheck.yml`. Absent: the reason says only that it was given.
   */
  kernelFrom?: string | null;
}

export interface RuleContext {
  collection: Collection;
  /** The series being checked; for input-scope rules, null. */
  series: Series | null;
  options: CheckOptions;
  report(report: Report): void;
  /**
   * The files the series touches, before and after each patch: whole files when a base tree
   * is known, else the hunks' fragments. Built on first call and shared by every rule of the
   * run (a rule that never calls it costs nothing). Throws for input-scope rules.
   */
  source(): SeriesSource;
  /** Parses images (C, Kconfig) on request; each image is parsed once per run. */
  syntax: SyntaxView;
  /**
   * The memory-type model of the series: the kernel it is for and why, the model's view at
   * that kernel (the base tree's enum winning), the delta and its obligations (settle them
   * with settle()). Built on first call, once per series. Throws for input-scope rules.
   */
  model(): SeriesModel;
  /**
   * One finding per run for what would otherwise repeat in every series, chiefly the info line
   * saying what could not be checked without a base tree (12,730 series must not print it
   * 12,730 times). Every call with the same key, from any series, adds its items; after the last
   * series, the first call's `render` turns all of them (in order, without repeats) into one
   * report. Gathered from one series, the finding is on that series and the first call's `patch`;
   * from several, on none: it is about the whole input. Keys are per rule.
   */
  gather(g: Gather): void;
}

export interface Gather {
  key: string;
  items: readonly string[];
  patch?: Patch | null;
  /** `series`: how many series contributed. */
  render(items: string[], series: number): Omit<Report, 'patch'>;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function defineRule(rule: Rule): Rule {
  if (!ID.test(rule.meta.id)) throw new Error(`rule id is not kebab-case: ${rule.meta.id}`);
  return rule;
}

export function toFinding(rule: RuleMeta, series: Series | null, r: Report): Finding {
  const patch = r.patch ?? null;
  return {
    rule: rule.id,
    severity: r.severity ?? rule.severity,
    message: r.message,
    ...(r.detail ? { detail: r.detail } : {}),
    ...(r.notChecked ? { notChecked: true as const } : {}),
    patch: patch ? patch.subject : null,
    file: r.file ?? null,
    line: r.line ?? null,
    series: series ? series.key : null,
    patchKey: patch ? patch.key : null,
  };
}
