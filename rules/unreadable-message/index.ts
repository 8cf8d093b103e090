// A message of the input that could not be decoded: say which one and why; the rest of
// the input was checked without it.
import { defineRule } from '../../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'unreadable-message',
    severity: 'warning',
    description: 'A message of the input could not be decoded and was skipped',
    scope: 'input',
    messages: {
      skipped: '{{source}}: message {{number}} (line {{line}}) skipped: {{reason}}',
    },
  },
  check(ctx) {
    for (const u of ctx.collection.unreadable) {
      // Which message and why on the line; its label and the reason's particulars in the detail.
      const why = u.reason.replace(/\s*\(.*\)$/, '');
      ctx.report({
        messageId: 'skipped',
        data: { source: u.origin.source, number: u.origin.index + 1, line: u.origin.line, reason: why },
        detail: `${u.label}: ${u.reason}`,
      });
    }
  },
});
