// The author signed off, but under another name or address: after decoding both, the
// From: and the Signed-off-by agree on one and differ on the other.
import { defineRule } from '../../src/engine/rule.js';
import {
  describePerson,
  isRewrittenSender,
  normalName,
  sameAddress,
  sameNameInTransit,
  signoffs,
} from '../../src/patch/index.js';

export default defineRule({
  meta: {
    id: 'signoff-author-mismatch',
    severity: 'warning',
    description: "The author's name or address differs from every Signed-off-by",
    scope: 'series',
    messages: {
      addressDiffers: 'author {{author}} signed off with a different address: {{signer}}',
      nameDiffers: 'author {{author}} signed off with a different name: {{signer}}',
    },
  },
  check(ctx) {
    for (const patch of ctx.series.patches) {
      const author = patch.author;
      if (patch.kind !== 'patch' || !author) continue;
      const sobs = signoffs(patch);
      const relayed = isRewrittenSender(author);
      // A name garbled on the way (UTF-8 read as Latin-1 by an archive) is the same name: garbled-encoding says so.
      if (
        sobs.some(
          (s) =>
            (relayed || sameAddress(s, author)) && (sameNameInTransit(s, author) || normalName(author.name) === ''),
        )
      )
        continue;
      // Neither name nor address matches: that is missing-signoff's finding, not ours.
      const partial = sobs.find((s) => (!relayed && sameAddress(s, author)) || sameNameInTransit(s, author));
      if (!partial) continue;
      ctx.report({
        patch,
        messageId: sameNameInTransit(partial, author) ? 'addressDiffers' : 'nameDiffers',
        data: { author: describePerson(author), signer: describePerson(partial) },
      });
    }
  },
});
