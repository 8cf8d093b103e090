// A patch without a Signed-off-by from its author: the Developer's Certificate of Origin
// is missing, and maintainers cannot apply it.
import { defineRule } from '../../src/engine/rule.js';
import { describePerson, isRewrittenSender, sameAddress, sameNameInTransit, signoffs } from '../../src/patch/index.js';

export default defineRule({
  meta: {
    id: 'missing-signoff',
    severity: 'error',
    description: 'A patch carries no Signed-off-by from its author',
    scope: 'series',
    messages: {
      noSignoff: 'no Signed-off-by: line (Documentation/process/submitting-patches.rst, "Sign your work")',
      notFromAuthor: 'no Signed-off-by: from the author {{author}}; signed off by {{signers}}',
    },
  },
  check(ctx) {
    for (const patch of ctx.series.patches) {
      if (patch.kind !== 'patch') continue;
      const sobs = signoffs(patch);
      const author = patch.author;
      if (sobs.length === 0) {
        ctx.report({ patch, messageId: 'noSignoff' });
        continue;
      }
      // No author address (a web copy keeps only a name, often garbled): whether one of the
      // sign-offs is the author's cannot be told, and the rule does not report on a guess.
      if (!author || author.address.trim() === '') continue;
      // A relay or list rewrote From: (and no in-body From: undid it): the address is not
      // the author's, so the name is all there is to match.
      const relayed = isRewrittenSender(author);
      const matched = sobs.some((s) => (!relayed && sameAddress(s, author)) || sameNameInTransit(s, author));
      if (!matched) {
        const by = sobs.map(describePerson);
        ctx.report({
          patch,
          messageId: 'notFromAuthor',
          data: {
            author: describePerson(author),
            signers: by.length > 2 ? `${by.slice(0, 2).join(', ')} and ${by.length - 2} more` : by.join(', '),
          },
          ...(by.length > 2 ? { detail: `signed off by ${by.join(', ')}` } : {}),
        });
      }
    }
  },
});
