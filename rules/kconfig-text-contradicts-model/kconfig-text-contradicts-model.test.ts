// kconfig-text-contradicts-model: its cases (the mail alone: the properties come from the model or
// the series' own kdoc, never from a tree), and what each finding says was claimed and what is true.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline.js';
import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'kconfig-text-contradicts-model';

testRule(rule, import.meta.dirname);

const said = async (file: string) =>
  (
    await check([{ kind: 'path', path: join(import.meta.dirname, 'fixtures', file) }], {
      tree: null,
      kernel: null,
      rules: [rule],
    })
  ).findings
    .filter((f) => f.rule === ID)
    .map((f) => [f.messageId, f.data, f.detail]);

describe(`${ID}: what it says`, () => {
  it('a prompt that denies what the model says of the type, with where the properties come from', async () => {
    expect(await said('bad-unaddressable-prompt.mbox')).toEqual([
      [
        'addressingContradicted',
        { part: 'prompt', symbol: 'DEVICE_PUBLIC', words: 'Unaddressable', addressing: 'CPU-addressable' },
        "MEMORY_DEVICE_PUBLIC is CPU-addressable and cache-coherent per zdcheck's model; reword it to match the type",
      ],
    ]);
  });

  it('a type the model does not know is judged by the kdoc the series gives it', async () => {
    expect(await said('bad-series-documented-type.mbox')).toEqual([
      [
        'addressingContradicted',
        { part: 'prompt', symbol: 'DEVICE_FABRIC', words: 'CPU cannot access', addressing: 'CPU-addressable' },
        'the series documents MEMORY_DEVICE_FABRIC as CPU-addressable and cache-coherent at include/linux/memremap.h:23; reword it to match the type',
      ],
    ]);
  });

  it('help text that denies coherence', async () => {
    expect((await said('bad-help-not-coherent.mbox')).map(([id, data]) => [id, data])).toEqual([
      [
        'coherenceContradicted',
        {
          part: 'help',
          symbol: 'DEVICE_PUBLIC',
          words: 'not cache coherent',
          coherence: 'cache-coherent with the CPU',
        },
      ],
    ]);
  });

  it('a text wrong on both properties is one finding saying both', async () => {
    expect((await said('bad-prompt-contradicts-both.mbox')).map(([id, data]) => [id, data])).toEqual([
      [
        'bothContradicted',
        {
          part: 'prompt',
          symbol: 'DEVICE_PUBLIC',
          cpuWords: 'Unaddressable',
          addressing: 'CPU-addressable',
          coherentWords: 'non-coherent',
          coherence: 'cache-coherent with the CPU',
        },
      ],
    ]);
    const { findings } = await check(
      [{ kind: 'path', path: join(import.meta.dirname, 'fixtures', 'bad-prompt-contradicts-both.mbox') }],
      { tree: null, kernel: null, rules: [rule] },
    );
    expect(findings[0]!.message).toBe(
      'the prompt of DEVICE_PUBLIC says "Unaddressable" but the memory is CPU-addressable, ' +
        'and says "non-coherent" but the memory is cache-coherent with the CPU',
    );
  });
});
