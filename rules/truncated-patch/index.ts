// A patch cut off inside a hunk (src/patch/truncated.ts): the lines that arrived are checked, the
// rest cannot be, and git am / git apply reject the patch as corrupt.
import { defineRule } from '../../src/engine/rule.js';
import { truncationOf } from '../../src/patch/index.js';

export default defineRule({
  meta: {
    id: 'truncated-patch',
    severity: 'warning',
    description:
      'The mail ends inside a hunk (cut off in transit or in the archive): git am and git apply reject it as corrupt',
    scope: 'series',
    messages: {
      lineMissing:
        'the mail ends inside hunk {{hunk}} of {{path}}: 1 line missing after line {{line}}; git am rejects it as a corrupt patch',
      linesMissing:
        'the mail ends inside hunk {{hunk}} of {{path}}: {{missing}} lines missing after line {{line}}; ' +
        'git am rejects it as a corrupt patch',
      removalLineMissing:
        'the mail ends inside hunk {{hunk}} of {{path}}: 1 line of what it removes missing; git am rejects it as a corrupt patch',
      removalLinesMissing:
        'the mail ends inside hunk {{hunk}} of {{path}}: {{missing}} lines of what it removes missing; ' +
        'git am rejects it as a corrupt patch',
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
        const hunk = t.header.replace(/ @@.*$/, ' @@');
        const name = path ?? '(unnamed file)';
        if (t.declared.new === 0) {
          // A hunk that removes every line (`+0,0`, the file deleted or emptied) has no line after
          // the patch to point at: the finding is on the file.
          if (missing === 1)
            ctx.report({ patch, file: path, messageId: 'removalLineMissing', data: { hunk, path: name } });
          else ctx.report({ patch, file: path, messageId: 'removalLinesMissing', data: { hunk, path: name, missing } });
          continue;
        }
        const data = { hunk, path: name, line: t.lastNewLine };
        const where = { patch, file: path, line: t.lastNewLine };
        if (missing === 1) ctx.report({ ...where, messageId: 'lineMissing', data });
        else ctx.report({ ...where, messageId: 'linesMissing', data: { ...data, missing } });
      }
    }
  },
});
