import { describe, expect, it } from 'vitest';
import { makePatch, run } from '../../test/rule-arch-helpers.js';
import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'missing-signoff';

// Every case in mail mode: the mail is all the rule reads.
testRule(rule, import.meta.dirname);

describe(`${ID}: who signed off instead`, () => {
  const signedBy = (...people: [string, string][]) => {
    const p = makePatch('mm: x', 'diff --git a/mm/x.c b/mm/x.c\n--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1 +1,2 @@\n a\n+b\n');
    p.trailers = people.map(([name, address]) => ({
      key: 'Signed-off-by',
      value: `${name} <${address}>`,
      person: { name, address },
    }));
    return run(rule, [p]);
  };

  it('names two signers on the line; with more, the first two and how many more, all of them in the detail', () => {
    const two = signedBy(['Ann One', 'ann@example.org'], ['Bob Two', 'bob@example.org']);
    expect(two.map((f) => [f.messageId, f.data, f.detail])).toEqual([
      [
        'notFromAuthor',
        { author: '<dev@example.org>', signers: 'Ann One <ann@example.org>, Bob Two <bob@example.org>' },
        undefined,
      ],
    ]);
    const three = signedBy(
      ['Ann One', 'ann@example.org'],
      ['Bob Two', 'bob@example.org'],
      ['Cy Three', 'cy@example.org'],
    );
    expect(three.map((f) => [f.messageId, f.data, f.detail])).toEqual([
      [
        'notFromAuthor',
        { author: '<dev@example.org>', signers: 'Ann One <ann@example.org>, Bob Two <bob@example.org> and 1 more' },
        'signed off by Ann One <ann@example.org>, Bob Two <bob@example.org>, Cy Three <cy@example.org>',
      ],
    ]);
  });

  it('says there is no sign-off at all when the patch has none', () => {
    expect(signedBy().map((f) => [f.messageId, f.data])).toEqual([['noSignoff', undefined]]);
  });
});
