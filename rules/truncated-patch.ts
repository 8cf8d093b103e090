// A patch cut off inside a hunk (src/patch/truncated.ts): the lines that arrived are checked, the
// rest cannot be, and git am / git apply reject the patch as corrupt.
import { defineRule } from '../src/engine/rule.js';
import { truncationOf } from '../src/patch/index.js';

export default defineRule({
  meta: {
    id: 'truncated-patch',
    severity: 'warning',
    description: 'The mail ends inside a hunk (cut off in transit or in the archive): git am and git apply reject it as corrupt',
    scope: 'series',
  },
  check(ctx) {
    for (const patch of ctx.series!.patches) {
      if (patch.kind !== 'patch') continue;
      for (const file of patch.files) {
        const t = truncationOf(file);
        if (!t) continue;
        const path = file.newPath ?? file.oldPath;
        const missing = Math.max(t.declared.old - t.present.old, t.declared.new - t.present.new);
        ctx.report({
          patch, file: path, line: t.lastNewLine,
          message: `the mail ends inside hunk ${t.header.replace(/ @@.*$/, ' @@')} of ${path ?? '(unnamed file)'}: `
            + `${missing === 1 ? '1 line' : `${missing} lines`} missing after line ${t.lastNewLine}; git am rejects it as a corrupt patch`,
        });
      }
    }
  },
});
