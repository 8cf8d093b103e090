import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/model/load.js';
import { allPredicateNames, existsAt, headersOf, modelAt, newestRelease, releaseOf } from '../src/model/query.js';
import { compareVersions, formatRange, parseVersion } from '../src/model/version.js';

const m = loadModel();
const v = (s: string) => parseVersion(s, m.releases, m.mergeWindowDays)!;

describe('versions', () => {
  it('parses release, rc, stable and linux-next forms', () => {
    expect(v('4.14')).toMatchObject({ release: '4.14', sublevel: 0, rc: null });
    expect(v('v5.3-rc5')).toMatchObject({ release: '5.3', rc: 5 });
    expect(v('6.1.4')).toMatchObject({ release: '6.1', sublevel: 4 });
    expect(v('4.19.0-17-amd64')).toMatchObject({ release: '4.19' });
    expect(parseVersion('banana')).toBeNull();
    expect(parseVersion('next-20170411')).toBeNull(); // needs the release table
  });

  it('places linux-next tags in the cycle whose merge window they feed', () => {
    // 4.11 was still in -rc on 2017-04-11: linux-next carried 4.12 material.
    expect(v('next-20170411')).toMatchObject({ release: '4.12', nextDate: '20170411' });
    // Inside the merge window after 4.11 (2017-04-30): material for 4.12 being merged.
    expect(v('next-20170505').release).toBe('4.12');
    expect(v('next-20170601').release).toBe('4.13');
  });

  it('orders versions: rc before release before stable, 4.20 before 5.0', () => {
    const sorted = ['5.0', '4.20', 'v5.3-rc5', '5.3', '5.3.2', '4.9', 'next-20190801']
      .map(v)
      .sort(compareVersions)
      .map((x) => x.text);
    // next-20190801 is 5.3-rc time: linux-next then carried 5.4 material.
    expect(sorted).toEqual(['4.9', '4.20', '5.0', 'v5.3-rc5', '5.3', '5.3.2', 'next-20190801']);
    expect(v('next-20190801').release).toBe('5.4');
  });

  it('places 2026 linux-next tags by the dated 6.19-7.2 releases (Debian changelog bounds), not all in one cycle', () => {
    // 7.1 out on 2026-06-14: a tag in its -rc phase (May) feeds 7.2; one after 7.2's merge window feeds 7.3,
    // which is newer than the last release listed and so has no release entry of its own.
    expect(v('next-20260520').release).toBe('7.2');
    expect(v('next-20260215').release).toBe('7.0'); // in the merge window after 6.19
    expect(v('next-20260225').release).toBe('7.1'); // 7.0 in -rc: linux-next feeds 7.1
    expect(releaseOf('next-20260520', m)).toBe('7.2');
  });

  it('formats ranges with the release before until', () => {
    expect(formatRange({ since: '4.14', until: '4.18' }, m.releases)).toBe('4.14–4.17');
    expect(formatRange({ since: '4.14', until: '5.0' }, m.releases)).toBe('4.14–4.20');
    expect(formatRange({ since: '6.0', until: null }, m.releases)).toBe('6.0 or later');
  });
});

