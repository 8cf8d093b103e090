// does-not-apply and the fallback it announces, end to end through the pipeline.
import { describe, expect, it } from 'vitest';
import doesNotApply from '../rules/does-not-apply.js';
import uncalled from '../rules/uncalled-predicate/index.js';
import { check } from '../src/pipeline.js';

const TREE = 'fixtures/does-not-apply/tree';

describe('does-not-apply', () => {
  it('names patch, file and hunk, and the rest of the checks still run on the fragments', async () => {
    const { findings } = await check([{ kind: 'path', path: 'fixtures/does-not-apply/bad-stale-context.mbox' }],
      { tree: TREE, kernel: null, rules: [doesNotApply, uncalled] });
    expect(findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['does-not-apply', 'mm/migrate.c', 11],
      ['uncalled-predicate', 'mm/migrate.c', 15],
    ]);
    expect(findings[0]!.patch).toBe('[PATCH] mm/migrate: count device page moves');
    expect(findings[0]!.message).toContain('hunk 1 (@@ -11,7 +11,8 @@) does not apply');
    expect(findings[0]!.detail).toMatch(/^@@ -11,7 \+11,8 @@ static int devmem_extra_refs\(struct page \*page\): /);
  });

  it('says nothing without a tree, and nothing for hunks that apply at an offset', async () => {
    const none = await check([{ kind: 'path', path: 'fixtures/does-not-apply/bad-stale-context.mbox' }],
      { tree: null, kernel: null, rules: [doesNotApply] });
    expect(none.findings).toEqual([]);
    const offset = await check([{ kind: 'path', path: 'fixtures/does-not-apply/good-offset.mbox' }],
      { tree: TREE, kernel: null, rules: [doesNotApply] });
    expect(offset.findings).toEqual([]);
  });
});
