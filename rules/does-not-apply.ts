import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'does-not-apply',
    severity: 'error',
    description: 'A hunk does not apply to the base tree',
    scope: 'series',
  },
  check(ctx) {
    const src = ctx.source();
    for (const f of src.failures) {
      ctx.report({
        patch: f.patch,
        file: f.path,
        line: f.hunk.newStart || null,
        message: `hunk ${f.hunkIndex + 1} (${/^@@[^@]*@@/.exec(f.hunk.header)?.[0] ?? f.hunk.header.trim()}) does not apply to the base tree: ${f.reason}`,
        detail: `${f.hunk.header.trim()}: the checks on this file use the patch text only`,
      });
    }
  },
});
