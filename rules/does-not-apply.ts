import { defineRule } from '../src/engine/rule.js';
import type { ApplyCause } from '../src/source/types.js';

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
        message: `hunk ${f.hunkIndex + 1} (${/^@@[^@]*@@/.exec(f.hunk.header)?.[0] ?? f.hunk.header.trim()}) does not apply to the base tree: ${because(f.cause)}`,
        detail: `${f.hunk.header.trim()}: the checks on this file use the patch text only`,
      });
    }
  },
});

function because(cause: ApplyCause): string {
  switch (cause.kind) {
    case 'no-file': return 'the base tree has no such file';
    case 'past-end': return `line ${cause.line} is past the end of the file (${cause.fileLines} lines)`;
    case 'no-match': return `its ${cause.oldLines} old lines match nowhere at or after line ${cause.from}`;
  }
}
