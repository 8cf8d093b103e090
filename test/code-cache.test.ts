// The bundle compiled with V8's code cache (src/startup/code-cache.ts): the first run writes a cache
// per bundle file, later runs read it and write nothing, a cache V8 rejects is written again, and
// the output never depends on it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'zdcheck.js');
const EXAMPLE = join(ROOT, 'fixtures', 'examples', 'device-public.mbox');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zdcheck-code-cache-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cacheDir: string) {
  const r = spawnSync(process.execPath, [BIN, '--format', 'json', EXAMPLE], {
    encoding: 'utf8',
    env: { ...process.env, ZDCHECK_CACHE_DIR: cacheDir },
  });
  // Nothing on stderr: b4 and the hook read it as the check's output.
  return { status: r.status, stderr: r.stderr, findings: (JSON.parse(r.stdout) as { findings: unknown[] }).findings };
}

/** The cache files and their modification times. */
function caches(cacheDir: string): Map<string, number> {
  const base = join(cacheDir, 'code-cache');
  const out = new Map<string, number>();
  if (!existsSync(base)) return out;
  for (const v of readdirSync(base))
    for (const f of readdirSync(join(base, v))) out.set(join(base, v, f), statSync(join(base, v, f)).mtimeMs);
  return out;
}

describe('the code cache of the bundle', () => {
  it('is written by the first run, read by the next, rewritten when rejected; the output is the same', () => {
    const cacheDir = join(dir, 'on');
    const first = run(cacheDir);
    expect(first.status).toBe(1);
    expect(first.stderr).toBe('');
    const written = caches(cacheDir);
    expect([...written.keys()].some((f) => /-cli\.cjs-\d+-\d+\.bin$/.test(f))).toBe(true);

    const second = run(cacheDir);
    expect(second).toEqual(first);
    expect(caches(cacheDir)).toEqual(written);

    const cli = [...written.keys()].find((f) => /cli\.cjs-/.test(f))!;
    writeFileSync(cli, 'not a code cache');
    // A cache of cli.cjs as it was before a rebuild (another size and time): goes when cli.cjs's is written.
    const stale = cli.replace(/\d+-\d+\.bin$/, '1-2.bin');
    writeFileSync(stale, 'an old build');
    const third = run(cacheDir);
    expect(third).toEqual(first);
    expect(statSync(cli).size).toBeGreaterThan('not a code cache'.length);
    expect(existsSync(stale)).toBe(false);
  });

  it("keeps the hook's caches apart from the other runs', and drops the one folder of earlier versions", () => {
    const cacheDir = join(dir, 'kinds');
    const legacy = join(cacheDir, 'code-cache', `${process.version}-${process.arch}`);
    mkdirSync(legacy, { recursive: true });
    writeFileSync(join(legacy, 'old-cli.cjs-1-2.bin'), 'an earlier version');
    expect(run(cacheDir).status).toBe(1);
    const hook = spawnSync(process.execPath, [BIN, 'hook', EXAMPLE], {
      encoding: 'utf8',
      cwd: dir,
      env: { ...process.env, ZDCHECK_CACHE_DIR: cacheDir },
    });
    expect(hook.status, hook.stderr).toBe(1);
    const folders = readdirSync(join(cacheDir, 'code-cache')).sort();
    expect(folders).toEqual([`${process.version}-${process.arch}-check`, `${process.version}-${process.arch}-hook`]);
    for (const f of folders)
      expect(readdirSync(join(cacheDir, 'code-cache', f)).some((n) => /-cli\.cjs-\d+-\d+\.bin$/.test(n))).toBe(true);
  });

  it('keeps nothing with ZDCHECK_CACHE_DIR=off', () => {
    const before = readdirSync(dir);
    expect(run('off').status).toBe(1);
    expect(readdirSync(dir)).toEqual(before);
  });
});
