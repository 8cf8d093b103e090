// A commit's whole-tree index made from an earlier commit's (src/tree/cache.ts, `update`): the first
// run on a new base (a rebased branch) reads only the files changed since a commit indexed before,
// and finds what a run that indexes the new base from scratch finds.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, zdcheck } from './cli-helpers.js';
import { makeRepo, type TempRepo } from './helpers/gitrepo.js';

const SOB = 'Signed-off-by: Test Author <author@example.invalid>';
const ENUM = (extra = '') => `enum memory_type {\n\tMEMORY_DEVICE_PRIVATE = 1,\n\tMEMORY_DEVICE_FS_DAX,${extra}\n};\n`;
/** A switch over the memory types that handles the two of the base and fails on any other. */
const SWITCH = (fn: string) =>
  `#include <linux/memremap.h>\n\nint ${fn}(struct dev_pagemap *pgmap)\n{\n\tswitch (pgmap->type) {\n` +
  `\tcase MEMORY_DEVICE_PRIVATE:\n\t\treturn 1;\n\tcase MEMORY_DEVICE_FS_DAX:\n\t\treturn 2;\n` +
  `\tdefault:\n\t\tWARN(1, "bad type");\n\t\treturn -EINVAL;\n\t}\n}\n`;

let repo: TempRepo;
let cache: string;
beforeAll(() => {
  ensureBuilt();
  cache = mkdtempSync(join(tmpdir(), 'zdcheck-index-update-'));
  repo = makeRepo({ prefix: 'zdcheck-index-update-' });
  repo.commit('init', {
    Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n',
    'include/linux/memremap.h': ENUM(),
    'mm/memremap.c': SWITCH('pagemap_setup'),
    'mm/gone.c': SWITCH('pagemap_gone'),
  });
  repo.git('branch', 'base0');
  repo.git('checkout', '-q', '-b', 'series0');
  repo.commit(`mm: add MEMORY_DEVICE_NEW\n\n${SOB}`, { 'include/linux/memremap.h': ENUM('\n\tMEMORY_DEVICE_NEW,') });
  // The next base: a new file with a switch, one removed, one unrelated change.
  repo.git('checkout', '-q', 'base0');
  repo.commit('base: more switches', { 'drivers/dax/new.c': SWITCH('dax_setup'), 'mm/other.c': 'int x;\n' });
  repo.git('rm', '-q', 'mm/gone.c');
  repo.git('commit', '-q', '-m', 'base: one switch less');
  // ... and the enum itself: the facts read from it are read again.
  repo.commit('base: a third type', { 'include/linux/memremap.h': ENUM('\n\tMEMORY_DEVICE_GENERIC,') });
  repo.git('branch', 'base1');
  repo.git('checkout', '-q', '-b', 'series1');
  repo.commit(`mm: add MEMORY_DEVICE_NEW\n\n${SOB}`, {
    'include/linux/memremap.h': ENUM('\n\tMEMORY_DEVICE_GENERIC,\n\tMEMORY_DEVICE_NEW,'),
  });
});
afterAll(() => {
  repo?.cleanup();
  if (cache) rmSync(cache, { recursive: true, force: true });
});

/** The JSON report of a range, with the cache directory `dir`. */
function report(range: string, dir: string): string {
  const r = zdcheck(['--format', 'json', '--fail-on', 'never', '--git', range, '--repo', repo.dir], {
    env: { ZDCHECK_CACHE_DIR: dir },
  });
  expect(r.stderr).toBe('');
  return r.stdout;
}

/** The unhandled-memory-type findings of a report. */
function switches(json: string): string[] {
  return (JSON.parse(json) as { findings: { rule: string; message: string }[] }).findings
    .filter((f) => f.rule === 'unhandled-memory-type')
    .map((f) => f.message);
}

describe('a tree index made from an earlier commit', () => {
  it('finds on the new base what indexing it from scratch finds: new files in, removed ones out', () => {
    const before = switches(report('base0..series0', cache)).join('\n');
    expect(before).toMatch(/mm\/memremap\.c/);
    expect(before).toMatch(/mm\/gone\.c/);
    // base0's indexes are kept; base1's are made from them. The whole report is the same as
    // indexing base1 from scratch: switches, the tree's enum, its headers.
    const derived = report('base1..series1', cache);
    expect(derived).toBe(report('base1..series1', join(cache, 'scratch')));
    expect(derived).toContain('MEMORY_DEVICE_GENERIC');
    const all = switches(derived).join('\n');
    expect(all).toMatch(/drivers\/dax\/new\.c/);
    expect(all).toMatch(/mm\/memremap\.c/);
    expect(all).not.toMatch(/mm\/gone\.c/);
  });
});

/** The files of a folder, by path relative to it. */
function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = readFileSync(join(e.parentPath, e.name), 'utf8');
  return out;
}

/** A fixture's patch applied on two bases of a repository of its own (base 1 a child of base 0). */
interface TwoBases {
  /** `base..tip` of the series on each base. */
  ranges: [string, string];
  /** zdcheck's JSON report of a range, with the cache directory `cache`. */
  run(range: string, cache: string, env?: NodeJS.ProcessEnv): ReturnType<typeof zdcheck>;
  cleanup(): void;
}

