import { describe, expect, it } from 'vitest';
import { testRule } from '../../test/rule-tester.js';
import rule, { namedTypes, proseTypes } from './index.js';

testRule(rule, import.meta.dirname);

describe('predicate-tests-other-type: names', () => {
  it('reads the type a helper is named for through the aliases', () => {
    expect([...namedTypes('is_device_dax_page')]).toEqual(['generic']);
    expect([...namedTypes('is_devdax_page')]).toEqual(['generic']);
    expect([...namedTypes('folio_is_fsdax')]).toEqual(['fs-dax']);
    expect([...namedTypes('is_device_private_page')]).toEqual(['device-private']);
    expect([...namedTypes('is_pci_p2pdma_page')]).toEqual(['pci-p2pdma']);
    expect([...namedTypes('folio_is_device_coherent')]).toEqual(['device-coherent']);
  });
  it('names no type for helpers without `is`, with a contrast word, or of no type', () => {
    expect(namedTypes('is_non_private_page').size).toBe(0);
    expect(namedTypes('devdax_page_count').size).toBe(0);
    expect(namedTypes('is_zone_device_page').size).toBe(0);
    expect(namedTypes('is_dax_page').size).toBe(0);
  });
});

describe('predicate-tests-other-type: comments', () => {
  it('reads a short label comment as one type', () => {
    expect([...proseTypes('/* fsdax pages */')]).toEqual(['fs-dax']);
    expect([...proseTypes('/* Device-DAX memory */')]).toEqual(['generic']);
    expect([...proseTypes('// device private')]).toEqual(['device-private']);
  });
  it('takes remarks, long comments and comments of no type for no label', () => {
    expect(proseTypes('/* same as private pages */').size).toBe(0);
    expect(proseTypes('/* unlike fsdax, p2pdma is never mapped */').size).toBe(0);
    expect(proseTypes('/* fall through to device private */').size).toBe(0);
    expect(proseTypes('/* these pages are owned by the device-private driver and are never mapped */').size).toBe(0);
    expect(proseTypes('/* generic pages */').size).toBe(0);
  });
});
