// The build configuration of a tree (src/kbuild): declarations with their #if guards, the options a
// file is built under, Kconfig's depends on and select; and the question the rules ask of them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKbuild, type KbuildTree } from '../src/kbuild/index.js';
import { objectCondition, parseMakefile } from '../src/kbuild/makefile.js';
import { breakingConfig, showConfig } from '../src/kbuild/availability.js';
import { and, not, or, show, sym, TRUE, witness } from '../src/syntax/condition.js';
import { dirTree } from '../src/tree/index.js';

const FILES: Record<string, string> = {
  Makefile: 'VERSION = 6\nPATCHLEVEL = 1\n',
  'mm/Makefile': [
    'obj-y += page_alloc.o',
    'obj-$(CONFIG_ZONE_DEVICE) += memremap.o',
    '# its own module-parameter namespace',
    'hot-$(CONFIG_MEMORY_HOTPLUG) += memory_hotplug.o',
    'obj-y += $(hot-y)',
    'ifdef CONFIG_MMU',
    '\tobj-$(CONFIG_HMM_MIRROR) += hmm.o',
    'else',
    '\tobj-y += nommu.o',
    'endif',
    '',
  ].join('\n'),
  'mm/Kconfig': [
    'config MEMORY_HOTPLUG',
    '\tbool "Memory hotplug"',
    '',
    'config ZONE_DEVICE',
    '\tbool "Device memory"',
    '\tdepends on MEMORY_HOTPLUG',
    '',
    'if MMU',
    'config HMM_MIRROR',
    '\tbool',
    'endif',
    '',
    'config DEVICE_PRIVATE',
    '\tbool "Unaddressable device memory"',
    '\tdepends on ZONE_DEVICE',
    '',
  ].join('\n'),
  'drivers/Makefile': 'obj-$(CONFIG_DAX) += dax/\n',
  'drivers/dax/Makefile': 'obj-$(CONFIG_DEV_DAX) += device_dax.o\ndevice_dax-y := device.o\n',
  'drivers/dax/Kconfig':
    'menuconfig DAX\n\ttristate "DAX"\n\nconfig DEV_DAX\n\ttristate "Device DAX"\n\tdepends on DAX && ZONE_DEVICE\n\tselect DAX_HELPERS\n',
  'include/linux/memremap.h': [
    '#ifndef _LINUX_MEMREMAP_H_',
    '#define _LINUX_MEMREMAP_H_',
    'struct dev_pagemap {',
    '\tstruct range range;',
    '\tint nr_range;',
    '};',
    '#ifdef CONFIG_ZONE_DEVICE',
    'void *memremap_pages(struct dev_pagemap *pgmap, int nid);',
    'struct dev_pagemap *get_dev_pagemap(unsigned long pfn);',
    '#else',
    'static inline struct dev_pagemap *get_dev_pagemap(unsigned long pfn)',
    '{',
    '\treturn NULL;',
    '}',
    '#endif /* CONFIG_ZONE_DEVICE */',
    '#endif /* _LINUX_MEMREMAP_H_ */',
    '',
  ].join('\n'),
  'include/linux/mmzone.h': [
    '#ifndef _LINUX_MMZONE_H',
    '#define _LINUX_MMZONE_H',
    '#ifndef __ASSEMBLY__',
    'enum zone_type {',
    '\tZONE_NORMAL,',
    '#ifdef CONFIG_ZONE_DEVICE',
    '\tZONE_DEVICE,',
    '#endif',
    '\t__MAX_NR_ZONES',
    '};',
    '#define MAX_NR_ZONES 3',
    '#endif',
    '#endif',
    '',
  ].join('\n'),
};
const HEADERS = ['include/linux/memremap.h', 'include/linux/mmzone.h'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zdcheck-kbuild-'));
  for (const [p, t] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const guards = (kb: ReturnType<typeof createKbuild>, name: string) =>
  kb.declarations(name).map((d) => `${d.kind} ${d.path}:${d.line} [${show(d.guard)}]`);

describe('declarations and their guards', () => {
  it('reads each declaration with the #if groups around it, include guards and __ASSEMBLY__ settled', () => {
    const kb = createKbuild(dirTree(dir), HEADERS);
    expect(guards(kb, 'ZONE_DEVICE')).toEqual(['enumerator include/linux/mmzone.h:7 [ZONE_DEVICE]']);
    expect(guards(kb, 'ZONE_NORMAL')).toEqual(['enumerator include/linux/mmzone.h:5 [y]']);
    expect(guards(kb, 'get_dev_pagemap')).toEqual([
      'prototype include/linux/memremap.h:9 [ZONE_DEVICE]',
      'function include/linux/memremap.h:11 [!ZONE_DEVICE]',
    ]);
    expect(guards(kb, 'memremap_pages')).toEqual(['prototype include/linux/memremap.h:8 [ZONE_DEVICE]']);
    expect(kb.declarations('nr_range').map((d) => [d.kind, d.aggregate])).toEqual([['field', 'dev_pagemap']]);
    expect(guards(kb, 'MAX_NR_ZONES')).toEqual(['macro include/linux/mmzone.h:11 [y]']);
    expect([...kb.conditionalNames()].sort()).toEqual(['ZONE_DEVICE', 'get_dev_pagemap', 'memremap_pages']);
  });
});

describe('the options a file is built under', () => {
  it('follows obj-$(CONFIG_X), composite objects, ifdef blocks and the directories above', () => {
    const kb = createKbuild(dirTree(dir), HEADERS);
    const g = (p: string) => {
      const f = kb.fileGuard(p);
      return f === null ? null : show(f);
    };
    expect(g('mm/memremap.c')).toBe('ZONE_DEVICE');
    expect(g('mm/memory_hotplug.c')).toBe('MEMORY_HOTPLUG');
    expect(g('mm/page_alloc.c')).toBe('y');
    expect(g('mm/hmm.c')).toBe('MMU && HMM_MIRROR');
    expect(g('mm/nommu.c')).toBe('!MMU');
    expect(g('drivers/dax/device.c')).toBe('DAX && DEV_DAX');
    expect(g('include/linux/memremap.h')).toBe('y');
    expect(g('mm/unknown.c')).toBeNull();
  });
  it('reads a Makefile on its own', () => {
    const mk = parseMakefile(
      'obj-$(subst m,y,$(CONFIG_A)) += a.o\nb-objs := b1.o b2.o\nobj-$(CONFIG_B) += b.o\nifeq ($(CONFIG_C),y)\nobj-y += c.o\nendif\nifneq ($(CONFIG_D),)\nobj-y += d.o\nendif\n',
    );
    const c = (o: string) => {
      const f = objectCondition(mk, o);
      return f === null ? null : show(f);
    };
    expect(c('a.o')).toBe('A');
    expect(c('b2.o')).toBe('B');
    expect(c('c.o')).toBe('C');
    expect(c('d.o')).toBe('D');
  });
});

describe('the question the rules ask', () => {
  const unguarded = (kb: ReturnType<typeof createKbuild>, file: string, name: string) => {
    const use = kb.fileGuard(file)!;
    const q = and(use, not(or(...kb.declarations(name).map((d) => d.guard))));
    return witness(q, kb.constraints(q));
  };
  it('finds the configuration in which a use is compiled and its declaration is not', () => {
    const kb = createKbuild(dirTree(dir), HEADERS);
    const w = unguarded(kb, 'mm/memory_hotplug.c', 'ZONE_DEVICE');
    expect(w !== null && w !== 'unknown' ? [w.get('sym:MEMORY_HOTPLUG'), w.get('sym:ZONE_DEVICE')] : w).toEqual([
      true,
      false,
    ]);
  });
  it('knows an option that depends on another builds only with it', () => {
    const kb = createKbuild(dirTree(dir), HEADERS);
    expect(unguarded(kb, 'mm/memremap.c', 'ZONE_DEVICE')).toBeNull();
    // DEV_DAX depends on ZONE_DEVICE (drivers/dax/Kconfig): its files may use ZONE_DEVICE's names.
    expect(unguarded(kb, 'drivers/dax/device.c', 'memremap_pages')).toBeNull();
    // A stub in the #else makes the name always there.
    expect(unguarded(kb, 'mm/page_alloc.c', 'get_dev_pagemap')).toBeNull();
    expect(kb.kconfig('HMM_MIRROR')?.dependsOn).toEqual({ k: 'sym', name: 'MMU' });
  });
});

describe('a tree after a series', () => {
  it('reads what the series changes from itself, the rest from the base it caches', () => {
    const base = dirTree(dir);
    const header = FILES['include/linux/memremap.h']!.replace(
      'void *memremap_pages(',
      'void memremap_helper(void);\nvoid *memremap_pages(',
    );
    const after: KbuildTree = {
      readSync: (p) => (p === 'include/linux/memremap.h' ? header : base.readSync(p)),
      grep: (pattern, specs, o) => base.grep(pattern, specs, o),
      base,
      changes: (p) => p === 'include/linux/memremap.h',
      changed: ['include/linux/memremap.h'],
    };
    expect(guards(createKbuild(after, HEADERS), 'memremap_helper')).toEqual([
      'prototype include/linux/memremap.h:8 [ZONE_DEVICE]',
    ]);
    expect(guards(createKbuild(base, HEADERS), 'memremap_helper')).toEqual([]);
  });
});

describe('the availability question (src/kbuild/availability.ts)', () => {
  it('asks only about the option that decides: a name declared whenever MMU is, is not DEVICE_PRIVATE-only', () => {
    const avail = or(and(sym('MMU'), sym('DEVICE_PRIVATE')), and(sym('MMU'), not(sym('DEVICE_PRIVATE'))));
    expect(breakingConfig(TRUE, avail)).toBeNull();
    const maze = or(and(sym('HMM'), sym('HMM_MIRROR')), not(sym('HMM')));
    const b = breakingConfig(TRUE, maze);
    expect(b && [b.option, showConfig(b.config, maze)]).toEqual(['HMM_MIRROR', 'HMM=y HMM_MIRROR=n']);
  });
  it('reads a promptless def_bool nobody selects as implying its value, and follows depends on a few levels down', () => {
    const d = mkdtempSync(join(tmpdir(), 'zdcheck-kbuild-'));
    try {
      const files: Record<string, string> = {
        Makefile: 'VERSION = 6\nPATCHLEVEL = 12\n',
        'mm/Makefile': 'obj-$(CONFIG_DEVICE_MIGRATION) += migrate_device.o\n',
        'mm/Kconfig':
          'config MIGRATION\n\tbool "Page migration"\n\nconfig MEMORY_HOTREMOVE\n\tbool "Hot remove"\n\tdepends on MIGRATION\n\nconfig ZONE_DEVICE\n\tbool "Device memory"\n\tdepends on MEMORY_HOTREMOVE\n\nconfig DEVICE_PRIVATE\n\tbool "Private"\n\tdepends on ZONE_DEVICE\n\nconfig DEVICE_MIGRATION\n\tdef_bool MIGRATION && ZONE_DEVICE\n',
        'drivers/Makefile': 'obj-$(CONFIG_GPU) += gpu/\n',
        'drivers/gpu/Makefile': 'gpu-$(CONFIG_GPU_SVM) += svm.o\nobj-$(CONFIG_GPU) += gpu.o\n',
        'drivers/gpu/Kconfig':
          'config GPU\n\ttristate "GPU"\n\nconfig GPU_SVM\n\tbool "SVM"\n\tdepends on GPU\n\tdepends on DEVICE_PRIVATE\n',
        'include/linux/migrate.h':
          '#ifndef _LINUX_MIGRATE_H\n#define _LINUX_MIGRATE_H\n#ifdef CONFIG_MIGRATION\n#define MIGRATE_PFN_VALID 1\n#endif\n#endif\n',
      };
      for (const [p, t] of Object.entries(files)) {
        mkdirSync(dirname(join(d, p)), { recursive: true });
        writeFileSync(join(d, p), t);
      }
      const kb = createKbuild(dirTree(d), ['include/linux/migrate.h']);
      const avail = or(...kb.declarations('MIGRATE_PFN_VALID').map((x) => x.guard));
      expect(breakingConfig(kb.fileGuard('mm/migrate_device.c')!, avail, (f) => kb.constraints(f))).toBeNull();
      expect(breakingConfig(kb.fileGuard('drivers/gpu/svm.c')!, avail, (f) => kb.constraints(f))).toBeNull();
      expect(breakingConfig(kb.fileGuard('drivers/gpu/gpu.c')!, avail, (f) => kb.constraints(f))?.option).toBe(
        'MIGRATION',
      );
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
