import { describe, expect, it } from 'vitest';
import { nameAt, whenText } from '../src/model/era.js';
import { loadModelFrom } from '../src/model/load.js';

const model = loadModelFrom('rules/model');
const at = (name: string, release: string) => {
  const n = nameAt(name, release, model)!;
  return `${n.state} ${n.direction ?? '-'} ${whenText(n)}`.trim();
};

describe('nameAt: what the model can say of a name at a release', () => {
  it('asserts at an observed release, on either side of a boundary', () => {
    expect(at('pte_devmap', '7.2')).toBe('absent gone in 6.17 (in 6.12, not in 7.2)');
    expect(at('pte_devmap', '6.12')).toBe('present -');
    expect(at('MEMORY_DEVICE_COHERENT', '5.10')).toBe('absent too-new in 6.0 (not in 5.10, in 6.1)');
    expect(at('is_device_private_entry', '7.2')).toMatch(/^absent gone in 6.19 \(in 6.12, not in 7.2\)/);
    expect(at('softleaf_is_device_private', '6.12')).toMatch(/^absent too-new/);
    expect(at('ARCH_HAS_PTE_DEVMAP', '7.2')).toMatch(/^absent gone/);
    expect(at('page_free', '7.2')).toMatch(/^absent gone/);
  });

  it('does not assert between two observed releases across a boundary it has not read', () => {
    expect(at('pte_devmap', '7.0')).toMatch(/^unknown/);
    expect(at('folio_free', '6.18')).toMatch(/^unknown/);
    expect(at('MEMORY_DEVICE_COHERENT', '5.15')).toMatch(/^unknown/);
    expect(at('MEMORY_DEVICE_COHERENT', '4.19')).toMatch(/^absent too-new/);
    // before the oldest tree, only read boundaries carry the data back
    expect(at('ARCH_HAS_PTE_DEVMAP', '4.11')).toMatch(/^unknown/);
  });

  it('knows nothing of names outside the model', () => {
    expect(nameAt('kmalloc', '6.1', model)).toBeNull();
  });
});
