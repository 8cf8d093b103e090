import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../rules/whitespace-damaged-patch.js';
import { check } from '../src/pipeline.js';
import { RULES } from '../src/rules.js';
import { parseDiffText, whitespaceDamageOf } from '../src/patch/index.js';
import { itMatchesItsFixtures } from './rule-fixture-helpers.js';

const ID = 'whitespace-damaged-patch';

describe(`${ID}: one finding per patch`, () => {
  it('names every damaged file of the patch and how many lines each had, at the first one', async () => {
    const { findings } = await check([{ kind: 'path', path: 'fixtures/whitespace-damaged-patch/bad-blank-lines-dropped.mbox' }], { tree: null, kernel: null, rules: [rule] });
    expect(findings.map((f) => `${f.file}:${f.line}`)).toEqual(['include/linux/zdtest.h:4']);
    expect(findings[0]!.message).toMatch(/^this patch is whitespace-damaged: 11 lines in 2 files \(include\/linux\/zdtest.h: 5, mm\/zdtest.c: 6\) were read as context/);
  });
});

describe(`${ID}: fixtures`, () => {
  itMatchesItsFixtures(ID, rule);
});

const head = ['diff --git a/mm/x.c b/mm/x.c', '--- a/mm/x.c', '+++ b/mm/x.c'];
const lineTexts = (diff: string) => parseDiffText(diff).flatMap((f) => f.hunks.flatMap((h) => h.lines.map((l) => `${l.kind[0]}${l.oldLine ?? '-'}/${l.newLine ?? '-'} ${l.text}`)));

describe(`${ID}: reading damaged hunks`, () => {
  it('reads unprefixed lines inside a hunk as context and records how many', () => {
    const diff = [...head, '@@ -5,4 +5,5 @@', 'int f(void)', '{', '+\tg();', '\treturn 0;', '}', ''].join('\n');
    const [file] = parseDiffText(diff);
    expect(lineTexts(diff)).toEqual(['c5/5 int f(void)', 'c6/6 {', 'a-/7 \tg();', 'c7/8 \treturn 0;', 'c8/9 }']);
    expect(whitespaceDamageOf(file!)).toEqual({ lines: 4, firstNewLine: 5 });
  });

  it('the same hunk intact is read as today, with no damage recorded', () => {
    const diff = [...head, '@@ -5,4 +5,5 @@', ' int f(void)', ' {', '+\tg();', '', ' }', ''].join('\n');
    const [file] = parseDiffText(diff);
    expect(lineTexts(diff)).toEqual(['c5/5 int f(void)', 'c6/6 {', 'a-/7 \tg();', 'c7/8 ', 'c8/9 }']);
    expect(whitespaceDamageOf(file!)).toBeNull();
  });

  it('stops a short damaged hunk at the next file and reads that file too', () => {
    const diff = [...head, '@@ -5,5 +5,6 @@', 'int f(void)', '{', '+\tg();', '\treturn 0;',
      'diff --git a/mm/y.c b/mm/y.c', '--- a/mm/y.c', '+++ b/mm/y.c', '@@ -1,2 +1,2 @@', '-a', '+b', ' c', ''].join('\n');
    const files = parseDiffText(diff);
    expect(files.map((f) => f.newPath)).toEqual(['mm/x.c', 'mm/y.c']);
    expect(whitespaceDamageOf(files[0]!)?.lines).toBe(3);
    expect(whitespaceDamageOf(files[1]!)).toBeNull();
    expect(files[1]!.hunks[0]!.lines.map((l) => l.kind)).toEqual(['del', 'add', 'context']);
  });

  it('never reads text after the last change of a hunk whose counts lie as context', () => {
    const diff = [...head, '@@ -5,6 +5,5 @@', ' {', '-\tg();', ' }', '--', 'Thanks,', 'Ada', ''].join('\n');
    const [file] = parseDiffText(diff);
    expect(lineTexts(diff)).toEqual(['c5/5 {', 'd6/- \tg();', 'c7/6 }', 'd8/- -']);
    expect(whitespaceDamageOf(file!)).toBeNull();
  });

  it('does not repair when the reading would not meet the counts and no hunk or file follows', () => {
    const diff = [...head, '@@ -5,9 +5,10 @@', 'int f(void)', '{', '+\tg();', '}', ''].join('\n');
    const [file] = parseDiffText(diff);
    expect(whitespaceDamageOf(file!)).toBeNull();
    expect(file!.hunks).toEqual([]);
  });
});

describe(`${ID}: a web archive's copy of a patch`, () => {
  it('reads subject, author and date, and finds the damage and what the repaired hunks hold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zdcheck-webcopy-'));
    try {
      const path = join(dir, 'copy.txt');
      writeFileSync(path, [
        '[PATCH] mm/zdtest: count device pages', 'From: JÃ\u00a9rÃ\u00b4me Writer', 'Date: Thu Jun 05 2025 - 10:00:00 EST',
        'Count device pages.', 'Signed-off-by: Jerome Writer <jw@example.org>', '---',
        'diff --git a/mm/zdtest.c b/mm/zdtest.c', 'index 1111111..2222222 100644', '--- a/mm/zdtest.c', '+++ b/mm/zdtest.c',
        '@@ -10,3 +10,5 @@ static int zd_count(struct page *page)', 'int n = 0;', '+ if (is_device_private_page)', '+ n++;', 'n++;', 'return n;', '--', '2.43.0', '',
      ].join('\n'));
      const { collection, findings } = await check([{ kind: 'path', path }], { tree: null, kernel: null, rules: RULES });
      const patch = collection.series[0]!.patches[0]!;
      expect(patch.subject).toBe('[PATCH] mm/zdtest: count device pages');
      expect(patch.author?.name).toBe('JÃ©rÃ´me Writer');
      expect(Date.parse(patch.date!)).toBe(Date.parse('2025-06-05T15:00:00Z'));
      const got = findings.map((f) => `${f.rule} ${f.file ?? '-'}:${f.line ?? '-'}`);
      expect(got).toContain(`${ID} mm/zdtest.c:10`);
      expect(got).toContain('garbled-encoding -:-');
      expect(got).toContain('uncalled-predicate mm/zdtest.c:11');
      const damage = findings.find((f) => f.rule === ID)!;
      expect(damage.message).toMatch(/3 lines of mm\/zdtest.c were read as context lines that had lost their leading space/);
      expect(damage.detail).toMatch(/git am and git apply will reject it as corrupt/);
      expect(damage.detail).toMatch(/git send-email/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