function seriesOnTwoBases(
  prefix: string,
  patch: string,
  base0: Record<string, string>,
  base1: Record<string, string>,
): TwoBases {
  const r = makeRepo({ prefix });
  const bases = [r.commit('base0', base0), r.commit('base1', base1)];
  const [range0, range1] = bases.map((base) => {
    r.git('checkout', '-q', '--detach', base);
    r.git('am', '-q', patch);
    return `${base}..${r.git('rev-parse', 'HEAD')}`;
  });
  return {
    ranges: [range0!, range1!],
    run: (range, cache, env = {}) =>
      zdcheck(['--format', 'json', '--fail-on', 'never', '--git', range, '--repo', r.dir], {
        env: { ZDCHECK_CACHE_DIR: cache, ...env },
      }),
    cleanup: () => r.cleanup(),
  };
}

describe("a name's callers kept from an earlier commit (missing-config-stub)", () => {
  it('finds a caller added to the new base, as searching it from scratch does', () => {
    const fixtures = join(import.meta.dirname, '..', 'rules', 'missing-config-stub', 'fixtures');
    const tree = filesOf(join(fixtures, 'tree'));
    const patch = join(fixtures, 'bad-endif-moved.mbox');
    const dir = mkdtempSync(join(tmpdir(), 'zdcheck-callers-cache-'));
    // base0: kernel/fork.c does not call hmm_mm_destroy yet; base1 (its child) does.
    const withoutCall = tree['kernel/fork.c']!.replace('\thmm_mm_destroy(mm);\n', '');
    expect(withoutCall).not.toBe(tree['kernel/fork.c']);
    const two = seriesOnTwoBases(
      'zdcheck-callers-update-',
      patch,
      { ...tree, 'kernel/fork.c': withoutCall },
      {
        'kernel/fork.c': tree['kernel/fork.c']!,
      },
    );
    const [range0, range1] = two.ranges;
    const run = (range: string, cache: string) => two.run(range, cache);
    try {
      const stubLost = (json: string) =>
        (JSON.parse(json) as { findings: { rule: string; message: string }[] }).findings
          .filter((f) => f.rule === 'missing-config-stub')
          .map((f) => f.message);
      const first = run(range0, dir);
      expect(first.stderr).toBe('');
      expect(stubLost(first.stdout).join('\n')).not.toMatch(/kernel\/fork\.c/);
      // base0's callers are kept; base1's are made from them, kernel/fork.c searched again.
      const derived = run(range1, dir);
      expect(derived.stdout).toBe(run(range1, join(dir, 'scratch')).stdout);
      expect(stubLost(derived.stdout).join('\n')).toMatch(/kernel\/fork\.c:6/);
    } finally {
      two.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a name's mentions kept from an earlier commit (unused-new-function)", () => {
  it('finds a use added to the new base without searching the whole tree again, as searching it from scratch does', () => {
    const fixtures = join(import.meta.dirname, '..', 'rules', 'unused-new-function', 'fixtures');
    const tree = filesOf(join(fixtures, 'tree'));
    const patch = join(fixtures, 'bad-unused-helper.mbox');
    const dir = mkdtempSync(join(tmpdir(), 'zdcheck-mentions-cache-'));
    // base0: the fixture's tree, where nothing uses the new helper; base1 (its child) adds a user.
    const user =
      '#include <linux/devmem.h>\n\nbool devmem_user(struct page *page)\n{\n\treturn devmem_page_is_pinned(page);\n}\n';
    const two = seriesOnTwoBases('zdcheck-mentions-update-', patch, tree, { 'drivers/devmem_user.c': user });
    const [range0, range1] = two.ranges;
    const trace = join(dir, 'git-trace');
    const run = (range: string, cache: string) => two.run(range, cache, { GIT_TRACE: trace });
    try {
      const unused = (json: string) =>
        (JSON.parse(json) as { findings: { rule: string; file: string; line: number }[] }).findings
          .filter((f) => f.rule === 'unused-new-function')
          .map((f) => `${f.file}:${f.line}`);
      /** The whole-tree searches for the helper's name the last run made. */
      const searches = () => {
        const lines = readFileSync(trace, 'utf8').split('\n');
        rmSync(trace, { force: true });
        return lines.filter((l) => / grep .*devmem_page_is_pinned/.test(l)).length;
      };
      const first = run(range0, dir);
      expect(first.stderr).toBe('');
      expect(unused(first.stdout)).toEqual(['mm/devmem.c:18']);
      expect(searches()).toBe(1);
      // The same commit again: its mentions are read back.
      expect(run(range0, dir).stdout).toBe(first.stdout);
      expect(searches()).toBe(0);
      // base1's mentions are made from base0's, drivers/devmem_user.c read again: the helper is used.
      const derived = run(range1, dir);
      expect(searches()).toBe(0);
      expect(unused(derived.stdout)).toEqual([]);
      expect(derived.stdout).toBe(run(range1, join(dir, 'scratch')).stdout);
      expect(searches()).toBe(1);
    } finally {
      two.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
