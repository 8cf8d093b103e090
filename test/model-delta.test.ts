import { describe, expect, it } from 'vitest';
import {
  applyTreeEnum,
  compareEnumWithModel,
  extractKconfigEntries,
  extractMemoryTypeEnum,
} from '../src/model/tree/index.js';
import { computeDelta, obligationsFor, renderModelSummary, settleObligation } from '../src/model/delta.js';
import { modelAt } from '../src/model/query.js';

// A memremap.h-like text of our own, shaped like the 6.1 header (comments, = 1, trailing comma).
const MEMREMAP = `struct vmem_altmap {
	unsigned long base_pfn;
};

/*
 * MEMORY_DEVICE_PRIVATE: not addressable, see enum memory_type below.
 */
enum memory_type {
	/* 0 is reserved to catch uninitialized type fields */
	MEMORY_DEVICE_PRIVATE = 1,
	MEMORY_DEVICE_COHERENT,
	MEMORY_DEVICE_FS_DAX, // pmem
	MEMORY_DEVICE_GENERIC,
	MEMORY_DEVICE_PCI_P2PDMA,
};
`;

const KCONFIG = `config ZONE_DEVICE
	bool "Device memory (pmem, HMM, etc...) hotplug support"
	depends on MEMORY_HOTPLUG
	depends on ARCH_HAS_PTE_DEVMAP
	select XARRAY_MULTI

	help
	  Device memory hotplug support.

	  If FS_DAX is enabled, then say Y.

config DEVICE_PRIVATE
	bool "Unaddressable device memory (GPU memory, ...)"
	depends on ZONE_DEVICE
`;

describe('tree extraction', () => {
  it('reads enum memory_type members with values and lines', () => {
    const members = extractMemoryTypeEnum(MEMREMAP)!;
    expect(members.map((m) => [m.name, m.value, m.line])).toEqual([
      ['MEMORY_DEVICE_PRIVATE', 1, 10],
      ['MEMORY_DEVICE_COHERENT', 2, 11],
      ['MEMORY_DEVICE_FS_DAX', 3, 12],
      ['MEMORY_DEVICE_GENERIC', 4, 13],
      ['MEMORY_DEVICE_PCI_P2PDMA', 5, 14],
    ]);
    expect(extractMemoryTypeEnum('struct dev_pagemap { int x; };')).toBeNull();
    expect(
      extractMemoryTypeEnum(
        'enum memory_type {\n\tMEMORY_DEVICE_HOST = 0,\n\tMEMORY_DEVICE_PRIVATE,\n\tMEMORY_DEVICE_PUBLIC,\n};',
      )!.map((m) => m.value),
    ).toEqual([0, 1, 2]);
  });

  it('agrees with the model at 6.1, and says where a tree differs', () => {
    const tree = extractMemoryTypeEnum(MEMREMAP)!;
    expect(compareEnumWithModel(tree, modelAt('6.1'))).toEqual([]);
    const vendor = extractMemoryTypeEnum(
      MEMREMAP.replace('MEMORY_DEVICE_PCI_P2PDMA,', 'MEMORY_DEVICE_PCI_P2PDMA,\n\tMEMORY_DEVICE_MANAGED,'),
    )!;
    const diff = compareEnumWithModel(vendor, modelAt('6.1'));
    expect(diff).toHaveLength(1);
    expect(diff[0]).toMatchObject({ kind: 'only-in-tree', name: 'MEMORY_DEVICE_MANAGED', treeValue: 6, line: 15 });
    const applied = applyTreeEnum(modelAt('6.1'), vendor);
    expect(applied.enumMembers.at(-1)).toBe('MEMORY_DEVICE_MANAGED');
    expect(applied.types.at(-1)).toMatchObject({ id: 'managed', cpuAddressable: null });
    expect(compareEnumWithModel(tree, modelAt('5.5')).map((d) => `${d.kind} ${d.name}`)).toEqual([
      'only-in-tree MEMORY_DEVICE_COHERENT',
      'value-differs MEMORY_DEVICE_FS_DAX',
      'only-in-tree MEMORY_DEVICE_GENERIC',
      'value-differs MEMORY_DEVICE_PCI_P2PDMA',
      'missing-in-tree MEMORY_DEVICE_DEVDAX',
    ]);
  });

  it('reads Kconfig entries: prompt, depends on, select, help', () => {
    const [zd, dp] = extractKconfigEntries(KCONFIG);
    expect(zd).toMatchObject({
      name: 'ZONE_DEVICE',
      dependsOn: ['MEMORY_HOTPLUG', 'ARCH_HAS_PTE_DEVMAP'],
      selects: ['XARRAY_MULTI'],
      line: 1,
    });
    expect(zd!.help).toBe('Device memory hotplug support.\n\nIf FS_DAX is enabled, then say Y.');
    expect(dp).toMatchObject({
      name: 'DEVICE_PRIVATE',
      prompt: 'Unaddressable device memory (GPU memory, ...)',
      dependsOn: ['ZONE_DEVICE'],
    });
  });
});

