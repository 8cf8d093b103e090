import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline.js';
import { parseDiffText } from '../../src/patch/index.js';
import { makePatch, run } from '../../test/rule-arch-helpers.js';
import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'whitespace-damaged-patch';

// Every case in mail mode: the damage is in the mail, and no base tree changes how it was read.
testRule(rule, import.meta.dirname);

describe(`${ID}: one finding per patch`, () => {
  it('names every damaged file of the patch and how many lines each had, at the first one', async () => {
    const { findings } = await check(
      [{ kind: 'path', path: `${import.meta.dirname}/fixtures/bad-blank-lines-dropped.mbox` }],
      { tree: null, kernel: null, rules: [rule] },
    );
    expect(findings.map((f) => `${f.file}:${f.line}`)).toEqual(['include/linux/zdtest.h:4']);
    expect(findings.map((f) => [f.messageId, f.data])).toEqual([
      ['linesDamagedInFiles', { lines: 11, files: 2, each: 'include/linux/zdtest.h: 5, mm/zdtest.c: 6' }],
    ]);
  });

  /** A patch of `files`, each with one context line that lost its space. */
  const damagedIn = (...files: string[]) => {
    const diff = files
      .map((f) => `diff --git a/${f} b/${f}\n--- a/${f}\n+++ b/${f}\n@@ -1,2 +1,3 @@\na\n+b\n c\n`)
      .join('');
    const patch = makePatch('mm: x', diff);
    patch.files = parseDiffText(diff);
    return run(rule, [patch]);
  };

  it('says "1 line of" a file, and names at most three files', () => {
    expect(damagedIn('mm/a.c').map((f) => [f.messageId, f.data, `${f.file}:${f.line}`])).toEqual([
      ['lineDamaged', { path: 'mm/a.c' }, 'mm/a.c:1'],
    ]);
    expect(damagedIn('mm/a.c', 'mm/b.c', 'mm/c.c', 'mm/d.c').map((f) => [f.messageId, f.data])).toEqual([
      ['linesDamagedInFiles', { lines: 4, files: 4, each: 'mm/a.c: 1, mm/b.c: 1, mm/c.c: 1, ...' }],
    ]);
  });
});
