import { describe, expect, it } from 'vitest';
import rule from '../rules/duplicate-enumerator.js';
import { runRules } from './helpers/run-rules.js';
import type { Collection } from '../src/types.js';
import { fixtureFiles, fixtureTree, runAsGitRange, runFixture, titleOf } from './rule-fixture-helpers.js';
import { patchOf, seriesOf } from './source-helpers.js';

const ID = 'duplicate-enumerator';

describe(`${ID}: fixtures`, () => {
  for (const file of fixtureFiles(ID)) {
    for (const tree of [null, fixtureTree(ID)]) {
      it(`${file} ${tree ? 'with the base tree' : 'hunks only'}`, async () => {
        const run = await runFixture(file, rule, tree);
        expect(run.actual).toEqual(run.expected);
        if (file.includes('/bad-')) expect(run.expected.length).toBeGreaterThan(0);
        expect(run.findings.filter((f) => f.rule === 'internal-error' || f.rule === 'does-not-apply')).toEqual([]);
      });
    }
    it(`${file} as a git range`, async () => {
      const mail = (await runFixture(file, rule, null)).findings.filter((f) => f.rule === ID);
      const range = await runAsGitRange(file, rule, fixtureTree(ID)!);
      expect(range).toEqual(mail.map((f) => `${titleOf(f.patch)} ${f.file}:${f.line}`).sort());
    });
  }

  it('says the enum is partial in hunk-only mode when the hunk does not show all of it', async () => {
    const [f] = (await runFixture(`fixtures/${ID}/bad-same-value.mbox`, rule, null)).findings;
    expect(f).toMatchObject({ severity: 'warning', file: 'include/linux/ioport.h', line: 11 });
    expect(f!.message).toBe('IORES_DESC_DEVICE_PUBLIC_MEMORY and IORES_DESC_DEVICE_PRIVATE_MEMORY (line 10) have the same value 0x3 in an anonymous enum');
    expect(f!.detail).toBe('judged from the part of an anonymous enum the patch shows');
    const [g] = (await runFixture(`fixtures/${ID}/bad-same-value.mbox`, rule, fixtureTree(ID))).findings;
    expect(g!.detail).toBeUndefined();
  });

  it('names the other occurrence; a whole enum in one hunk is not partial', async () => {
    const [f] = (await runFixture(`fixtures/${ID}/bad-listed-twice.mbox`, rule, null)).findings;
    expect(f).toMatchObject({ severity: 'error', line: 17 });
    expect(f!.message).toBe('MEMORY_DEVICE_PUBLIC is listed twice in enum memory_type (also at line 15); remove one');
  });
});

function findingsFor(diff: string): string[] {
  const collection: Collection = { series: [seriesOf(patchOf('p1', diff))], stray: [], unreadable: [], gitBase: null };
  return runRules([rule], collection, { tree: null, kernel: null }, { base: null }).map((f) => `${f.line} ${f.severity} ${f.message}${f.detail ? ` (${f.detail})` : ''}`);
}

describe(`${ID}: cases`, () => {
  it('reports on the added occurrence, whichever comes first', () => {
    expect(findingsFor(`--- a/a.h
+++ b/a.h
@@ -1,4 +1,5 @@
 enum e {
+	B,
 	A,
 	B,
 };
`)).toEqual(['2 error B is listed twice in enum e (also at line 4); remove one']);
  });

  it('leaves alone context-only duplicates and exclusive #if arms, and fragments seen from the middle', () => {
    expect(findingsFor(`--- a/a.h
+++ b/a.h
@@ -1,4 +1,5 @@
 enum e {
 	A,
 	A,
+	C,
 };
`)).toEqual([]);
    expect(findingsFor(`--- a/a.h
+++ b/a.h
@@ -3,4 +3,6 @@ enum e {
 	A,
 #else
 	B,
+	A,
+	B = 1,
 #endif
`)).toEqual(['7 error B is listed twice in enum e (also at line 5); remove one (judged from the part of enum e the patch shows)']);
  });

  it('does not take a macro declaring enumerators for an enumerator named like the macro', () => {
    // The shape of 7.x mm.h: DECLARE_VMA_BIT(READ, 0), ... pastes each name; tree-sitter sees the
    // macro's name as an enumerator and its arguments as broken syntax. A real duplicate beside them still counts.
    expect(findingsFor(`--- a/a.h
+++ b/a.h
@@ -1,3 +1,8 @@
 enum e {
+	BIT(A, 0),
+	/* x */
+	BIT(B, 1),	/* y */
+	LAST,
+	LAST,
 };
`)).toEqual(['6 error LAST is listed twice in enum e (also at line 5); remove one']);
  });

  it('compares literal values by value, not aliases', () => {
    expect(findingsFor(`--- a/a.h
+++ b/a.h
@@ -1,3 +1,6 @@
 enum e {
 	A = 010,
+	B = 8,
+	C = A,
+	D = A,
 };
`)).toEqual(['3 warning B and A (line 2) have the same value 8 in enum e']);
  });
});
