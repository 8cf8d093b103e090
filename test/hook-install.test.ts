import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import {
  HOOK_MARKER,
  hookScript,
  hooksDir,
  installationBin,
  installHook,
  shQuote,
  uninstallHook,
} from '../src/hook/install.js';
import { makeRepo, type TempRepo } from './helpers/gitrepo.js';

const ROOT = resolve(import.meta.dirname, '..');
const repos: TempRepo[] = [];
const repo = (): TempRepo => {
  const r = makeRepo({ prefix: 'zdcheck-hookinst-' });
  repos.push(r);
  return r;
};
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

describe('shQuote', () => {
  it('survives a round trip through sh for hostile strings', () => {
    for (const s of [`it's`, '$(touch pwned)', '`id`', 'a\nb', '"; rm -rf x; "', '\\', '']) {
      const out = execFileSync('/bin/sh', ['-c', `printf %s ${shQuote(s)}`], { encoding: 'utf8' });
      expect(out).toBe(s);
    }
  });
});

describe('install-hook', () => {
  it('writes an executable hook with the marker into the hooks folder', () => {
    const r = repo();
    const res = installHook({ repo: r.dir });
    expect(res).toEqual({ path: join(r.dir, '.git', 'hooks', 'sendemail-validate'), action: 'installed' });
    const text = readFileSync(res.path, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text.split('\n')).toContain(HOOK_MARKER);
    expect(text).toContain(shQuote(installationBin()));
    expect(statSync(res.path).mode & 0o111).toBe(0o111);
    // sh -n: the script parses.
    execFileSync('/bin/sh', ['-n', res.path]);
  });

  it('honours core.hooksPath (relative to the work tree top) and works from a sub-folder', () => {
    const r = repo();
    r.git('config', 'core.hooksPath', 'my-hooks');
    r.write('mm/x.c', 'x\n');
    expect(hooksDir(join(r.dir, 'mm'))).toBe(join(r.dir, 'my-hooks'));
    const res = installHook({ repo: join(r.dir, 'mm') });
    expect(res.path).toBe(join(r.dir, 'my-hooks', 'sendemail-validate'));
    expect(existsSync(res.path)).toBe(true);
  });

  it('refuses to overwrite a hook it did not write unless forced, and updates its own', () => {
    const r = repo();
    const path = join(r.dir, '.git', 'hooks', 'sendemail-validate');
    writeFileSync(path, '#!/bin/sh\nexec checkpatch.pl "$1"\n', { mode: 0o755 });
    expect(() => installHook({ repo: r.dir })).toThrow(UsageError);
    expect(() => installHook({ repo: r.dir })).toThrow(/did not write.*--force/);
    expect(readFileSync(path, 'utf8')).toContain('checkpatch');
    expect(installHook({ repo: r.dir, force: true }).action).toBe('replaced');
    expect(installHook({ repo: r.dir }).action).toBe('updated');
  });

  it('uninstalls only its own hook', () => {
    const r = repo();
    const path = join(r.dir, '.git', 'hooks', 'sendemail-validate');
    expect(uninstallHook({ repo: r.dir })).toEqual({ path, removed: false });
    installHook({ repo: r.dir });
    expect(uninstallHook({ repo: r.dir })).toEqual({ path, removed: true });
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, '#!/bin/sh\nexit 0\n');
    expect(() => uninstallHook({ repo: r.dir })).toThrow(/not written by zdcheck/);
    expect(existsSync(path)).toBe(true);
  });

  it('through the CLI: one line and exit 2 when refusing, the action taken otherwise', () => {
    const r = repo();
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'bin', 'zdcheck.js'), ...args], { cwd: r.dir, encoding: 'utf8' });
    const path = join(r.dir, '.git', 'hooks', 'sendemail-validate');
    writeFileSync(path, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const refused = cli('install-hook', '--repo', r.dir);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      `zdcheck: ${path}: a sendemail-validate hook zdcheck did not write is already there; use --force to replace it\n`,
    );
    expect(cli('install-hook', '--force').stdout).toBe(`zdcheck: replaced ${path}\n`);
    expect(cli('uninstall-hook', '--repo', r.dir).stdout).toBe(`zdcheck: removed ${path}\n`);
    expect(cli('uninstall-hook').stdout).toBe(`zdcheck: no hook at ${path}; nothing to do\n`);
  });

  it('says clearly when the folder is not a git repository', () => {
    const d = mkdtempSync(join(tmpdir(), 'zdcheck-nogit-'));
    try {
      expect(() => installHook({ repo: d })).toThrow(/not a git repository/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('quotes hostile installation paths so the script runs them literally', () => {
    const r = repo();
    const weird = join(r.dir, `we'ird $(touch pwned) dir`);
    const bin = join(weird, 'zd.js');
    r.write(`we'ird $(touch pwned) dir/zd.js`, 'console.log(JSON.stringify(process.argv.slice(2)));\n');
    const script = join(r.dir, 'hook.sh');
    writeFileSync(script, hookScript(process.execPath, bin), { mode: 0o755 });
    const out = execFileSync(script, ['a b', '$(x)'], { cwd: r.dir, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(['hook', 'a b', '$(x)']);
    expect(existsSync(join(r.dir, 'pwned'))).toBe(false);
  });

  it('falls back to node on PATH, and fails closed when the installation is gone', () => {
    const r = repo();
    const script = join(r.dir, 'hook.sh');
    r.write('zd.js', 'console.log("ran");\n');
    writeFileSync(script, hookScript('/nonexistent/node', join(r.dir, 'zd.js')), { mode: 0o755 });
    expect(execFileSync(script, [], { encoding: 'utf8' })).toBe('ran\n');
    writeFileSync(script, hookScript(process.execPath, join(r.dir, 'gone.js')), { mode: 0o755 });
    let status = 0;
    try {
      execFileSync(script, [], { stdio: 'pipe' });
    } catch (err) {
      status = (err as { status: number }).status;
      expect(String((err as { stderr: Buffer }).stderr)).toMatch(/gone\.js is gone.*--no-validate/);
    }
    expect(status).toBe(1);
  });
});
