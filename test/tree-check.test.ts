// The base tree must be one kernel tree: `--tree`, a config file's `tree` and the Action's `tree`
// input naming a folder that holds several trees, or any other folder, are usage errors (exit 2,
// one line), not a search of everything below it. Every fixture base tree is kernel-shaped.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../src/action/run.js';
import { UsageError } from '../src/errors.js';
import { runHook } from '../src/hook/run.js';
import { kernelTreeLacks, notAKernelTree } from '../src/tree/kernel.js';
import { ensureBuilt, patchMail, tempDir, zdcheck } from './cli-helpers.js';
import { makeRepo } from './helpers/gitrepo.js';

let dir: string;
let parent: string;
let random: string;
let mbox: string;

/** A small tree shaped like a kernel's: what every fixture tree has too. */
function kernelShaped(root: string, version: [number, number]): void {
  mkdirSync(join(root, 'include', 'linux'), { recursive: true });
  mkdirSync(join(root, 'mm'), { recursive: true });
  writeFileSync(join(root, 'Makefile'), `VERSION = ${version[0]}\nPATCHLEVEL = ${version[1]}\nSUBLEVEL = 0\n`);
  writeFileSync(join(root, 'include', 'linux', 'memremap.h'), 'enum memory_type {\n\tMEMORY_DEVICE_PRIVATE = 1,\n};\n');
  writeFileSync(join(root, 'mm', 'memremap.c'), 'int a;\nint c;\n');
}

beforeAll(() => {
  ensureBuilt();
  dir = tempDir();
  parent = join(dir, 'trees');
  kernelShaped(join(parent, 'linux-6.1'), [6, 1]);
  kernelShaped(join(parent, 'linux-6.6'), [6, 6]);
  random = join(dir, 'random');
  mkdirSync(join(random, 'notes'), { recursive: true });
  writeFileSync(join(random, 'Makefile'), 'all:\n\techo hi\n');
  writeFileSync(join(random, 'notes', 'todo.txt'), 'nothing\n');
  mbox = join(dir, 'one.patch');
  writeFileSync(mbox, patchMail({ subject: '[PATCH] mm/memremap: add b' }));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

describe('--tree must name one kernel tree', () => {
  it('a folder holding two trees: exit 2, one line naming them', () => {
    const r = zdcheck(['--tree', parent, mbox]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([
      `zdcheck: --tree ${parent}: not a kernel tree (no top Makefile with VERSION and PATCHLEVEL, no include/linux/, no mm/); it holds kernel trees (linux-6.1, linux-6.6): name one`,
    ]);
  });

  it('a random folder: exit 2, one line saying what it lacks', () => {
    const r = zdcheck(['--tree', random, mbox]);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `zdcheck: --tree ${random}: not a kernel tree (no top Makefile with VERSION and PATCHLEVEL, no include/linux/, no mm/)`,
    ]);
  });

  it('one of the trees is checked against', () => {
    const r = zdcheck(['--format', 'json', '--tree', join(parent, 'linux-6.1'), mbox]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { model: { series: { kernel: { reason: string } }[] } };
    expect(json.model.series[0]!.kernel.reason).toContain("from the base tree's Makefile");
  });

  it("a config file's tree gets the same check, naming the file", () => {
    const proj = join(dir, 'proj');
    mkdirSync(proj, { recursive: true });
    writeFileSync(join(proj, '.zdcheck.yml'), 'tree: ../trees\n');
    const r = zdcheck(['--repo', proj, mbox]);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `zdcheck: ${join(proj, '.zdcheck.yml')}: tree ${parent}: not a kernel tree (no top Makefile with VERSION and PATCHLEVEL, no include/linux/, no mm/); it holds kernel trees (linux-6.1, linux-6.6): name one`,
    ]);
    // --tree wins over the file's, and is a tree.
    expect(zdcheck(['--repo', proj, '--tree', join(parent, 'linux-6.6'), mbox]).status).toBe(0);
  });

  it("the send-email hook outside a repository uses the config's tree only when it is one", async () => {
    const proj = join(dir, 'hookproj');
    mkdirSync(proj, { recursive: true });
    writeFileSync(join(proj, '.zdcheck.yml'), `tree: ${random}\n`);
    const io = { cwd: proj, stdout: () => {}, stderr: () => {}, env: {} };
    await expect(runHook([mbox], io)).rejects.toThrow(
      new UsageError(
        `${join(proj, '.zdcheck.yml')}: tree ${random}: not a kernel tree (no top Makefile with VERSION and PATCHLEVEL, no include/linux/, no mm/)`,
      ),
    );
    writeFileSync(join(proj, '.zdcheck.yml'), `tree: ${join(parent, 'linux-6.1')}\n`);
    await expect(runHook([mbox], io)).resolves.toBe(0);
  });

  it("inside a repository the hook takes its base from git, never from the config's tree", async () => {
    const repo = makeRepo({ prefix: 'zdcheck-treecheck-' });
    try {
      repo.commit('base', { 'mm/other.c': 'int x;\n', '.zdcheck.yml': `tree: ${random}\n` });
      let err = '';
      // The patch applies to nothing here: it is read from the mail alone, and says so.
      const code = await runHook([mbox], {
        cwd: repo.dir,
        stdout: () => {},
        stderr: (t) => {
          err += t;
        },
        env: {},
      });
      expect(code).toBe(0);
      expect(err).toMatch(
        /its commits are not in this repository, and it does not apply to HEAD \([0-9a-f]{12}\); checked from the mail alone/,
      );
    } finally {
      repo.cleanup();
    }
  });

  it("the Action's tree input gets the same check (an escaped ::error:: line, exit 2)", async () => {
    let out = '';
    const code = await runAction({
      env: { GITHUB_WORKSPACE: dir, INPUT_TREE: 'trees' },
      stdout: (t) => {
        out += t;
      },
    });
    expect(code).toBe(2);
    expect(out).toBe(
      `::error title=zdcheck::input tree: ${parent}: not a kernel tree (no top Makefile with VERSION and PATCHLEVEL, no include/linux/, no mm/); it holds kernel trees (linux-6.1, linux-6.6): name one\n`,
    );
  });

  it('names what is missing, and nothing for a kernel tree', () => {
    const half = join(dir, 'half');
    mkdirSync(join(half, 'include', 'linux'), { recursive: true });
    writeFileSync(join(half, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 1\n');
    expect(kernelTreeLacks(half)).toEqual(['mm/']);
    expect(notAKernelTree(join(parent, 'linux-6.1'), 'x')).toBeNull();
    expect(notAKernelTree(join(dir, 'nowhere'), '--tree nowhere')).toBe('--tree nowhere: no such directory');
  });
});

describe('fixture base trees', () => {
  const ROOT = resolve(import.meta.dirname, '..');
  // Each rule's cases: rules/<id>/fixtures/ (fixtures/<id>/ for a rule not yet in a folder).
  const dirs = [
    ...readdirSync(join(ROOT, 'rules'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join('rules', e.name, 'fixtures')),
    ...readdirSync(join(ROOT, 'fixtures'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join('fixtures', e.name)),
  ].filter((d) => existsSync(join(ROOT, d)));
  const trees = dirs.flatMap((d) =>
    readdirSync(join(ROOT, d))
      .filter((n) => n === 'tree' || n.endsWith('.tree'))
      .map((n) => join(d, n)),
  );

  it('there are some', () => expect(trees.length).toBeGreaterThan(5));
  it.each(trees)('%s is a kernel tree, so zdcheck --tree takes it', (t) => {
    expect(kernelTreeLacks(join(ROOT, t))).toEqual([]);
  });
});
