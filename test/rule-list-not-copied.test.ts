import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rule from '../rules/list-not-copied.js';
import { makePatch, run } from './rule-arch-helpers.js';

const MM_DIFF = `diff --git a/mm/memremap.c b/mm/memremap.c
--- a/mm/memremap.c
+++ b/mm/memremap.c
@@ -1,2 +1,3 @@
 int a;
+int b;
 int c;
`;
const NVDIMM_DIFF = MM_DIFF.replaceAll('mm/memremap.c', 'drivers/nvdimm/pmem.c');

let dir: string;
let repo: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zdlist-'));
  // A tree whose MAINTAINERS sends mm/ to a list the fallback does not know.
  writeFileSync(join(dir, 'MAINTAINERS'), 'MM\nL:\tmm-tree@example.org\nF:\tmm/\n');
  repo = join(dir, 'repo');
  mkdirSync(repo);
  writeFileSync(join(repo, 'MAINTAINERS'), 'MM\nL:\tmm-git@example.org\nF:\tmm/\n');
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
  for (const args of [['init', '-q'], ['add', '.'], ['commit', '-qm', 'base']]) execFileSync('git', args, { cwd: repo, env });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('list-not-copied', () => {
  it('without a tree, uses the built-in table and says so', () => {
    const f = run(rule, [makePatch('mm: x', MM_DIFF, ['someone@example.org'])]);
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.message).toContain('linux-mm@kvack.org');
    expect(f[0]!.message).toContain("zdcheck's built-in table names for mm/");
    expect(f[0]!.detail).toMatch(/^add it to Cc \(section MEMORY MANAGEMENT\); no base tree given; give --tree/);
    expect(f[0]!.patch).toBe('[PATCH] mm: x');
  });

  it('accepts the list in any case, in To or Cc, and older addresses of a moved list', () => {
    expect(run(rule, [makePatch('mm: x', MM_DIFF, ['Linux-MM@KVACK.org'])])).toEqual([]);
    expect(run(rule, [makePatch('nd: x', NVDIMM_DIFF, ['linux-nvdimm@lists.01.org'])])).toEqual([]);
  });

  it('does not judge patches whose recipients are unknown', () => {
    expect(run(rule, [makePatch('mm: x', MM_DIFF, null)])).toEqual([]);
    expect(run(rule, [makePatch('mm: x', MM_DIFF, [])])).toEqual([]);
  });

  it('with a plain tree, reads its MAINTAINERS', () => {
    const f = run(rule, [makePatch('mm: x', MM_DIFF, ['linux-mm@kvack.org'])], { tree: dir });
    expect(f.map((x) => [x.message, x.detail])).toEqual([[expect.stringContaining('mm-tree@example.org, the list MAINTAINERS names for mm/memremap.c'), 'add it to Cc (section MM)']]);
    expect(run(rule, [makePatch('mm: x', MM_DIFF, ['mm-tree@example.org'])], { tree: dir })).toEqual([]);
  });

  it('with a git base, reads MAINTAINERS at that commit', () => {
    const f = run(rule, [makePatch('mm: x', MM_DIFF, ['linux-mm@kvack.org'])], {}, { repo, commit: 'HEAD' });
    expect(f.map((x) => x.message)).toEqual([expect.stringContaining('mm-git@example.org')]);
  });

  it('falls back when the tree has no MAINTAINERS, and says so', () => {
    const f = run(rule, [makePatch('mm: x', MM_DIFF, ['x@example.org'])], { tree: join(dir, 'repo', '.git') });
    expect(f[0]!.message).toContain("zdcheck's built-in table");
    expect(f[0]!.detail).toContain('has no MAINTAINERS');
  });

  it('reports each missing list once per patch, on that patch', () => {
    const both = MM_DIFF + NVDIMM_DIFF;
    const f = run(rule, [makePatch('a', both, ['x@example.org'], 1, 2), makePatch('b', MM_DIFF, ['linux-mm@kvack.org'], 2, 2)]);
    expect(f.map((x) => [x.patch, x.message.split(',')[0]])).toEqual([
      ['[PATCH 1/2] a', 'not addressed to linux-mm@kvack.org'],
      ['[PATCH 1/2] a', 'not addressed to nvdimm@lists.linux.dev (or its older address linux-nvdimm@lists.01.org)'],
    ]);
  });
});
