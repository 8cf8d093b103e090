import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Collection } from '../../src/types.js';
import { runRules } from '../../test/helpers/run-rules.js';
import { readCase, runCase, testRule, type Mode } from '../../test/rule-tester.js';
import { patchOf, seriesOf } from '../../test/source-helpers.js';
import rule from './index.js';

const ID = 'duplicate-enumerator';

// Every case in mail, tree and git modes (each declares X-Modes): the same findings in all three.
testRule(rule, import.meta.dirname);

/** The rule's findings on one fixture in one mode. */
async function fixtureFindings(name: string, mode: Mode) {
  const r = await runCase(readCase(join(import.meta.dirname, 'fixtures', name)), mode, [rule], new Set([ID]));
  return r.findings.filter((f) => f.rule === ID);
}

describe(`${ID}: fixtures`, () => {
  it('says the enum is partial in hunk-only mode when the hunk does not show all of it', async () => {
    const [f] = await fixtureFindings('bad-same-value.mbox', 'mail');
    expect(f).toMatchObject({ severity: 'warning', file: 'include/linux/ioport.h', line: 11 });
    expect([f!.messageId, f!.data]).toEqual([
      'sameValue',
      {
        name: 'IORES_DESC_DEVICE_PUBLIC_MEMORY',
        other: 'IORES_DESC_DEVICE_PRIVATE_MEMORY',
        otherLine: 10,
        value: '0x3',
        enum: 'an anonymous enum',
      },
    ]);
    expect(f!.detail).toBe('judged from the part of an anonymous enum the patch shows');
    const [g] = await fixtureFindings('bad-same-value.mbox', 'tree');
    expect(g!.detail).toBeUndefined();
  });

  it('names the other occurrence; a whole enum in one hunk is not partial', async () => {
    const [f] = await fixtureFindings('bad-listed-twice.mbox', 'mail');
    expect(f).toMatchObject({ severity: 'error', line: 17 });
    expect([f!.messageId, f!.data]).toEqual([
      'listedTwice',
      { name: 'MEMORY_DEVICE_PUBLIC', enum: 'enum memory_type', otherLine: 15 },
    ]);
    expect(f!.detail).toBeUndefined();
  });
});

/** `line severity messageId data (detail)`, one per finding. */
function findingsFor(diff: string): string[] {
  const collection: Collection = { series: [seriesOf(patchOf('p1', diff))], stray: [], unreadable: [], gitBase: null };
  // The rule's logic on bare fragments (a.h): every series, not only those of the ZONE_DEVICE world.
  return runRules([rule], collection, { tree: null, kernel: null, allSeries: true }, { base: null }).map(
    (f) => `${f.line} ${f.severity} ${f.messageId} ${JSON.stringify(f.data)}${f.detail ? ` (${f.detail})` : ''}`,
  );
}

describe(`${ID}: cases`, () => {
  it('reports on the added occurrence, whichever comes first', () => {
    expect(
      findingsFor(`--- a/a.h
+++ b/a.h
@@ -1,4 +1,5 @@
 enum e {
+	B,
 	A,
 	B,
 };
`),
    ).toEqual(['2 error listedTwice {"name":"B","enum":"enum e","otherLine":4}']);
  });

  it('leaves alone context-only duplicates and exclusive #if arms, and fragments seen from the middle', () => {
    expect(
      findingsFor(`--- a/a.h
+++ b/a.h
@@ -1,4 +1,5 @@
 enum e {
 	A,
 	A,
+	C,
 };
`),
    ).toEqual([]);
    expect(
      findingsFor(`--- a/a.h
+++ b/a.h
@@ -3,4 +3,6 @@ enum e {
 	A,
 #else
 	B,
+	A,
+	B = 1,
 #endif
`),
    ).toEqual([
      '7 error listedTwice {"name":"B","enum":"enum e","otherLine":5} (judged from the part of enum e the patch shows)',
    ]);
  });

  it('does not take a macro declaring enumerators for an enumerator named like the macro', () => {
    // The shape of 7.x mm.h: DECLARE_VMA_BIT(READ, 0), ... pastes each name; tree-sitter sees the
    // macro's name as an enumerator and its arguments as broken syntax. A real duplicate beside them still counts.
    expect(
      findingsFor(`--- a/a.h
+++ b/a.h
@@ -1,3 +1,8 @@
 enum e {
+	BIT(A, 0),
+	/* x */
+	BIT(B, 1),	/* y */
+	LAST,
+	LAST,
 };
`),
    ).toEqual(['6 error listedTwice {"name":"LAST","enum":"enum e","otherLine":5}']);
  });

  it('compares literal values by value, not aliases', () => {
    expect(
      findingsFor(`--- a/a.h
+++ b/a.h
@@ -1,3 +1,6 @@
 enum e {
 	A = 010,
+	B = 8,
+	C = A,
+	D = A,
 };
`),
    ).toEqual(['3 warning sameValue {"name":"B","other":"A","otherLine":2,"value":"8","enum":"enum e"}']);
  });
});
