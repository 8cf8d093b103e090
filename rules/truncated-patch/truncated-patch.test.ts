import { describe, expect, it } from 'vitest';
import { parseDiffText } from '../../src/patch/index.js';
import { makePatch, run } from '../../test/rule-arch-helpers.js';
import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'truncated-patch';

// Every case in mail mode: where the mail ends is in the mail alone.
testRule(rule, import.meta.dirname);

describe(`${ID}: where the mail ends`, () => {
  const cutOff = (diff: string) => {
    const patch = makePatch('mm: x', diff);
    patch.files = parseDiffText(diff);
    return run(rule, [patch]).map((f) => [f.messageId, f.data, `${f.file}:${f.line}`]);
  };
  const head = 'diff --git a/mm/a.c b/mm/a.c\n--- a/mm/a.c\n+++ b/mm/a.c\n';

  it('names the hunk without its function, how many lines are missing, and the last line that arrived', () => {
    expect(cutOff(`${head}@@ -1,8 +1,9 @@ int f(void)\n a\n b\n+c\n`)).toEqual([
      ['linesMissing', { hunk: '@@ -1,8 +1,9 @@', path: 'mm/a.c', line: 3, missing: 6 }, 'mm/a.c:3'],
    ]);
    // One context line short is read as an empty last context line (a whole hunk): one added line short is a cut.
    expect(cutOff(`${head}@@ -1,1 +1,3 @@\n a\n+b\n`)).toEqual([
      ['lineMissing', { hunk: '@@ -1,1 +1,3 @@', path: 'mm/a.c', line: 2 }, 'mm/a.c:2'],
    ]);
  });

  it('in a hunk that removes every line, says how many are missing, on the file: there is no line after it', () => {
    expect(cutOff(`${head}@@ -1,10 +0,0 @@\n-a\n-b\n`)).toEqual([
      ['removalLinesMissing', { hunk: '@@ -1,10 +0,0 @@', path: 'mm/a.c', missing: 8 }, 'mm/a.c:null'],
    ]);
    expect(cutOff(`${head}@@ -1,2 +0,0 @@\n-a\n`)).toEqual([
      ['removalLineMissing', { hunk: '@@ -1,2 +0,0 @@', path: 'mm/a.c' }, 'mm/a.c:null'],
    ]);
  });
});
