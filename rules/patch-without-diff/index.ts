// A mail tagged [PATCH] that carries no diff (and is not a cover letter): nothing in it could be
// checked, and `git am` would apply nothing from it. Without this rule such a mail would be set
// aside as "other mail" and the run end "0 patches checked" with exit 0, as if all was well.
import { defineRule } from '../../src/engine/rule.js';
import type { Patch } from '../../src/types.js';

const PATCH_TAG = /(^|[\s,])PATCH([\s,]|$)/i;

/** Tagged as a patch, not a reply, not made a cover letter, and no diff read from it. */
export function isPatchWithoutDiff(p: Patch): boolean {
  return p.kind === 'other' && !p.tags.reply && PATCH_TAG.test(p.tags.prefix) && p.files.length === 0;
}

export default defineRule({
  meta: {
    id: 'patch-without-diff',
    severity: 'warning',
    description: 'A mail tagged [PATCH] carries no diff and is not a cover letter: nothing in it was checked',
    scope: 'input',
    messages: {
      noDiff: 'tagged as a patch but carries no diff zdcheck (or git am) could read; nothing in it was checked',
    },
  },
  check(ctx) {
    const { series, stray } = ctx.collection;
    const mails = [...series.flatMap((s) => s.replies), ...stray];
    for (const patch of mails) {
      if (!isPatchWithoutDiff(patch)) continue;
      ctx.report({
        patch,
        messageId: 'noDiff',
        detail:
          'the diff was left out, cut off by a mailer, or sent in a form git am does not take (an attachment type or ' +
          'encoding it cannot read); resend it with git send-email, or attach the git format-patch file as text/x-patch',
      });
    }
  },
});
