// A patch whose context lines lost their leading space on the way (a mail client that strips
// or reflows whitespace, a web archive's copy): zdcheck reads the hunks anyway (src/patch/repair.ts),
// but git am / git apply reject the patch as corrupt, so it cannot be applied as sent.
import { defineRule } from '../src/engine/rule.js';
import { whitespaceDamageOf } from '../src/patch/index.js';

export default defineRule({
  meta: {
    id: 'whitespace-damaged-patch',
    severity: 'warning',
    description: 'Context lines of a hunk lost their leading space in transit: git am and git apply reject the patch as corrupt',
    scope: 'series',
  },
  check(ctx) {
    // One finding per patch, on its first damaged file and line: the whole patch is what git am rejects.
    for (const patch of ctx.series!.patches) {
      if (patch.kind !== 'patch') continue;
      const damaged = patch.files.flatMap((file) => {
        const damage = whitespaceDamageOf(file);
        return damage ? [{ path: file.newPath ?? file.oldPath, damage }] : [];
      });
      if (damaged.length === 0) continue;
      const total = damaged.reduce((n, d) => n + d.damage.lines, 0);
      const lines = total === 1 ? '1 line' : `${total} lines`;
      const where = damaged.length === 1
        ? `${lines} of ${damaged[0]!.path ?? '(unnamed file)'} ${total === 1 ? 'was' : 'were'}`
        : `${lines} in ${damaged.length} files (${damaged.slice(0, 3).map((d) => `${d.path ?? '(unnamed file)'}: ${d.damage.lines}`).join(', ')}${damaged.length > 3 ? ', ...' : ''}) were`;
      ctx.report({
        patch,
        file: damaged[0]!.path,
        line: damaged[0]!.damage.firstNewLine,
        message: `this patch is whitespace-damaged: ${where} read as context lines that had lost their leading space`,
        detail: 'git am and git apply will reject it as corrupt. Resend it with git send-email (or attach the git format-patch file), '
          + 'not through a mail client that strips leading spaces or reflows lines',
      });
    }
  },
});
