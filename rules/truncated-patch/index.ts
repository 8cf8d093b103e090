// A patch cut off inside a hunk (src/patch/truncated.ts): the lines that arrived are checked, the
// rest cannot be, and git am / git apply reject the patch as corrupt.
import { defineRule } from '../../src/engine/rule.js';
import { truncationOf } from '../../src/patch/index.js';

export default defineRule({
  meta: {
    id: 'truncated-patch',
    severity: 'warning',
    description: 'The mail ends inside a hunk (cut off in transit or in the archive): git am and git apply reject it as corrupt',
    scope: 'series',
    messages: {
      lineMissing: 'the mail ends inside hunk {{hunk}} of {{path}}: 1 line missing after line {{line}}; git am rejects it as a corrupt patch',
      linesMissing: 'the mail ends inside hunk {{hunk}} of {{path}}: {{missing}} lines missing after line {{line}}; '
        + 'git am rejects it as a corrupt patch',
    },
  },
  check(ctx) {
    for (const patch of ctx.series.patches) {
      if (patch.kind !== 'patch') continue;
      for (const file of patch.files) {
        const t = truncationOf(file);
        if (!t) continue;
        const path = file.newPath ?? file.oldPath;
        const missing = Math.max(t.declared.old - t.present.old, t.declared.new - t.present.new);
        const data = { hunk: t.header.replace(/ @@.*$/, ' @@'), path: path ?? '(unnamed file)', line: t.lastNewLine };
        const where = { patch, file: path, line: t.lastNewLine };
        if (missing === 1) ctx.report({ ...where, messageId: 'lineMissing', data });
        else ctx.report({ ...where, messageId: 'linesMissing', data: { ...data, missing } });
      }
    }
  },
});
