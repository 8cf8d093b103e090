// The GitHub Action's entry point (action.yml runs `node dist/src/action/run.js`). It reads
// what the runner provides (inputs as INPUT_*, the event payload, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE), checks merge-base..HEAD in-process, and writes
// annotations to stdout, the summary, SARIF and the outputs. Exit: 0, 1 on findings at or
// above fail-on, 2 when it could not do its job (one escaped ::error:: line says why).
import { appendFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyConfig, loadConfig, loadConfigFile } from '../config/index.js';
import { UsageError } from '../errors.js';
import { packageInfo, ruleDocs } from '../report/docs.js';
import { formatGithub } from '../report/github.js';
import { formatSarif } from '../report/sarif.js';
import type { ReportInput } from '../report/types.js';
import { totals } from '../report/types.js';
import { meta as UNUSED_WAIVER } from '../../rules/unused-waiver.js';
import { RULES } from '../rules.js';
import { notAKernelTree } from '../tree/kernel.js';
import { SEVERITY_RANK } from '../types.js';
import { chooseBase, computeRange, escapeData, getInput, gitIn, readEvent, setOutput } from './env.js';
import { checkRange } from './check.js';

type FailOn = 'error' | 'warning' | 'never';

const isDirectory = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

function failOnInput(value: string): FailOn {
  const v = value === '' ? 'error' : value;
  if (v !== 'error' && v !== 'warning' && v !== 'never') {
    throw new UsageError(`input fail-on: ${JSON.stringify(v)} is not one of error, warning, never`);
  }
  return v;
}

export interface ActionIO {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
}

export async function runAction(io: ActionIO): Promise<number> {
  const { env } = io;
  try {
    const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
    const failOn = failOnInput(getInput(env, 'fail-on'));
    const sarifPath = resolve(workspace, getInput(env, 'sarif') || 'zdcheck.sarif');
    const configInput = getInput(env, 'config');
    const config = configInput ? loadConfigFile(resolve(workspace, configInput)) : loadConfig(workspace);
    const rules = applyConfig(RULES, config);
    const treeInput = getInput(env, 'tree');
    // The range's base commit is the base tree; the config's `tree` is for mail input (a path on
    // a developer's machine), so only the action's own input can name a tree here.
    const tree = treeInput ? resolve(workspace, treeInput) : null;
    if (tree !== null && !isDirectory(tree)) throw new UsageError(`input tree: ${tree} is not a directory`);
    const notATree = tree === null ? null : notAKernelTree(tree, `input tree: ${tree}`);
    if (notATree !== null) throw new UsageError(notATree);
    const kernel = getInput(env, 'kernel') || config.kernel;
    const newOnlyInput = getInput(env, 'new-only') || 'false';
    if (newOnlyInput !== 'true' && newOnlyInput !== 'false') throw new UsageError(`input new-only: ${JSON.stringify(newOnlyInput)} is not true or false`);

    const git = gitIn(workspace);
    const event = readEvent(env.GITHUB_EVENT_PATH);
    const base = chooseBase(getInput(env, 'base'), event, env, git);
    const { range, base: mergeBase, head } = computeRange(git, base);
    // Only commit ids and the base's source reach the log; the ref name is escaped anyway.
    io.stdout(`zdcheck: checking ${range} (base from ${base.source}: ${escapeData(base.ref)})\n`);

    // A branch with nothing of its own yet (just pushed, or already merged) is not an error:
    // it reports nothing, with the summary, SARIF and outputs the workflow expects.
    const empty = mergeBase === head;
    if (empty) io.stdout('zdcheck: no commits between the merge base and HEAD; nothing to check\n');
    const { collection, findings: raw, model } = empty
      ? { collection: { series: [], stray: [], unreadable: [], gitBase: null }, findings: [], model: null }
      : await checkRange({ repo: workspace, range, rules, tree, kernel });
    // Waivers (config and the commits' git notes), then, with new-only, what the base has already.
    const { waiveFindings } = await import('../waivers/index.js');
    const waivered = await waiveFindings({ collection, findings: raw, config, repo: empty ? null : workspace });
    let findings = waivered.findings;
    if (newOnlyInput === 'true' && !empty) {
      const { newFindingsOnly } = await import('../baseline/index.js');
      const { simpleGitRunner } = await import('../waivers/notes.js');
      const r = await newFindingsOnly({ collection, findings, rules, options: { tree, kernel }, repo: workspace, base: mergeBase, git: simpleGitRunner(workspace) });
      findings = r.findings;
      io.stdout(`zdcheck: new-only: ${r.existing.length} finding${r.existing.length === 1 ? '' : 's'} the base already has not reported\n`);
    }
    const { homepage, name, version } = packageInfo();
    const input: ReportInput = {
      collection,
      findings,
      waived: waivered.waived,
      rules: await ruleDocs([...rules.map((r) => r.meta), UNUSED_WAIVER], { withDocs: true, homepage }),
      tool: { name, version, ...(homepage ? { informationUri: homepage } : {}) },
      model,
    };

    const summaryFile = env.GITHUB_STEP_SUMMARY;
    const gh = formatGithub(input, { listOverflow: !summaryFile });
    io.stdout(gh.annotations);
    if (summaryFile) appendFileSync(summaryFile, gh.summary);

    mkdirSync(dirname(sarifPath), { recursive: true });
    writeFileSync(sarifPath, formatSarif(input));

    const t = totals(input);
    setOutput(env.GITHUB_OUTPUT, 'errors', String(t.errors));
    setOutput(env.GITHUB_OUTPUT, 'warnings', String(t.warnings));
    setOutput(env.GITHUB_OUTPUT, 'sarif', sarifPath);

    if (failOn === 'never') return 0;
    const threshold = SEVERITY_RANK[failOn];
    return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stdout(`::error title=zdcheck::${escapeData(err.message)}\n`);
      return 2;
    }
    throw err;
  }
}

/** For @github/local-action, which imports the entry and calls run(). */
export async function run(): Promise<void> {
  process.exitCode = await runAction({ env: process.env, stdout: (t) => process.stdout.write(t) });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runAction({ env: process.env, stdout: (t) => process.stdout.write(t) }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      // A bug, not a user error: say so on one escaped line, keep the stack for the log.
      process.stdout.write(`::error title=zdcheck internal error::${escapeData(String(err))}\n`);
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
