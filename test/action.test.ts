// The GitHub Action without GitHub: a temporary repository with a hostile patch branch, the
// files and variables a runner provides, and the step action.yml runs, run the way the runner
// runs it (bash, inputs through env:). The install step (`npm ci`) is not run: the test uses
// this checkout's node_modules and dist/ (built by `npm test`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { checkRef, chooseBase, escapeData, getInput, setOutput, type Git } from '../src/action/env.js';
import { gitEnv, makeRepo, type TempRepo } from './helpers/gitrepo.js';

const ROOT = resolve(import.meta.dirname, '..');

interface Step {
  id?: string;
  name?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
}
interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}
const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

/** GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIM` heredocs. */
function readOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]!);
      out[heredoc[1]!] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

// Shell metacharacters and an escaped newline: what a branch name can carry (git refuses ':').
const BRANCH = 'fix/$(touch${IFS}pwned)`touch${IFS}pwned2`;touch${IFS}pwned3;%0A%25';
const SUBJECT = 'mm/memremap: $(touch pwned) `touch pwned2`; touch pwned3 %0A::error::subject';
const BODY = 'A body line.\n::error::injected from the body\n$(touch pwned4)';

let repo: TempRepo;
let runner: string;
let base: string;

beforeAll(() => {
  repo = makeRepo({ prefix: 'zdcheck-action-' });
  base = repo.commit('mm: base\n\nSigned-off-by: Test Author <author@example.invalid>', {
    'mm/memremap.c': '#include <linux/memremap.h>\n\nint memremap_x(void)\n{\n\treturn 0;\n}\n',
  });
  repo.git('checkout', '-q', '-b', BRANCH);
  // No Signed-off-by: an error (missing-signoff) on an otherwise ordinary patch.
  repo.commit(`${SUBJECT}\n\n${BODY}`, {
    'mm/memremap.c': '#include <linux/memremap.h>\n\nint memremap_x(void)\n{\n\treturn 1;\n}\n',
  });
  repo.commit('mm/memremap: second patch\n\nMore text.\n\nSigned-off-by: Test Author <author@example.invalid>', {
    'mm/memremap.c': '#include <linux/memremap.h>\n\nint memremap_x(void)\n{\n\treturn 2;\n}\n',
  });
  runner = mkdtempSync(join(tmpdir(), 'zdcheck-runner-'));
});
afterAll(() => {
  repo.cleanup();
  rmSync(runner, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs the action's check step as the runner would, with `inputs` and a pull_request event. */
function runStep(inputs: Record<string, string>, event: object, extraEnv: Record<string, string> = {}): Run {
  const step = action.runs.steps.find((s) => s.id === 'check')!;
  const dir = mkdtempSync(join(runner, 'run-'));
  const files = { event: join(dir, 'event.json'), output: join(dir, 'output'), summary: join(dir, 'summary.md') };
  writeFileSync(files.event, JSON.stringify(event));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  // The runner evaluates ${{ inputs.x }} in env: values (never in run:), with the defaults from action.yml.
  const stepEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.env ?? {})) {
    stepEnv[k] = v.replace(
      /\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g,
      (_m, name: string) => inputs[name] ?? action.inputs[name]?.default ?? '',
    );
  }
  const r = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', step.run!], {
    cwd: repo.dir,
    encoding: 'utf8',
    env: gitEnv({
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_WORKSPACE: repo.dir,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_EVENT_NAME: 'pull_request',
      ...extraEnv,
      ...stepEnv,
    }),
  });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: readOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
}

const prEvent = () => ({
  action: 'opened',
  number: 7,
  pull_request: {
    title: SUBJECT,
    base: { ref: 'master', sha: base },
    head: { ref: BRANCH, sha: repo.git('rev-parse', 'HEAD') },
  },
  repository: { default_branch: 'master' },
});

const nothingRan = (): void => {
  for (const name of ['pwned', 'pwned2', 'pwned3', 'pwned4']) {
    expect(existsSync(join(repo.dir, name))).toBe(false);
    expect(existsSync(join(ROOT, name))).toBe(false);
  }
};

/** Every line the runner would read as a workflow command. */
const commands = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('::'));

