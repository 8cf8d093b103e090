// A patch whose context lines lost their leading space on the way (a mail client that strips
// or reflows whitespace, a web archive's copy): zdcheck reads the hunks anyway (src/patch/repair.ts),
// but git am / git apply reject the patch as corrupt, so it cannot be applied as sent.
import { defineRule, type MessageData } from '../../src/engine/rule.js';
import { whitespaceDamageOf, type WhitespaceDamage } from '../../src/patch/index.js';

interface Damaged {
  path: string | null;
  damage: WhitespaceDamage;
}

const nameOf = (path: string | null): string => path ?? '(unnamed file)';

/** What the line says: one file or several (the first three named), one line or more. */
function said(damaged: readonly Damaged[]): {
  messageId: 'lineDamaged' | 'linesDamaged' | 'linesDamagedInFiles';
  data: MessageData;
} {
  const lines = damaged.reduce((n, d) => n + d.damage.lines, 0);
  if (damaged.length === 1) {
    const path = nameOf(damaged[0]!.path);
    return lines === 1
      ? { messageId: 'lineDamaged', data: { path } }
      : { messageId: 'linesDamaged', data: { lines, path } };
  }
  const each =
    damaged
      .slice(0, 3)
      .map((d) => `${nameOf(d.path)}: ${d.damage.lines}`)
      .join(', ') + (damaged.length > 3 ? ', ...' : '');
  return { messageId: 'linesDamagedInFiles', data: { lines, files: damaged.length, each } };
}

export default defineRule({
  meta: {
    id: 'whitespace-damaged-patch',
    severity: 'warning',
    description:
      'Context lines of a hunk lost their leading space in transit: git am and git apply reject the patch as corrupt',
    scope: 'series',
    messages: {
      lineDamaged:
        'this patch is whitespace-damaged: 1 line of {{path}} was read as context lines that had lost their leading space',
      linesDamaged:
        'this patch is whitespace-damaged: {{lines}} lines of {{path}} were read as context lines that had lost their leading space',
      linesDamagedInFiles:
        'this patch is whitespace-damaged: {{lines}} lines in {{files}} files ({{each}}) were read as context lines ' +
        'that had lost their leading space',
    },
  },
  check(ctx) {
    // One finding per patch, on its first damaged file and line: the whole patch is what git am rejects.
    for (const patch of ctx.series.patches) {
      if (patch.kind !== 'patch') continue;
      const damaged = patch.files.flatMap((file): Damaged[] => {
        const damage = whitespaceDamageOf(file);
        return damage ? [{ path: file.newPath ?? file.oldPath, damage }] : [];
      });
      if (damaged.length === 0) continue;
      ctx.report({
        patch,
        file: damaged[0]!.path,
        line: damaged[0]!.damage.firstNewLine,
        ...said(damaged),
        detail:
          'git am and git apply will reject it as corrupt. Resend it with git send-email (or attach the git format-patch file), ' +
          'not through a mail client that strips leading spaces or reflows lines',
      });
    }
  },
});
