import { describe, expect, it } from 'vitest';
import { makePatch, run } from '../../test/rule-arch-helpers.js';
import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'garbled-encoding';

// Every case in mail mode: the mail is all the rule reads.
testRule(rule, import.meta.dirname);

describe(`${ID}: one finding per message`, () => {
  it('names the first garbled field and counts the others; the detail lists each', () => {
    const p = makePatch(
      'mm: count pages for JÃ©rÃ´me',
      'diff --git a/mm/x.c b/mm/x.c\n--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1 +1,2 @@\n a\n+b\n',
    );
    const name = 'JÃ©rÃ´me Durand';
    p.author = { name, address: 'jd@example.org' };
    p.trailers = [
      { key: 'Signed-off-by', value: `${name} <jd@example.org>`, person: { name, address: 'jd@example.org' } },
    ];
    const found = run(rule, [p]);
    expect(found.map((f) => [f.messageId, f.data])).toEqual([
      [
        'garbledAndMore',
        { field: 'subject', text: '[PATCH] mm: count pages for JÃ©rÃ´me', kind: 'mis-decoded UTF-8', others: 2 },
      ],
    ]);
    for (const field of ['subject "', 'author name "', 'Signed-off-by: name "'])
      expect(found[0]!.detail).toContain(field);
  });
});