describe('action.yml', () => {
  it('is a composite action that never expands ${{ }} inside run: scripts', () => {
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps) if (step.run) expect(step.run).not.toContain('${{');
    expect(Object.keys(action.inputs).sort()).toEqual([
      'base',
      'config',
      'fail-on',
      'kernel',
      'new-only',
      'sarif',
      'tree',
    ]);
    expect(Object.keys(action.outputs).sort()).toEqual(['errors', 'sarif', 'warnings']);
  });
});

describe('the action on a hostile pull request branch', () => {
  let run: Run;
  beforeAll(() => {
    run = runStep({ sarif: 'out/zdcheck.sarif' }, prEvent(), { GITHUB_BASE_REF: 'master', GITHUB_HEAD_REF: BRANCH });
  });

  it('checks merge-base..HEAD and fails the step on the error', () => {
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      `zdcheck: checking ${base}..${repo.git('rev-parse', 'HEAD')} (base from pull_request: ${base})`,
    );
    expect(run.stdout).toContain('zdcheck: total: 1 errors, 0 warnings, 2 patches checked');
    expect(run.status).toBe(1);
  });

  it('annotates with escaped text: nothing from the branch starts a command', () => {
    const cmds = commands(run.stdout);
    expect(cmds).toHaveLength(1);
    expect(cmds[0]).toMatch(/^::error title=zdcheck missing-signoff::/);
    expect(cmds[0]).toContain('%250A::error::subject');
    expect(run.stdout).not.toMatch(/^::error::/m);
    nothingRan();
  });

  it('writes the outputs, the summary and SARIF', () => {
    const sarifPath = join(repo.dir, 'out', 'zdcheck.sarif');
    expect(run.outputs).toEqual({ errors: '1', warnings: '0', sarif: sarifPath });
    expect(run.summary).toMatch(/^## zdcheck\n/);
    expect(run.summary).toContain('1 errors, 0 warnings, 0 notices in 2 patches checked.');
    expect(run.summary).toContain('missing\\-signoff');
    // The subject appears as escaped Markdown text, not markup.
    expect(run.summary).toContain(
      '### \\[PATCH 1/2\\] mm/memremap: $\\(touch pwned\\) \\`touch pwned2\\`; touch pwned3 %0A::error::subject\n',
    );
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toEqual(['missing-signoff']);
  });
});

describe('the action elsewhere', () => {
  it('honours fail-on: never and still reports', () => {
    const r = runStep({ 'fail-on': 'never' }, prEvent());
    expect(r.status).toBe(0);
    expect(r.outputs.errors).toBe('1');
    expect(existsSync(join(repo.dir, 'zdcheck.sarif'))).toBe(true);
  });

  it('on a push, takes the branch upstream as the base', () => {
    repo.git('branch', '--set-upstream-to=master');
    try {
      const r = runStep({}, { repository: { default_branch: 'nonexistent' } }, { GITHUB_EVENT_NAME: 'push' });
      expect(r.stdout).toContain('(base from upstream: refs/heads/master)');
      expect(r.outputs.errors).toBe('1');
    } finally {
      repo.git('branch', '--unset-upstream');
    }
  });

  it('reports nothing, successfully, when the branch has no commits of its own', () => {
    const r = runStep({ base: 'HEAD' }, prEvent());
    expect(r.stdout).toContain('zdcheck: no commits between the merge base and HEAD; nothing to check');
    expect(r.status).toBe(0);
    expect(r.outputs).toMatchObject({ errors: '0', warnings: '0' });
    expect(r.summary).toContain('0 errors, 0 warnings, 0 notices in 0 patches checked.');
    const sarif = JSON.parse(readFileSync(r.outputs.sarif!, 'utf8')) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]!.results).toEqual([]);
  });

  it('refuses a base that git would read as an option, before git sees it', () => {
    const r = runStep({ base: '--upload-pack=touch pwned' }, prEvent());
    expect(r.status).toBe(2);
    expect(commands(r.stdout)).toEqual([
      '::error title=zdcheck::base (input): "--upload-pack=touch pwned" starts with "-"; refusing to pass it to git',
    ]);
    expect(r.outputs).toEqual({});
    nothingRan();
  });

  it('says what to do when the base is not in the clone', () => {
    const r = runStep({ base: 'origin/nope' }, prEvent());
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(
      /::error title=zdcheck::base \(input\): "origin\/nope" is not a commit in this clone \(check out with fetch-depth: 0\)/,
    );
  });

  it('refuses a tree input that is not a directory', () => {
    const r = runStep({ tree: 'no/such/linux' }, prEvent());
    expect(r.status).toBe(2);
    expect(commands(r.stdout)).toEqual([
      `::error title=zdcheck::input tree: ${join(repo.dir, 'no/such/linux')} is not a directory`,
    ]);
  });

  it('turns a broken config into one error line, exit 2', () => {
    repo.write('.zdcheck.json', '{"rules": {"no-such-rule": "off"}}');
    try {
      const r = runStep({}, prEvent());
      expect(r.status).toBe(2);
      expect(commands(r.stdout)).toEqual([
        `::error title=zdcheck::${join(repo.dir, '.zdcheck.json')}: rules: unknown rule id "no-such-rule" (\`zdcheck rules\` lists them)`,
      ]);
    } finally {
      rmSync(join(repo.dir, '.zdcheck.json'));
    }
  });

  it('applies the config: a rule switched off reports nothing; the config tree (for mail input) is not used', () => {
    repo.write('.zdcheck.yml', 'rules:\n  missing-signoff: "off"\ntree: ../linux-on-my-laptop\n');
    try {
      const r = runStep({}, prEvent());
      expect(r.status).toBe(0);
      expect(r.outputs.errors).toBe('0');
    } finally {
      rmSync(join(repo.dir, '.zdcheck.yml'));
    }
  });
});

