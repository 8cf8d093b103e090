import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

// The guard needs the whole header (tree and git modes); the special bit and the pairs are judged in
// every mode; after devmap PTEs were removed (a 7.2 tree) the rule is silent.
testRule(rule, import.meta.dirname);

describe('arch-devmap-contract: data', () => {
  it('keeps the contract in rules/model/devmap-contract.yaml, ending with 6.16', () => {
    const yaml = readFileSync(join(import.meta.dirname, '..', 'model', 'devmap-contract.yaml'), 'utf8');
    expect(yaml).toMatch(/until: "6\.17"/);
    expect(yaml).toMatch(/maker: pte_mkdevmap/);
  });
});
