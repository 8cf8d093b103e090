import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCase, runCase, testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'unknown-identifier-in-comment';

// Cases judged against the tree as the series leaves it (a header it deletes, a name it adds or
// takes out) declare X-Modes: tree git, the base of a git range being read from git objects.
testRule(rule, import.meta.dirname);

describe(`${ID}: what a finding says`, () => {
  it('names the type meant, and what the verdict rests on', async () => {
    const kase = readCase(join(import.meta.dirname, 'fixtures', 'bad-unknown-type-wrong-header.mbox'));
    const { findings } = await runCase(kase, 'mail', [rule], new Set([ID]));
    expect(findings.filter((f) => f.rule === ID).map((f) => [f.messageId, f.data, f.detail])).toEqual([
      [
        'noSuchTypeGuess',
        { name: 'MEMORY_DEVICE_CACHE_COHERENT', guess: 'MEMORY_DEVICE_PUBLIC' },
        "the comment places it in memory_hotplug.h; zdcheck's model lists every member enum memory_type ever had",
      ],
    ]);
  });
});
