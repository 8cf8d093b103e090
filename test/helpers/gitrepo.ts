// Temporary git repositories for tests: deterministic identities, no global config needed,
// removed by cleanup(). Shared helper: keep its surface small and stable.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.invalid',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.invalid',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  // Keep the user's ~/.gitconfig and /etc/gitconfig out of the tests.
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

export interface TempRepo {
  /** Top of the work tree. */
  dir: string;
  /** Runs git in the repo; returns stdout without the trailing newline. */
  git(...args: string[]): string;
  /** Writes a file (creating folders) relative to the top. */
  write(path: string, content: string): void;
  /** Writes the files, stages them, commits with `message`; returns the commit id. */
  commit(message: string, files?: Record<string, string>): string;
  cleanup(): void;
}

export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...GIT_ENV, ...extra };
}

export function makeRepo(opts: { prefix?: string; branch?: string } = {}): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), opts.prefix ?? 'zdcheck-repo-'));
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(
      /\n$/,
      '',
    );
  git('init', '-q', '-b', opts.branch ?? 'master');
  const write = (path: string, content: string): void => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  };
  const commit = (message: string, files: Record<string, string> = {}): string => {
    for (const [p, c] of Object.entries(files)) write(p, c);
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  return { dir, git, write, commit, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
