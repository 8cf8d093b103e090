// The GitHub Action's entry point (action.yml runs `node dist/src/action/run.js`). It reads
// what the runner provides (inputs as INPUT_*, the event payload, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE), checks merge-base..HEAD in-process, and writes
// annotations to stdout, the summary, SARIF and the outputs. Exit: 0, 1 on findings at or
// above fail-on, 2 when it could not do its job (one escaped ::error:: line says why).
import { appendFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyConfig, loadConfig, loadConfigFile, mergeOptions } from '../config/index.js';
import { UsageError } from '../errors.js';
import { readGitRange } from '../input/git.js';
import { totals } from '../report/types.js';
import { RULES } from '../rules.js';
import { exitStatus, formatRun, run as runZdcheck, type FailOn, type RunResult } from '../run.js';
import { notAKernelTree } from '../tree/kernel.js';
import { chooseBase, computeRange, escapeData, getInput, gitIn, readEvent, setOutput } from './env.js';

const isDirectory = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    // absent or unreadable: not a directory, which the caller reports
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
    // The action's own input wins over the config's, as --kernel does on the command line.
    const kernelInput = getInput(env, 'kernel');
    const kernel = kernelInput || config.kernel;
    const kernelFrom = kernelInput ? 'given with the kernel input' : mergeOptions(config, {}).kernelFrom;
    const newOnlyInput = getInput(env, 'new-only') || 'false';
    if (newOnlyInput !== 'true' && newOnlyInput !== 'false')
      throw new UsageError(`input new-only: ${JSON.stringify(newOnlyInput)} is not true or false`);

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
    const result: RunResult = empty
      ? {
          collection: { series: [], stray: [], unreadable: [], gitBase: null },
          findings: [],
          waived: [],
          existing: [],
          model: null,
          rules,
        }
      : await runZdcheck({
          inputs: [await readGitRange(range, workspace)],
          config,
          rules,
          tree,
          kernel,
          kernelFrom,
          newOnly: newOnlyInput === 'true',
        });
    if (newOnlyInput === 'true' && !empty) {
      const n = result.existing.length;
      io.stdout(`zdcheck: new-only: ${n} finding${n === 1 ? '' : 's'} the base already has not reported\n`);
    }
    const { findings } = result;

    const summaryFile = env.GITHUB_STEP_SUMMARY;
    const gh = await formatRun(result, 'github', { listOverflow: !summaryFile });
    for (const piece of typeof gh.body === 'string' ? [gh.body] : gh.body) io.stdout(piece);
    if (summaryFile && gh.summary) appendFileSync(summaryFile, gh.summary);

    mkdirSync(dirname(sarifPath), { recursive: true });
    const sarif = await formatRun(result, 'sarif');
    writeFileSync(sarifPath, typeof sarif.body === 'string' ? sarif.body : [...sarif.body].join(''));

    const t = totals(result);
    setOutput(env.GITHUB_OUTPUT, 'errors', String(t.errors));
    setOutput(env.GITHUB_OUTPUT, 'warnings', String(t.warnings));
    setOutput(env.GITHUB_OUTPUT, 'sarif', sarifPath);

    return exitStatus(findings, failOn);
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
