// The README's command that puts zdcheck on a user's PATH from a clone, run as written into a
// temporary prefix (no network: npm links the clone, whose dependencies are installed), then the
// installed command run from another folder and from inside a folder shaped like a kernel tree,
// where `npx zdcheck` would ask the npm registry for a package of that name.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from './cli-helpers.js';

let tmp: string;
let prefix: string;
let kernel: string;
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The README's line, without the shell. */
const README_LINE = 'npm install -g --ignore-scripts .';

beforeAll(() => {
  ensureBuilt();
  expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`    ${README_LINE}`);
  tmp = mkdtempSync(join(tmpdir(), 'zdcheck-global-'));
  prefix = join(tmp, 'prefix');
  const [cmd, ...args] = README_LINE.split(' ');
  const r = spawnSync(cmd!, [...args, '--prefix', prefix, '--offline', '--no-audit', '--no-fund'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    // npm's cache and logs stay in the scratch folder too.
    env: { ...process.env, npm_config_cache: join(tmp, 'npm-cache'), npm_config_logs_dir: join(tmp, 'npm-logs') },
  });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/warn/i);
  kernel = join(tmp, 'linux');
  mkdirSync(join(kernel, 'include', 'linux'), { recursive: true });
  mkdirSync(join(kernel, 'mm'), { recursive: true });
  writeFileSync(join(kernel, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n');
  writeFileSync(
    join(kernel, 'include', 'linux', 'memremap.h'),
    'enum memory_type {\n\tMEMORY_DEVICE_PRIVATE = 1,\n};\n',
  );
}, 150_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** `zdcheck ARGS` found on PATH, as a user's shell would find it. */
function onPath(cwd: string, ...args: string[]) {
  return spawnSync('zdcheck', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` },
  });
}

describe('zdcheck on PATH from a clone', () => {
  it('installs a zdcheck command that is this clone', () => {
    expect(realpathSync(join(prefix, 'bin', 'zdcheck'))).toBe(realpathSync(join(ROOT, 'bin', 'zdcheck.js')));
  });

  it('runs from another folder', () => {
    const r = onPath(tmp, '--version');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(version);
    const rules = onPath(tmp, 'rules', '--format', 'json');
    expect(rules.status).toBe(0);
    expect((JSON.parse(rules.stdout) as unknown[]).length).toBeGreaterThan(10);
  });

  it('runs inside a kernel tree, and checks a series against it', () => {
    const example = join(ROOT, 'fixtures', 'examples', 'device-public.mbox');
    const r = onPath(kernel, '--tree', '.', example);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/ERROR: uncalled-predicate: is_device_public_page/);
    expect(r.stdout).toMatch(/^total: \d+ errors, \d+ warnings, 4 patches checked$/m);
  });
});
