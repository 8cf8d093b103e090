// The runner's side of the GitHub Action: inputs, the event payload, the base of the range,
// and the files the runner reads back (GITHUB_OUTPUT). Everything from the event and from git
// (branch names, refs) is attacker-controlled in a pull request and is treated as data only.
import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { runGitSync } from '../git/run.js';

/** `INPUT_<NAME>` as the runner (and @github/local-action) sets it; `fail-on` also as INPUT_FAIL_ON. */
export function getInput(env: NodeJS.ProcessEnv, name: string): string {
  const upper = name.toUpperCase().replace(/ /g, '_');
  const value = env[`INPUT_${upper}`] ?? env[`INPUT_${upper.replace(/-/g, '_')}`] ?? '';
  return value.trim();
}

/**
 * A ref the user or the event names, checked before git sees it: a name starting with `-`
 * (`--upload-pack=...`) would be read as an option, and control characters or whitespace
 * have no place in a ref. `..` is refused so a range cannot be smuggled in as a base.
 */
export function checkRef(ref: string, what: string): string {
  if (ref === '') throw new UsageError(`${what}: empty ref`);
  if (ref.startsWith('-'))
    throw new UsageError(`${what}: ${JSON.stringify(ref)} starts with "-"; refusing to pass it to git`);
  if (/[\u0000-\u0020\u007f\\:?*[]|\.\./.test(ref) || ref.length > 255) {
    throw new UsageError(`${what}: ${JSON.stringify(ref)} is not a valid git ref`);
  }
  return ref;
}

export type Git = (args: string[]) => string | null;

/** Runs git in `cwd`; null when it fails (unknown ref, no upstream, ...). */
export function gitIn(cwd: string): Git {
  return (args) => {
    const r = runGitSync({ cwd, args });
    return r.ok ? r.stdout.toString('utf8').trim() : null;
  };
}

/** The commit a checked ref names; `--end-of-options` so even a ref that slipped through stays a ref. */
export function resolveCommit(git: Git, ref: string, what: string): string {
  const sha = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${checkRef(ref, what)}^{commit}`]);
  if (!sha) {
    throw new UsageError(
      `${what}: ${JSON.stringify(ref)} is not a commit in this clone (check out with fetch-depth: 0)`,
    );
  }
  return sha;
}

export interface EventPayload {
  pull_request?: { base?: { sha?: string; ref?: string }; head?: { sha?: string; ref?: string } };
  repository?: { default_branch?: string };
}

export function readEvent(path: string | undefined): EventPayload {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EventPayload;
  } catch (err) {
    throw new UsageError(`${path}: cannot read the event payload (${(err as Error).message.split('\n')[0]})`);
  }
}

export interface BaseChoice {
  /** The ref or commit id the base was taken from. */
  ref: string;
  source: 'input' | 'pull_request' | 'GITHUB_BASE_REF' | 'upstream' | 'default-branch';
}

/**
 * The base of the checked range, before the merge-base: the `base` input; else the pull
 * request's base commit (from the payload, so no branch name is needed); else the pushed
 * branch's upstream; else the repository's default branch on origin.
 */
export function chooseBase(input: string, event: EventPayload, env: NodeJS.ProcessEnv, git: Git): BaseChoice {
  if (input !== '') return { ref: input, source: 'input' };
  const prBase = event.pull_request?.base?.sha;
  if (prBase && /^[0-9a-f]{40,64}$/.test(prBase)) return { ref: prBase, source: 'pull_request' };
  if (env.GITHUB_BASE_REF) return { ref: `origin/${env.GITHUB_BASE_REF}`, source: 'GITHUB_BASE_REF' };
  const upstream = git(['rev-parse', '--verify', '--quiet', '--symbolic-full-name', '@{upstream}']);
  if (upstream) return { ref: upstream, source: 'upstream' };
  const def = event.repository?.default_branch;
  if (def) return { ref: `origin/${def}`, source: 'default-branch' };
  throw new UsageError('cannot tell the base of the range: set the action input `base` (e.g. origin/master)');
}

/** `<merge-base>..<HEAD>` as commit ids: nothing from a name reaches the range string. */
export function computeRange(git: Git, base: BaseChoice): { base: string; head: string; range: string } {
  const baseSha = resolveCommit(git, base.ref, `base (${base.source})`);
  const head = resolveCommit(git, 'HEAD', 'HEAD');
  const mb = git(['merge-base', baseSha, head]);
  if (!mb) throw new UsageError(`no merge base between ${base.ref} and HEAD (check out with fetch-depth: 0)`);
  return { base: mb, head, range: `${mb}..${head}` };
}

/** Appends `name` to GITHUB_OUTPUT in the heredoc form, which is safe for any value. */
export function setOutput(file: string | undefined, name: string, value: string): void {
  if (!file) return;
  let delimiter: string;
  do delimiter = `ghadelimiter_${randomBytes(16).toString('hex')}`;
  while (value.includes(delimiter));
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

/** Workflow-command data escaping, shared with the github reporter. */
export { escapeData } from '../report/github.js';
