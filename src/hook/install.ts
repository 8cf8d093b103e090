// Installing and removing the sendemail-validate hook. The hook is a tiny POSIX sh script
// that hands git's arguments, untouched, to `zdcheck hook` of THIS installation (absolute
// paths, single-quoted), so a send never depends on PATH finding some other zdcheck.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { runGitSync } from '../git/run.js';

export const HOOK_NAME = 'sendemail-validate';
/** The line that tells our hook from anyone else's: never change it, old installs carry it. */
export const HOOK_MARKER = '# zdcheck-managed-hook: sendemail-validate';

/** Quotes a string for POSIX sh: every byte literal, newlines and quotes included. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function hookScript(nodePath: string, binPath: string): string {
  return [
    '#!/bin/sh',
    HOOK_MARKER,
    '# Installed by `zdcheck install-hook`; `zdcheck uninstall-hook` removes it.',
    '# git send-email runs it on every file before sending anything; an error stops the send.',
    '# To send anyway: git send-email --no-validate ...',
    `zdcheck_node=${shQuote(nodePath)}`,
    `zdcheck_bin=${shQuote(binPath)}`,
    // The node that installed the hook, else whichever node is on PATH (nvm switched, say).
    '[ -x "$zdcheck_node" ] || zdcheck_node=node',
    'if [ ! -f "$zdcheck_bin" ]; then',
    '  echo "zdcheck: $zdcheck_bin is gone; run zdcheck install-hook again, or send with --no-validate" >&2',
    '  exit 1',
    'fi',
    'exec "$zdcheck_node" "$zdcheck_bin" hook "$@"',
    '',
  ].join('\n');
}

/** bin/zdcheck.js of the installation this module belongs to (works from src/ and from dist/src/). */
export function installationBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'zdcheck') {
      return join(dir, 'bin', 'zdcheck.js');
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('zdcheck: cannot find its own package.json');
    dir = up;
  }
}

/** `git rev-parse --git-path hooks` in `repo`, absolute: honours core.hooksPath and worktrees. */
export function hooksDir(repo: string): string {
  const dir = resolve(repo);
  const r = runGitSync({ cwd: dir, args: ['rev-parse', '--git-path', 'hooks'] });
  if (!r.ok) throw new UsageError(`${dir}: not a git repository (or git is not installed)`);
  return resolve(dir, r.stdout.toString('utf8').replace(/\n$/, ''));
}

const isOurs = (path: string): boolean => readFileSync(path, 'utf8').split('\n').includes(HOOK_MARKER);

export interface InstallResult {
  path: string;
  /** 'installed' fresh, 'updated' our own older hook, 'replaced' someone else's (with force). */
  action: 'installed' | 'updated' | 'replaced';
}

export function installHook(opts: {
  repo: string;
  force?: boolean;
  nodePath?: string;
  binPath?: string;
}): InstallResult {
  const dir = hooksDir(opts.repo);
  const path = join(dir, HOOK_NAME);
  let action: InstallResult['action'] = 'installed';
  if (existsSync(path)) {
    if (isOurs(path)) action = 'updated';
    else if (opts.force) action = 'replaced';
    else
      throw new UsageError(
        `${path}: a ${HOOK_NAME} hook zdcheck did not write is already there; use --force to replace it`,
      );
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, hookScript(opts.nodePath ?? process.execPath, opts.binPath ?? installationBin()));
  chmodSync(path, 0o755);
  return { path, action };
}

export interface UninstallResult {
  path: string;
  removed: boolean;
}

export function uninstallHook(opts: { repo: string }): UninstallResult {
  const path = join(hooksDir(opts.repo), HOOK_NAME);
  if (!existsSync(path)) return { path, removed: false };
  if (!isOurs(path))
    throw new UsageError(`${path}: this ${HOOK_NAME} hook was not written by zdcheck; leaving it alone`);
  rmSync(path);
  return { path, removed: true };
}
