// A web archive's copy of a patch (the text a list archive's web page shows): headers as plain lines,
// context lines without their leading space, the author's name garbled. Reading it and what the rules
// say of it together: the repaired hunks are what the C rules judge.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/pipeline.js';
import { RULES } from '../src/rules.js';

describe("a web archive's copy of a patch", () => {
  it('reads subject, author and date, and finds the damage and what the repaired hunks hold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zdcheck-webcopy-'));
    try {
      const path = join(dir, 'copy.txt');
      writeFileSync(
        path,
        [
          '[PATCH] mm/zdtest: count device pages',
          'From: JÃ\u00a9rÃ\u00b4me Writer',
          'Date: Thu Jun 05 2025 - 10:00:00 EST',
          'Count device pages.',
          'Signed-off-by: Jerome Writer <jw@example.org>',
          '---',
          'diff --git a/mm/zdtest.c b/mm/zdtest.c',
          'index 1111111..2222222 100644',
          '--- a/mm/zdtest.c',
          '+++ b/mm/zdtest.c',
          '@@ -10,3 +10,5 @@ static int zd_count(struct page *page)',
          'int n = 0;',
          '+ if (is_device_private_page)',
          '+ n++;',
          'n++;',
          'return n;',
          '--',
          '2.43.0',
          '',
        ].join('\n'),
      );
      const { collection, findings } = await check([{ kind: 'path', path }], {
        tree: null,
        kernel: null,
        rules: RULES,
      });
      const patch = collection.series[0]!.patches[0]!;
      expect(patch.subject).toBe('[PATCH] mm/zdtest: count device pages');
      expect(patch.author?.name).toBe('JÃ©rÃ´me Writer');
      expect(Date.parse(patch.date!)).toBe(Date.parse('2025-06-05T15:00:00Z'));
      const got = findings.map((f) => `${f.rule} ${f.file ?? '-'}:${f.line ?? '-'}`);
      expect(got).toContain('whitespace-damaged-patch mm/zdtest.c:10');
      expect(got).toContain('garbled-encoding -:-');
      expect(got).toContain('uncalled-predicate mm/zdtest.c:11');
      const damage = findings.find((f) => f.rule === 'whitespace-damaged-patch')!;
      expect([damage.messageId, damage.data]).toEqual(['linesDamaged', { lines: 3, path: 'mm/zdtest.c' }]);
      expect(damage.detail).toMatch(/git am and git apply will reject it as corrupt/);
      expect(damage.detail).toMatch(/git send-email/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