describe('modelAt matches the history table', () => {
  const members = (s: string) => modelAt(s).enumMembers;
  it('has no enum before 4.14', () => {
    expect(members('4.10')).toEqual([]);
    expect(modelAt('4.10').types.map((t) => t.id)).toEqual(['host']);
  });
  it('4.16: HOST/PRIVATE/PUBLIC = 0,1,2', () => {
    expect(members('4.16')).toEqual(['MEMORY_DEVICE_HOST', 'MEMORY_DEVICE_PRIVATE', 'MEMORY_DEVICE_PUBLIC']);
    expect(modelAt('4.16').types.map((t) => t.value)).toEqual([0, 1, 2]);
  });
  it('4.19: PRIVATE/PUBLIC/FS_DAX; 5.1: plus PCI_P2PDMA', () => {
    expect(members('4.19')).toEqual(['MEMORY_DEVICE_PRIVATE', 'MEMORY_DEVICE_PUBLIC', 'MEMORY_DEVICE_FS_DAX']);
    expect(members('5.1')).toEqual([
      'MEMORY_DEVICE_PRIVATE',
      'MEMORY_DEVICE_PUBLIC',
      'MEMORY_DEVICE_FS_DAX',
      'MEMORY_DEVICE_PCI_P2PDMA',
    ]);
  });
  it('5.5: PRIVATE/FS_DAX/DEVDAX/PCI_P2PDMA = 1..4', () => {
    expect(members('5.5')).toEqual([
      'MEMORY_DEVICE_PRIVATE',
      'MEMORY_DEVICE_FS_DAX',
      'MEMORY_DEVICE_DEVDAX',
      'MEMORY_DEVICE_PCI_P2PDMA',
    ]);
    expect(modelAt('5.5').types.map((t) => t.value)).toEqual([1, 2, 3, 4]);
  });
  it('6.1: PRIVATE/COHERENT/FS_DAX/GENERIC/PCI_P2PDMA = 1..5, without the RFC type', () => {
    const view = modelAt('6.1.4');
    expect(view.enumMembers).toEqual([
      'MEMORY_DEVICE_PRIVATE',
      'MEMORY_DEVICE_COHERENT',
      'MEMORY_DEVICE_FS_DAX',
      'MEMORY_DEVICE_GENERIC',
      'MEMORY_DEVICE_PCI_P2PDMA',
    ]);
    expect(view.types.map((t) => t.value)).toEqual([1, 2, 3, 4, 5]);
    expect(view.enumMembers).not.toContain('MEMORY_DEVICE_MANAGED');
  });
  it('properties, helpers, Kconfig and IORES at 4.16 and 6.1', () => {
    const pub = modelAt('4.16').types.find((t) => t.id === 'device-public')!;
    expect(pub).toMatchObject({
      cpuAddressable: true,
      cacheCoherent: true,
      longTermPin: false,
      kconfig: 'DEVICE_PUBLIC',
      iores: ['IORES_DESC_DEVICE_PUBLIC_MEMORY'],
    });
    expect(pub.helpers).toEqual([
      {
        name: 'is_device_public_page',
        header: 'include/linux/memremap.h',
        guard: 'CONFIG_DEVICE_PRIVATE || CONFIG_DEVICE_PUBLIC',
      },
    ]);
    const view = modelAt('6.1');
    const coherent = view.types.find((t) => t.id === 'device-coherent')!;
    expect(coherent).toMatchObject({ kconfig: null, longTermPin: false, migratable: true, callbacks: ['page_free'] });
    expect(view.types.find((t) => t.id === 'device-private')).toMatchObject({
      cpuAddressable: false,
      userMapping: 'device-private-swap-entry',
      callbacks: ['page_free', 'migrate_to_ram'],
    });
    expect(view.ioresDescriptors).toEqual(['IORES_DESC_DEVICE_PRIVATE_MEMORY']);
    expect(view.kconfigSymbols).toEqual(
      expect.arrayContaining(['ZONE_DEVICE', 'DEVICE_PRIVATE', 'FS_DAX', 'PCI_P2PDMA', 'ARCH_HAS_PTE_DEVMAP']),
    );
    expect(view.kconfigSymbols).not.toContain('DEVICE_PUBLIC');
    expect(view.predicates.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'is_zone_device_page',
        'pte_devmap',
        'pmd_devmap',
        'pud_devmap',
        'is_device_coherent_page',
        'folio_is_device_private',
        'is_pci_p2pdma_page',
      ]),
    );
  });
  it('architecture eras and who provides ZONE_DEVICE', () => {
    expect(modelAt('4.9').era?.id).toBe('x86-64-only');
    expect(modelAt('4.14').era).toMatchObject({ id: 'arch-has-zone-device', archSelect: 'ARCH_HAS_ZONE_DEVICE' });
    expect(modelAt('4.14').arches.map((a) => `${a.arch} if ${a.condition}`)).toEqual([
      'x86 if X86_64',
      'powerpc if PPC_BOOK3S_64',
    ]);
    expect(modelAt('6.1').era).toMatchObject({ id: 'arch-has-pte-devmap', devmapRequired: true });
    expect(modelAt('6.1').arches.map((a) => a.arch)).toEqual(['x86', 'powerpc', 'arm64']);
    expect(modelAt('6.12').arches.map((a) => a.arch)).toEqual(['x86', 'powerpc', 'arm64', 'riscv', 'loongarch']);
    expect(modelAt('6.18').era).toMatchObject({ id: 'no-devmap', devmapRequired: false });
    // Read in v7.1.8/v7.2.8 mm/Kconfig: ARCH_ENABLE_MEMORY_HOTREMOVE is gone, ZONE_DEVICE needs hotplug only.
    expect(modelAt('7.2').era).toMatchObject({
      id: 'hotplug-only',
      archSelect: 'ARCH_ENABLE_MEMORY_HOTPLUG',
      devmapRequired: false,
    });
    expect(modelAt('7.2').era?.gate).toEqual(['MEMORY_HOTPLUG', 'MEMORY_HOTREMOVE', 'SPARSEMEM_VMEMMAP']);
    expect(modelAt('7.2').arches.map((a) => `${a.arch}:${a.symbol} if ${a.condition}`)).toContain(
      'x86:ARCH_ENABLE_MEMORY_HOTPLUG if X86_64',
    );
    expect(modelAt('6.18').arches.map((a) => a.arch)).toContain('s390');
    expect(modelAt('6.12').arches.map((a) => a.arch)).not.toContain('s390');
  });
  it('7.x: the enum, helpers and Kconfig symbols read in v7.2.8', () => {
    const v = modelAt('7.2.8');
    expect(v.release).toBe('7.2');
    expect(v.enumMembers).toEqual([
      'MEMORY_DEVICE_PRIVATE',
      'MEMORY_DEVICE_COHERENT',
      'MEMORY_DEVICE_FS_DAX',
      'MEMORY_DEVICE_GENERIC',
      'MEMORY_DEVICE_PCI_P2PDMA',
    ]);
    const helpers = v.predicates.filter((p) => p.typeId !== null).map((p) => p.name);
    expect(helpers).toEqual(
      expect.arrayContaining(['folio_is_fsdax', 'is_fsdax_page', 'folio_is_pci_p2pdma', 'is_pci_p2pdma_page']),
    );
    expect(modelAt('6.12').predicates.map((p) => p.name)).not.toContain('folio_is_pci_p2pdma');
    expect(v.kconfigSymbols).not.toContain('ARCH_HAS_PTE_DEVMAP');
    expect(v.kconfigSymbols).not.toContain('ARCH_ENABLE_MEMORY_HOTREMOVE');
    expect(modelAt('6.12').kconfigSymbols).toEqual(
      expect.arrayContaining(['ARCH_HAS_PTE_DEVMAP', 'ARCH_ENABLE_MEMORY_HOTREMOVE']),
    );
    expect(v.types.find((t) => t.id === 'device-private')?.callbacks).toEqual(['folio_free', 'migrate_to_ram']);
  });
  it('a kernel newer than the last listed release is read as that release', () => {
    expect(modelAt('9.4').release).toBe(newestRelease());
    expect(modelAt('v8.0-rc3').era?.id).toBe(modelAt(newestRelease()).era?.id);
    expect(releaseOf('12.1.5')).toBe(newestRelease());
    expect(releaseOf('7.1')).toBe('7.1');
  });
  it('hook prototypes by era', () => {
    const proto = (s: string, n: string) => modelAt(s).hooks.find((h) => h.name === n)!.prototype;
    expect(proto('4.14', 'arch_add_memory')).toBe('int (int nid, u64 start, u64 size, bool want_memblock)');
    expect(proto('5.4', 'arch_add_memory')).toContain('struct mhp_restrictions *restrictions');
    expect(proto('6.1', 'arch_remove_memory')).toBe('void (u64 start, u64 size, struct vmem_altmap *altmap)');
    expect(modelAt('6.1').hooks.find((h) => h.name === 'arch_add_memory')!.definedIn).toContain('arch/sh/mm/init.c');
    // Read in the real trees: sparc defines vmemmap_populate throughout, s390 and sparc vmemmap_free in 5.10/6.1;
    // arch_remove_memory takes the pgmap too from 6.12, and riscv/loongarch define the hooks there.
    const defs = (s: string, n: string) => modelAt(s).hooks.find((h) => h.name === n)!.definedIn;
    expect(defs('6.1', 'vmemmap_populate')).toContain('arch/sparc/mm/init_64.c');
    expect(defs('6.1', 'vmemmap_free')).toEqual(
      expect.arrayContaining(['arch/s390/mm/vmem.c', 'arch/sparc/mm/init_64.c']),
    );
    expect(defs('5.10', 'arch_add_memory')).toContain('arch/x86/mm/init_32.c');
    expect(defs('7.2', 'vmemmap_free')).not.toContain('arch/sparc/mm/init_64.c');
    expect(defs('7.2', 'arch_remove_memory')).toContain('arch/riscv/mm/init.c');
    expect(proto('6.12', 'arch_remove_memory')).toBe(
      'void (u64 start, u64 size, struct vmem_altmap *altmap, struct dev_pagemap *pgmap)',
    );
    expect(proto('5.10', 'arch_remove_memory')).toBe('void (int nid, u64 start, u64 size, struct vmem_altmap *altmap)');
  });
  it('where identifiers live, by era', () => {
    expect(headersOf('is_device_private_page', '4.14')).toEqual(['include/linux/memremap.h']);
    expect(headersOf('is_device_private_page', '5.4')).toEqual(['include/linux/mm.h']);
    expect(headersOf('is_zone_device_page', '6.1')).toEqual(['include/linux/mmzone.h']);
    expect(headersOf('MEMORY_DEVICE_PUBLIC', '4.14')).toEqual(['include/linux/memremap.h']);
    expect(headersOf('CONFIG_DEVICE_PRIVATE', '6.1')).toEqual(['mm/Kconfig']);
    expect(modelAt('6.1').locations['IORES_DESC_DEVICE_PRIVATE_MEMORY']).toEqual(['include/linux/ioport.h']);
    expect(existsAt('MEMORY_DEVICE_CACHE_COHERENT', '4.14')).toBeNull();
    expect(existsAt('MEMORY_DEVICE_PUBLIC', '5.4')).toBe(false);
  });
  it('gives one frozen view per release, whose parts are the same on every read', () => {
    const view = modelAt('5.17');
    expect(modelAt('5.17.3')).toBe(view);
    expect(view.release).toBe('5.17');
    expect(view.era?.id).toBeTruthy();
    expect(view.types).toBe(view.types);
    expect(view.types.map((t) => t.name)).toContain('MEMORY_DEVICE_PRIVATE');
    expect(Object.isFrozen(view) && Object.isFrozen(view.types) && Object.isFrozen(view.types[0])).toBe(true);
    expect(Object.isFrozen(view.era)).toBe(true);
    expect(() => {
      (view as { release: string }).release = '6.1';
    }).toThrow(TypeError);
    expect(() => view.kconfigSymbols.push('X')).toThrow(TypeError);
    // A copy holds every part (the tree's view is made by spreading one).
    expect(Object.keys({ ...view }).sort()).toEqual(
      [
        'arches',
        'enumMembers',
        'era',
        'hooks',
        'ioresDescriptors',
        'kconfigSymbols',
        'locations',
        'predicates',
        'release',
        'types',
      ].sort(),
    );
  });

  it('lists every predicate of any era', () => {
    expect(allPredicateNames()).toEqual(
      expect.arrayContaining(['is_device_public_page', 'folio_is_fsdax', 'pud_devmap', 'is_device_private_entry']),
    );
  });
});
