// `git format-patch --cover-letter` writes a cover letter to be filled in: `*** SUBJECT HERE ***` in
// the subject and `*** BLURB HERE ***` in the body. Sent as it is, the series arrives without the
// one message that says what it does, or with the marker left beside the text that was written.
import { defineRule } from '../../src/engine/rule.js';
import type { Patch } from '../../src/types.js';

const SUBJECT = '*** SUBJECT HERE ***';
const BLURB = '*** BLURB HERE ***';

export default defineRule({
  meta: {
    id: 'cover-letter-template',
    severity: 'error',
    description:
      "A cover letter still carries git format-patch's template text (*** SUBJECT HERE ***, *** BLURB HERE ***)",
    scope: 'series',
    messages: {
      subject: "the cover letter's subject is format-patch's placeholder {{marker}}: say what the series does",
      emptyBlurb: 'the cover letter is the unfilled template: {{marker}} and no text of its own above the shortlog',
      blurbLeft: "the cover letter still carries format-patch's {{marker}} line beside its text; delete it",
    },
  },
  check(ctx) {
    const s = ctx.series;
    const messages: Patch[] = [...(s.cover ? [s.cover] : []), ...s.patches.filter((p) => p !== s.cover)];
    for (const patch of messages) {
      // A reply quoting the template (`> *** BLURB HERE ***`) is a reviewer pointing at it.
      if (patch.kind === 'reply') continue;
      if (patch.subject.includes(SUBJECT)) ctx.report({ patch, messageId: 'subject', data: { marker: SUBJECT } });
      const body = patch.message.body.split('\n');
      const at = body.findIndex((l) => l.trim() === BLURB);
      if (at < 0) continue;
      const own = ownText(body, at);
      ctx.report({
        patch,
        messageId: own ? 'blurbLeft' : 'emptyBlurb',
        data: { marker: BLURB },
        detail: own
          ? 'git format-patch puts the marker where the description goes; text was written around it, the marker stays in what reviewers and the archive read'
          : 'the body is the template: no description of the series, only the shortlog and diffstat git generated. Write what the series does and why, or use --cover-from-description / b4 prep',
      });
    }
  },
});

/**
 * Whether the author wrote text of their own around the marker: above it, or below it before what
 * git generated (the shortlog's `Name (N):`, the diffstat, the signature, base-commit).
 */
function ownText(body: readonly string[], at: number): boolean {
  const written = (l: string) => l.trim() !== '' && !/^[\w-]+:\s/.test(l);
  if (body.slice(0, at).some(written)) return true;
  for (const l of body.slice(at + 1)) {
    if (/^\S.* \(\d+\):\s*$/.test(l) || /^ \S.*\|\s+\d+/.test(l) || l === '-- ' || /^base-commit:/.test(l)) break;
    if (written(l)) return true;
  }
  return false;
}
