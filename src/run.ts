// The one run path: check (the pipeline and its rules) -> waivers -> --new-only -> report. The
// CLI, the send-email hook, the GitHub Action and b4's per-patch check all come through here, so
// a finding, a waiver or a baseline means the same wherever zdcheck runs.
import { applyConfig } from './config/apply.js';
import type { Config } from './config/types.js';
import type { Rule } from './engine/rule.js';
import { UsageError } from './errors.js';
import type { InputSpec } from './input/types.js';
import type { ModelReport } from './model/run.js';
import { check } from './pipeline.js';
import { packageInfo, ruleDocs } from './report/docs.js';
import { REPORTERS, type Format, type Formatted, type ReportOptions } from './report/index.js';
import type { ReportInput } from './report/types.js';
import { RULE_METAS, RULES } from './rules.js';
import type { Collection, Finding, Person } from './types.js';

export { exitStatus, FAIL_ON, type FailOn } from './exit.js';
import type { WaivedFinding } from './waivers/types.js';

export interface RunRequest {
  inputs: InputSpec[];
  config: Config;
  /** The rules to run; default: the registry with the config applied. */
  rules?: readonly Rule[];
  /** Kernel tree for mail input (--tree or the config's), or null. */
  tree: string | null;
  kernel: string | null;
  /** Where `kernel` came from (`given with --kernel`, `from the config file ...`). */
  kernelFrom?: string | null;
  /** Only the findings the git range introduces (its base is compared). */
  newOnly?: boolean;
  /** The code rules on every series, not only those of the ZONE_DEVICE world (default: the config's `all-series`). */
  allSeries?: boolean;
  /** Replaces the mail's recipients (the hook: git's SMTP headers; null: unknown). */
  recipients?: Person[] | null;
  /**
   * Where git notes with waivers are read: default the git range's repository. null: config
   * waivers only.
   */
  notesRepo?: string | null;
  /** false: a waiver that matched nothing is not reported (the hook's check of one file of a send). */
  judgeUnusedWaivers?: boolean;
  /** Which findings (and waived ones) the caller reports, after waivers and --new-only (b4 mode, the hook). */
  select?: (finding: Finding, collection: Collection) => boolean;
  jobs?: number;
  onProgress?: (messagesRead: number) => void;
  stdin?: NodeJS.ReadableStream;
}

export interface RunResult {
  collection: Collection;
  /** What the run reports: not waived, new with --new-only, selected. */
  findings: Finding[];
  /** Findings a waiver accepted. */
  waived: WaivedFinding[];
  /** With --new-only: the findings the base already has. */
  existing: Finding[];
  model: ModelReport | null;
  /** The rules that ran. */
  rules: readonly Rule[];
}

export async function run(req: RunRequest): Promise<RunResult> {
  const rules = req.rules ?? applyConfig(RULES, req.config);
  const options = {
    tree: req.tree,
    kernel: req.kernel,
    kernelFrom: req.kernelFrom ?? null,
    allSeries: req.allSeries ?? req.config.allSeries,
  };
  const checked = await check(req.inputs, {
    ...options,
    rules,
    ...(req.recipients !== undefined ? { recipients: req.recipients } : {}),
    ...(req.jobs !== undefined ? { jobs: req.jobs } : {}),
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    ...(req.stdin ? { stdin: req.stdin } : {}),
  });
  const { collection } = checked;

  // Waivers: the config's, and the git notes of the checked commits.
  const { waiveFindings } = await import('./waivers/index.js');
  const config =
    req.judgeUnusedWaivers === false
      ? { ...req.config, rules: { ...req.config.rules, 'unused-waiver': 'off' as const } }
      : req.config;
  const notesRepo = req.notesRepo !== undefined ? req.notesRepo : (collection.gitBase?.repo ?? null);
  const waivered = await waiveFindings({ collection, findings: checked.findings, config, repo: notesRepo });

  let findings = waivered.findings;
  let existing: Finding[] = [];
  if (req.newOnly) {
    const gitBase = collection.gitBase;
    if (gitBase === null) throw new UsageError('--new-only: the range has no base commit');
    const { newFindingsOnly } = await import('./baseline/index.js');
    const r = await newFindingsOnly({ collection, findings, rules, options, repo: gitBase.repo, base: gitBase.commit });
    findings = r.findings;
    existing = r.existing;
  }
  let waived = waivered.waived;
  if (req.select) {
    const select = req.select;
    findings = findings.filter((f) => select(f, collection));
    waived = waived.filter((f) => select(f, collection));
  }
  return { collection, findings, waived, existing, model: checked.model, rules };
}

/** What the reporters format, for a run's result. */
export async function reportInput(result: RunResult, format: Format): Promise<ReportInput> {
  const pkg = packageInfo();
  const ran = new Set(result.rules.map((r) => r.meta.id));
  // The rules that ran, then those reported by the stages after them (unused-waiver).
  const metas = [
    ...result.rules.map((r) => r.meta),
    ...RULE_METAS.filter((m) => !ran.has(m.id) && !RULES.some((r) => r.meta.id === m.id)),
  ];
  return {
    collection: result.collection,
    findings: result.findings,
    waived: result.waived,
    rules: await ruleDocs(metas, { withDocs: REPORTERS[format].withDocs, homepage: pkg.homepage }),
    tool: { name: pkg.name, version: pkg.version, ...(pkg.homepage ? { informationUri: pkg.homepage } : {}) },
    model: result.model,
  };
}

/** A run's result in one format (src/report's registry). */
export async function formatRun(result: RunResult, format: Format, options: ReportOptions = {}): Promise<Formatted> {
  return REPORTERS[format].format(await reportInput(result, format), options);
}
