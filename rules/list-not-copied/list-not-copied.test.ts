import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePatch, run } from '../../test/rule-arch-helpers.js';
import { casesIn, runCase, testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'list-not-copied';

// Every case in mail and tree modes (each declares X-Modes): without a tree the built-in table is
// asked, with one the tree's MAINTAINERS (a case's own `<case>.tree/`, else `tree/`).
testRule(rule, import.meta.dirname);

// Not a mode the cases declare, because the rule says nothing there: a git range has no recipients.
describe(`${ID}: a git range`, () => {
  for (const kase of casesIn(import.meta.dirname)) {
    it(`${kase.file.slice(kase.file.indexOf('fixtures/'))} (git): not judged`, async () => {
      const r = await runCase(kase, 'git', [rule], new Set([ID]));
      expect(r.findings.filter((f) => f.rule === 'internal-error').map((f) => f.message)).toEqual([]);
      expect(
        r.collection.series.flatMap((s) => s.patches).length,
        "the range holds the case's patches",
      ).toBeGreaterThan(0);
      expect(r.findings.filter((f) => f.rule === ID)).toEqual([]);
    }, 30_000);
  }
});

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
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@t',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@t',
  };
  for (const args of [
    ['init', '-q'],
    ['add', '.'],
    ['commit', '-qm', 'base'],
  ])
    execFileSync('git', args, { cwd: repo, env });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(ID, () => {
  it('without a tree, uses the built-in table and says so', () => {
    const f = run(rule, [makePatch('mm: x', MM_DIFF, ['someone@example.org'])]);
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
    expect([f[0]!.messageId, f[0]!.data]).toEqual([
      'listNotCopiedBuiltIn',
      { list: 'linux-mm@kvack.org', file: 'mm/memremap.c' },
    ]);
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
    expect(f.map((x) => [x.messageId, x.data, x.detail])).toEqual([
      ['listNotCopied', { list: 'mm-tree@example.org', file: 'mm/memremap.c' }, 'add it to Cc (section MM)'],
    ]);
    expect(run(rule, [makePatch('mm: x', MM_DIFF, ['mm-tree@example.org'])], { tree: dir })).toEqual([]);
  });

  it('with a git base, reads MAINTAINERS at that commit', () => {
    const f = run(rule, [makePatch('mm: x', MM_DIFF, ['linux-mm@kvack.org'])], {}, { repo, commit: 'HEAD' });
    expect(f.map((x) => [x.messageId, x.data?.['list']])).toEqual([['listNotCopied', 'mm-git@example.org']]);
  });

  it('falls back when the tree has no MAINTAINERS, and says so', () => {
    const f = run(rule, [makePatch('mm: x', MM_DIFF, ['x@example.org'])], { tree: join(dir, 'repo', '.git') });
    expect(f[0]!.messageId).toBe('listNotCopiedBuiltIn');
    expect(f[0]!.detail).toContain('has no MAINTAINERS');
  });

  it('reports each missing list once per patch, on that patch', () => {
    const both = MM_DIFF + NVDIMM_DIFF;
    const f = run(rule, [
      makePatch('a', both, ['x@example.org'], 1, 2),
      makePatch('b', MM_DIFF, ['linux-mm@kvack.org'], 2, 2),
    ]);
    expect(f.map((x) => [x.patch, x.messageId, x.data])).toEqual([
      ['[PATCH 1/2] a', 'listNotCopiedBuiltIn', { list: 'linux-mm@kvack.org', file: 'mm/memremap.c' }],
      [
        '[PATCH 1/2] a',
        'movedListNotCopiedBuiltIn',
        { list: 'nvdimm@lists.linux.dev', older: 'linux-nvdimm@lists.01.org', file: 'drivers/nvdimm/pmem.c' },
      ],
    ]);
  });
});
