// The one way zdcheck runs git. The arguments go to the git executable as an array, never
// through a shell, so a path, ref or pattern taken from a patch or a branch name stays one
// argument whatever characters it holds. Output comes back as bytes (file contents and mail
// need not be UTF-8), and a failure is a value: each caller says what it means for its user
// (an unknown revision, "no match", a base that does not apply). Plain child_process, no git
// library: the send-email hook runs once per patch and pays for every module it loads.
import { spawn, spawnSync } from 'node:child_process';

export interface GitCall {
  /** The folder git runs in. */
  cwd: string;
  args: readonly string[];
  /** Standard input; without it git reads nothing (/dev/null). */
  input?: string;
  /** The environment; this process's when absent. */
  env?: NodeJS.ProcessEnv;
}

export interface GitResult {
  /** git ran and exited 0. */
  ok: boolean;
  /** The exit status; null when git did not run or was killed. */
  status: number | null;
  stdout: Buffer;
  stderr: Buffer;
  /** No git executable on PATH. */
  notInstalled: boolean;
}

// A cap so a runaway command cannot take all memory; far above any output zdcheck reads
// (a kernel tree's file list, a long range as format-patch mail).
const MAX_OUTPUT = 1 << 30;

/** Runs git and waits for it (the hook and the tree readers, whose callers are synchronous). */
export function runGitSync(call: GitCall): GitResult {
  const r = spawnSync('git', [...call.args], {
    cwd: call.cwd,
    env: call.env,
    input: call.input,
    maxBuffer: MAX_OUTPUT,
    stdio: [call.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  const notInstalled = r.error !== undefined && 'code' in r.error && r.error.code === 'ENOENT';
  return {
    ok: r.error === undefined && r.status === 0,
    status: r.status,
    stdout: r.stdout ?? Buffer.alloc(0),
    stderr: r.stderr ?? Buffer.alloc(0),
    notInstalled,
  };
}

/** Runs git without blocking the event loop (reads the pipeline makes while it checks). */
export function runGit(call: Omit<GitCall, 'input'>): Promise<GitResult> {
  return new Promise((done) => {
    const child = spawn('git', [...call.args], { cwd: call.cwd, env: call.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_OUTPUT) {
        tooLarge = true;
        child.kill();
      } else out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e: NodeJS.ErrnoException) => {
      done({
        ok: false,
        status: null,
        stdout: Buffer.alloc(0),
        stderr: Buffer.from(e.message),
        notInstalled: e.code === 'ENOENT',
      });
    });
    child.on('close', (status) => {
      done({
        ok: status === 0 && !tooLarge,
        status,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        notInstalled: false,
      });
    });
  });
}

/** git's standard output as text, or null when git fails; the form the waiver and baseline readers take. */
export type GitReader = (args: string[]) => Promise<string | null>;

export function gitReaderIn(repo: string): GitReader {
  return async (args) => {
    const r = await runGit({ cwd: repo, args });
    return r.ok ? r.stdout.toString('utf8') : null;
  };
}

/** The first non-empty line git wrote to standard error, for a one-line message. */
export function gitError(r: GitResult): string {
  return (
    r.stderr
      .toString('utf8')
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? `exit status ${r.status ?? 'unknown'}`
  );
}
