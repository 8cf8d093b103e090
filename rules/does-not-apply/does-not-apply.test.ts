// does-not-apply: its cases (a hunk that does not apply cannot be a git range: the bad cases run
// in mail mode, where they must say nothing, and in tree mode; the good ones in all three), and
// the fallback it announces, end to end: the other checks still run on the fragments.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline.js';
import { testRule } from '../../test/rule-tester.js';
import uncalled from '../uncalled-predicate/index.js';
import rule from './index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const TREE = join(FIXTURES, 'tree');

testRule(rule, import.meta.dirname);

const findings = async (file: string) =>
  (await check([{ kind: 'path', path: join(FIXTURES, file) }], { tree: TREE, kernel: null, rules: [rule, uncalled] }))
    .findings;

describe('does-not-apply', () => {
  it('names patch, file and hunk, and the rest of the checks still run on the fragments', async () => {
    const found = await findings('bad-stale-context.mbox');
    expect(found.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['does-not-apply', 'mm/migrate.c', 11],
      ['uncalled-predicate', 'mm/migrate.c', 15],
    ]);
    expect(found[0]!.patch).toBe('[PATCH] mm/migrate: count device page moves');
    expect([found[0]!.messageId, found[0]!.data]).toEqual([
      'oldLinesNotFound',
      { hunk: 1, header: '@@ -11,7 +11,8 @@', oldLines: 7, from: 1 },
    ]);
    expect(found[0]!.detail).toMatch(/^@@ -11,7 \+11,8 @@ static int devmem_extra_refs\(struct page \*page\): /);
  });

  it('says why: a file the tree lacks, an insertion past the end of the file', async () => {
    const [missing] = await findings('bad-file-missing.mbox');
    expect([missing!.messageId, missing!.data]).toEqual(['fileMissing', { hunk: 1, header: '@@ -20,6 +20,7 @@' }]);
    const [past] = await findings('bad-past-end.mbox');
    expect([past!.messageId, past!.data]).toEqual([
      'pastEndOfFile',
      { hunk: 1, header: '@@ -45,0 +46,1 @@', line: 45, fileLines: 39 },
    ]);
  });
});
