// The base tree's own helpers, Kconfig entries and arch selects: how they are read, and that
// the tree wins in the view the rules see (rules/model-differs-from-tree/README.md).
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/model/load.js';
import { modelAt } from '../src/model/query.js';
import {
  applyTreeEnum,
  applyTreeFacts,
  extractKconfigEntries,
  extractMemoryTypeEnum,
  helperOccurrences,
  readTreeFacts,
} from '../src/model/tree/index.js';
import { dirTree } from '../src/tree/index.js';

const DIR = 'rules/model-differs-from-tree/fixtures';

describe('helpers read from a header', () => {
  it('takes the CONFIG_ condition of the real definition, not of its #else stub, and what its body tests', () => {
    const text = [
      '#ifndef _X_H',
      '#define _X_H',
      '#if defined(CONFIG_DEVICE_PRIVATE) || \\',
      '    defined(CONFIG_DEVICE_PUBLIC)',
      'static inline bool is_device_private_page(const struct page *page)',
      '{',
      '\treturn page->pgmap->type == MEMORY_DEVICE_PRIVATE;',
      '}',
      '#else',
      'static inline bool is_device_private_page(const struct page *page)',
      '{',
      '\treturn false;',
      '}',
      '#endif',
      '/* is_fake_page(x) in a comment is not a helper */',
      'static inline bool folio_is_device_private(const struct folio *folio)',
      '{',
      '\treturn is_device_private_page(&folio->page);',
      '}',
      'bool is_declared_page(struct page *page);',
      '#endif',
    ].join('\n');
    const got = helperOccurrences(text, null).map((o) => [o.name, o.line, o.guard, o.negated, o.tests, o.calls]);
    expect(got).toEqual([
      [
        'is_device_private_page',
        5,
        'CONFIG_DEVICE_PRIVATE || CONFIG_DEVICE_PUBLIC',
        false,
        'MEMORY_DEVICE_PRIVATE',
        null,
      ],
      ['is_device_private_page', 10, '!(CONFIG_DEVICE_PRIVATE || CONFIG_DEVICE_PUBLIC)', true, null, null],
      ['folio_is_device_private', 16, null, false, null, 'is_device_private_page'],
      ['is_declared_page', 20, null, false, null, null],
    ]);
  });

  it('takes only the names it is given in other headers, and no calls', () => {
    const text =
      'static inline bool is_zero_page(const struct page *p)\n{\n\treturn is_zone_device_page(p);\n}\n' +
      'static inline bool is_zone_device_page(const struct page *p)\n{\n\treturn false;\n}\n';
    expect(helperOccurrences(text, new Set(['is_zone_device_page'])).map((o) => [o.name, o.line])).toEqual([
      ['is_zone_device_page', 5],
    ]);
  });
});

describe('the tree read as C and Kconfig, not as lines', () => {
  it('takes enum memory_type from the code, not from a comment that spells it', () => {
    const text =
      '/* Was: enum memory_type { MEMORY_DEVICE_HOST, MEMORY_DEVICE_PUBLIC }, see below. */\n' +
      'enum memory_type {\n\tMEMORY_DEVICE_PRIVATE = 1,\n\tMEMORY_DEVICE_COHERENT,\n};\n';
    expect(extractMemoryTypeEnum(text)!.map((m) => [m.name, m.value, m.line])).toEqual([
      ['MEMORY_DEVICE_PRIVATE', 1, 3],
      ['MEMORY_DEVICE_COHERENT', 2, 4],
    ]);
  });

  it("reads a helper's whole body for the helper it calls", () => {
    const text = [
      'static inline bool folio_is_pinnable_here(struct folio *folio)',
      '{',
      ...Array.from({ length: 12 }, (_, i) => `\t/* step ${i} */`),
      '\treturn !folio_is_device_private(folio);',
      '}',
    ].join('\n');
    expect(helperOccurrences(text, null).map((o) => [o.name, o.calls])).toEqual([
      ['folio_is_pinnable_here', 'folio_is_device_private'],
    ]);
  });

  it('reads a config entry whose lines carry comments', () => {
    const text =
      'config ZONE_DEVICE # the gate\n\tbool\n\tdepends on MEMORY_HOTPLUG # hot-add first\n\tselect XARRAY_MULTI\n';
    expect(extractKconfigEntries(text)).toEqual([
      {
        name: 'ZONE_DEVICE',
        prompt: null,
        dependsOn: ['MEMORY_HOTPLUG'],
        selects: ['XARRAY_MULTI'],
        help: '',
        line: 1,
      },
    ]);
  });

  it('takes an arch select from the entry, not from help text that reads like one', () => {
    const files: Record<string, string> = {
      'arch/x86/Kconfig': [
        'config X86',
        '\tdef_bool y',
        '\tselect ARCH_HAS_PTE_DEVMAP if X86_64',
        '',
        'config X86_DEVMAP_NOTES',
        '\tbool "notes"',
        '\thelp',
        '\t  Say Y. The arch Kconfig says',
        '\t  select ARCH_HAS_ZONE_DEVICE',
        '',
      ].join('\n'),
    };
    const tree = { label: 'memory', readSync: (p: string) => files[p] ?? null };
    const facts = readTreeFacts(tree, loadModel());
    expect(facts.archSelects).toEqual([
      { arch: 'x86', symbol: 'ARCH_HAS_PTE_DEVMAP', condition: 'X86_64', file: 'arch/x86/Kconfig', line: 3 },
    ]);
  });
});

describe('the tree wins in the view', () => {
  it("follows the tree's helpers, Kconfig symbols and arch selects", () => {
    const model = loadModel();
    const tree = dirTree(`${DIR}/bad-helpers-kconfig-arch.tree`);
    const facts = readTreeFacts(tree, model);
    expect(readTreeFacts(tree, model)).toBe(facts);
    const view = applyTreeFacts(modelAt('6.1', model), facts, model);
    const preds = Object.fromEntries(view.predicates.map((p) => [p.name, `${p.header} ${p.typeId}`]));
    expect(preds['is_pci_p2pdma_page']).toBe('include/linux/mm.h pci-p2pdma');
    expect(preds['folio_is_device_coherent']).toBeUndefined();
    expect(view.types.find((t) => t.id === 'device-private')!.helpers[0]).toEqual({
      name: 'is_device_private_page',
      header: 'include/linux/memremap.h',
      guard: 'CONFIG_DEVICE_PRIVATE',
    });
    expect(view.kconfigSymbols).toContain('DEVICE_FABRIC');
    expect(view.kconfigSymbols).not.toContain('HMM_MIRROR');
    expect(view.locations['DEVICE_FABRIC']).toEqual(['mm/Kconfig']);
    expect(view.arches.map((a) => [a.arch, a.condition])).toEqual([
      ['x86', 'X86_64'],
      ['arm64', 'ARM64_4K_PAGES'],
      ['riscv', '64BIT'],
    ]);
  });

  it('gives a helper of a type only the tree has to that type', () => {
    const model = loadModel();
    const facts = readTreeFacts(dirTree(`${DIR}/tree`), model);
    const view = applyTreeFacts(applyTreeEnum(modelAt('6.1', model), facts.enum!), facts, model);
    expect(view.predicates.find((p) => p.name === 'is_fabric_page')).toEqual({
      name: 'is_fabric_page',
      header: 'include/linux/memremap.h',
      level: 'page',
      typeId: 'fabric',
    });
    // The tree has no Kconfig and no arch/: the model's facts stand.
    expect(view.kconfigSymbols).toEqual(modelAt('6.1', model).kconfigSymbols);
    expect(view.arches).toEqual(modelAt('6.1', model).arches);
  });
});