describe('delta and obligations', () => {
  const p1 = { key: '<1@x>', subject: '[PATCH 1/2] mm/device-public-memory: add type' };
  const p2 = { key: '<2@x>', subject: '[PATCH 2/2] mm: use it' };

  it('the 2017 device-public patch, against 4.13-era HMM (4.14 model)', () => {
    const view = modelAt('4.14');
    const delta = computeDelta(
      [
        {
          patch: p1,
          enumeratorsAdded: ['MEMORY_DEVICE_PUBLIC'],
          helpersAdded: ['is_device_public_page'],
          kconfigAdded: ['DEVICE_PUBLIC'],
          ioresAdded: ['IORES_DESC_DEVICE_PUBLIC_MEMORY'],
        },
      ],
      view,
    );
    expect(delta.typesAdded).toEqual([
      { name: 'MEMORY_DEVICE_PUBLIC', patch: p1, known: 'mainline', typeId: 'device-public' },
    ]);
    const obligations = obligationsFor(delta, view);
    expect(obligations.map((o) => o.id)).toEqual([
      'type-documented:MEMORY_DEVICE_PUBLIC',
      'type-helper:MEMORY_DEVICE_PUBLIC',
      'switch-handles-type:MEMORY_DEVICE_PUBLIC',
      'helper-config-stub:is_device_public_page',
      'kconfig-text-agrees:DEVICE_PUBLIC',
    ]);
    expect(obligations.find((o) => o.kind === 'switch-handles-type')!.rule).toBe('unhandled-memory-type');
    const settled = settleObligation(
      obligations,
      'kconfig-text-agrees:DEVICE_PUBLIC',
      'unmet',
      'mm/Kconfig:712 prompt says "Unaddressable"',
    );
    expect(renderModelSummary('kernel 4.14 (given with --kernel)', delta, settled)).toEqual([
      'model: kernel 4.14 (given with --kernel)',
      '  delta: +type MEMORY_DEVICE_PUBLIC; +helper is_device_public_page; +Kconfig DEVICE_PUBLIC; +IORES IORES_DESC_DEVICE_PUBLIC_MEMORY',
      // What is owed, by name: the unmet, then what no rule settled; nothing about the met ones.
      '  unmet: the prompt and help of DEVICE_PUBLIC agree with the memory type it enables (mm/Kconfig:712 prompt says "Unaddressable")',
      '  not checked: MEMORY_DEVICE_PUBLIC is documented above enum memory_type with its properties',
      '  not checked: MEMORY_DEVICE_PUBLIC has an is_*_page()/folio_is_*() helper beside the others',
      '  not checked: every switch over enum memory_type handles MEMORY_DEVICE_PUBLIC',
      '  not checked: is_device_public_page() has a !CONFIG stub wherever it is defined under #ifdef',
    ]);
    const met = settleObligation(
      settleObligation(
        settleObligation(
          settleObligation(settled, 'type-documented:MEMORY_DEVICE_PUBLIC', 'met'),
          'type-helper:MEMORY_DEVICE_PUBLIC',
          'met',
        ),
        'switch-handles-type:MEMORY_DEVICE_PUBLIC',
        'unknown',
        'no base tree',
      ),
      'helper-config-stub:is_device_public_page',
      'met',
    );
    expect(renderModelSummary('kernel 4.14', delta, met).slice(2)).toEqual([
      '  unmet: the prompt and help of DEVICE_PUBLIC agree with the memory type it enables (mm/Kconfig:712 prompt says "Unaddressable")',
      '  not checked: every switch over enum memory_type handles MEMORY_DEVICE_PUBLIC (no base tree)',
    ]);
  });

  it('renames, cancellations across patches, RFC types, removals', () => {
    const view = modelAt('5.9');
    const delta = computeDelta(
      [
        {
          patch: p1,
          enumeratorsRemoved: ['MEMORY_DEVICE_DEVDAX'],
          enumeratorsAdded: ['MEMORY_DEVICE_GENERIC'],
          helpersAdded: ['is_tmp_page'],
        },
        {
          patch: p2,
          helpersRemoved: ['is_tmp_page'],
          enumeratorsAdded: ['MEMORY_DEVICE_MANAGED'],
          kconfigRemoved: ['DEVICE_PUBLIC'],
        },
      ],
      view,
    );
    expect(delta.typesRenamed).toEqual([
      { from: 'MEMORY_DEVICE_DEVDAX', to: 'MEMORY_DEVICE_GENERIC', patch: p1, mainlineRelease: '5.9' },
    ]);
    expect(delta.typesAdded).toEqual([
      { name: 'MEMORY_DEVICE_MANAGED', patch: p2, known: 'not-mainline', typeId: 'managed' },
    ]);
    expect(delta.helpersAdded).toEqual([]);
    expect(delta.helpersRemoved).toEqual([]);
    expect(obligationsFor(delta, view).map((o) => o.id)).toContain('rename-all-users:MEMORY_DEVICE_DEVDAX');
    expect(obligationsFor(delta, view).map((o) => o.id)).toContain('no-remaining-users:DEVICE_PUBLIC');
  });

  it('an architecture gaining ZONE_DEVICE (the 2019 arm64 patch)', () => {
    const view = modelAt('5.1');
    const delta = computeDelta(
      [
        {
          patch: p1,
          archSelectsAdded: [{ arch: 'arm64', symbol: 'ARCH_HAS_ZONE_DEVICE', condition: 'ARM64_4K_PAGES' }],
        },
      ],
      view,
    );
    expect(delta.archesGained).toEqual([
      { arch: 'arm64', symbol: 'ARCH_HAS_ZONE_DEVICE', condition: 'ARM64_4K_PAGES', patch: p1, hadBefore: false },
    ]);
    const obligations = obligationsFor(delta, view);
    expect(obligations.map((o) => [o.id, o.rule])).toEqual([
      ['arch-devmap-support:arm64', 'zone-device-without-devmap'],
      ['page-size-independent:arm64', 'zone-device-page-size-condition'],
    ]);
    expect(obligations[0]!.text).toContain('__HAVE_ARCH_PTE_DEVMAP');
    expect(renderModelSummary('kernel 5.1', delta, obligations)[1]).toBe(
      '  delta: +ZONE_DEVICE on arm64 (ARCH_HAS_ZONE_DEVICE if ARM64_4K_PAGES)',
    );
    // Unrelated selects are not ZONE_DEVICE changes.
    expect(
      computeDelta(
        [{ patch: p1, archSelectsAdded: [{ arch: 'arm64', symbol: 'ARCH_HAS_PTE_SPECIAL', condition: null }] }],
        view,
      ).archSelectsOtherEra,
    ).toEqual([]);
    expect(
      computeDelta(
        [{ patch: p1, archSelectsAdded: [{ arch: 'arm64', symbol: 'ARCH_HAS_PTE_SPECIAL', condition: null }] }],
        view,
      ).archesGained,
    ).toEqual([]);
  });

  it("a select of another era's symbol enables nothing: named as such, not as ZONE_DEVICE gained", () => {
    const view = modelAt('6.1');
    const delta = computeDelta(
      [
        {
          patch: p1,
          archSelectsAdded: [{ arch: 'arm64', symbol: 'ARCH_HAS_ZONE_DEVICE', condition: 'ARM64_4K_PAGES' }],
        },
      ],
      view,
    );
    expect(delta.archesGained).toEqual([]);
    expect(delta.archSelectsOtherEra).toEqual([
      {
        arch: 'arm64',
        symbol: 'ARCH_HAS_ZONE_DEVICE',
        condition: 'ARM64_4K_PAGES',
        patch: p1,
        added: true,
        enablesIn: '4.12–5.2',
      },
    ]);
    expect(obligationsFor(delta, view)).toEqual([]);
    expect(renderModelSummary('kernel 6.1', delta, [])[1]).toBe(
      '  delta: +select ARCH_HAS_ZONE_DEVICE if ARM64_4K_PAGES on arm64 (enables ZONE_DEVICE in 4.12–5.2, not in 6.1)',
    );
    // The era's own symbol still gains the arch.
    expect(
      computeDelta(
        [{ patch: p1, archSelectsAdded: [{ arch: 'arm64', symbol: 'ARCH_HAS_PTE_DEVMAP', condition: null }] }],
        view,
      ).archesGained.map((a) => a.symbol),
    ).toEqual(['ARCH_HAS_PTE_DEVMAP']);
  });

  it('a series that changes nothing says so', () => {
    const view = modelAt('6.1');
    const delta = computeDelta([{ patch: p1 }], view);
    expect(renderModelSummary('kernel 6.1', delta, obligationsFor(delta, view))).toEqual([
      'model: kernel 6.1',
      '  delta: none (the series does not change the memory-type model)',
    ]);
  });
});