describe('choosing the base', () => {
  const sha = 'a'.repeat(40);
  const noUpstream: Git = () => null;
  const upstream: Git = (args) => (args.includes('@{upstream}') ? 'refs/remotes/origin/mm-next' : null);
  const pr = { pull_request: { base: { sha, ref: 'master' } }, repository: { default_branch: 'main' } };

  it('prefers the input, then the pull request, GITHUB_BASE_REF, the upstream, the default branch', () => {
    expect(chooseBase('v6.10', pr, {}, upstream)).toEqual({ ref: 'v6.10', source: 'input' });
    expect(chooseBase('', pr, { GITHUB_BASE_REF: 'x' }, upstream)).toEqual({ ref: sha, source: 'pull_request' });
    expect(chooseBase('', {}, { GITHUB_BASE_REF: 'mm-stable' }, upstream)).toEqual({
      ref: 'origin/mm-stable',
      source: 'GITHUB_BASE_REF',
    });
    expect(chooseBase('', { repository: { default_branch: 'main' } }, {}, upstream)).toEqual({
      ref: 'refs/remotes/origin/mm-next',
      source: 'upstream',
    });
    expect(chooseBase('', { repository: { default_branch: 'main' } }, {}, noUpstream)).toEqual({
      ref: 'origin/main',
      source: 'default-branch',
    });
    expect(() => chooseBase('', {}, {}, noUpstream)).toThrow(/set the action input `base`/);
  });

  it('ignores a payload base that is not a commit id', () => {
    const odd = { pull_request: { base: { sha: '--upload-pack=x' } }, repository: { default_branch: 'main' } };
    expect(chooseBase('', odd, {}, noUpstream)).toEqual({ ref: 'origin/main', source: 'default-branch' });
  });
});

describe('runner helpers', () => {
  it('writes outputs in the heredoc form, safe for any value', () => {
    const f = join(runner, 'out.txt');
    writeFileSync(f, '');
    setOutput(f, 'sarif', 'a\nb=c\nx<<EOF');
    setOutput(f, 'errors', '3');
    expect(readOutputs(readFileSync(f, 'utf8'))).toEqual({ sarif: 'a\nb=c\nx<<EOF', errors: '3' });
  });

  it('reads inputs as the runner names them', () => {
    expect(getInput({ 'INPUT_FAIL-ON': ' warning ' }, 'fail-on')).toBe('warning');
    expect(getInput({ INPUT_FAIL_ON: 'never' }, 'fail-on')).toBe('never');
    expect(getInput({}, 'base')).toBe('');
  });

  it('checks refs before git sees them', () => {
    expect(checkRef('origin/master', 'base')).toBe('origin/master');
    expect(checkRef('v6.10-rc1', 'base')).toBe('v6.10-rc1');
    for (const bad of ['--upload-pack=x', '-n', 'a b', 'a\nb', 'master..evil', 'a:b', '']) {
      expect(() => checkRef(bad, 'base')).toThrow(/base/);
    }
    expect(escapeData('50%\r\n::error::x')).toBe('50%25%0D%0A::error::x');
  });
});
