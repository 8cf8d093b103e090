import { describe, expect, it } from 'vitest';
import {
  fallbackListsFor,
  filePattern,
  LIST_INTRODUCTIONS,
  LIST_MOVES,
  listAddresses,
  maintainers,
  matchesFile,
  namedBy,
  parseMaintainers,
} from '../src/maintainers/index.js';
import { onlyAddsIncludes } from '../src/maintainers/demand.js';

// A MAINTAINERS of our own in the real file's shape: a preamble, then sections.
const TEXT = `List of maintainers
===================

Descriptions of section entries and preferred order
---------------------------------------------------

	M: *Mail* patches to: FullName <address@domain>
	L: *Mailing list* that is relevant to this area
	F: *Files* and directories wildcard patterns.

Maintainers List
----------------

MEMORY MANAGEMENT
M:	Some One <one@example.org>
L:	Linux-MM@kvack.org
S:	Maintained
F:	include/linux/mm.h
F:	mm/
X:	mm/private/

LIBNVDIMM
L:	nvdimm@lists.linux.dev
F:	drivers/nvdimm/*

ARM64 PORT
L:	linux-arm-kernel@lists.infradead.org (moderated for non-subscribers)
F:	arch/arm64

OWL BOARDS
L:	owl@example.org
N:	owl

SILENT
M:	nobody@example.org
F:	drivers/quiet/

THE REST
L:	linux-kernel@vger.kernel.org
F:	*
F:	*/
`;

describe('MAINTAINERS parser', () => {
  const secs = parseMaintainers(TEXT);
  it('finds sections with their lists, patterns and lines, skipping the preamble', () => {
    expect(secs.map((s) => s.title)).toEqual([
      'MEMORY MANAGEMENT',
      'LIBNVDIMM',
      'ARM64 PORT',
      'OWL BOARDS',
      'SILENT',
      'THE REST',
    ]);
    expect(secs[0]!.lists).toEqual(['linux-mm@kvack.org']);
    expect(secs[2]!.lists).toEqual(['linux-arm-kernel@lists.infradead.org']);
    expect(secs[0]!.line).toBe(TEXT.split('\n').indexOf('MEMORY MANAGEMENT') + 1);
  });

  it('matches F: the way get_maintainer.pl does', () => {
    expect(matchesFile(filePattern('mm/')!, 'mm/sub/deep.c')).toBe(true);
    // A glob without a trailing slash matches only at its own depth.
    expect(matchesFile(filePattern('drivers/nvdimm/*')!, 'drivers/nvdimm/pmem.c')).toBe(true);
    expect(matchesFile(filePattern('drivers/nvdimm/*')!, 'drivers/nvdimm/sub/x.c')).toBe(false);
    // A directory written without its slash still covers what is below it.
    expect(matchesFile(filePattern('arch/arm64')!, 'arch/arm64/Kconfig')).toBe(true);
    expect(matchesFile(filePattern('arch/arm64')!, 'arch/arm64x/Kconfig')).toBe(false);
    // `.` is literal.
    expect(matchesFile(filePattern('include/linux/mm.h')!, 'include/linux/mmxh')).toBe(false);
  });

  it('lists for a path: F:, X: and N:, never the catch-all', () => {
    const m = maintainers(TEXT);
    const lists = (p: string) => m.listsFor(p).map((d) => d.list);
    expect(lists('mm/memremap.c')).toEqual(['linux-mm@kvack.org']);
    expect(lists('mm/private/x.c')).toEqual([]);
    expect(lists('drivers/nvdimm/pmem.c')).toEqual(['nvdimm@lists.linux.dev']);
    expect(lists('arch/arm64/mm/mmu.c')).toEqual(['linux-arm-kernel@lists.infradead.org']);
    expect(lists('drivers/gpio/gpio-owl.c')).toEqual(['owl@example.org']);
    expect(lists('drivers/quiet/x.c')).toEqual([]);
    expect(lists('kernel/fork.c')).toEqual([]);
    expect(m.listsFor('mm/memremap.c')[0]!.section).toBe('MEMORY MANAGEMENT');
  });
});

describe('fallback table', () => {
  it('covers the ZONE_DEVICE area', () => {
    const lists = (p: string) => fallbackListsFor(p).map((d) => d.list);
    expect(lists('mm/memremap.c')).toEqual(['linux-mm@kvack.org']);
    expect(lists('include/linux/memremap.h')).toEqual(['linux-mm@kvack.org']);
    expect(lists('drivers/nvdimm/pmem.c')).toEqual(['nvdimm@lists.linux.dev']);
    expect(lists('drivers/dax/device.c')).toEqual(['nvdimm@lists.linux.dev']);
    expect(lists('arch/powerpc/mm/mem.c')).toEqual(['linuxppc-dev@lists.ozlabs.org']);
    expect(lists('arch/arm64/Kconfig')).toEqual(['linux-arm-kernel@lists.infradead.org']);
    expect(lists('drivers/pci/p2pdma.c')).toEqual(['linux-pci@vger.kernel.org']);
    expect(lists('kernel/fork.c')).toEqual([]);
    expect(fallbackListsFor('drivers/nvdimm/pmem.c')[0]!.accepts).toContain('linux-nvdimm@lists.01.org');
  });
});

describe('list history', () => {
  it('knows a moved list under both addresses, the newest first, from either of them', () => {
    expect(listAddresses('linux-nvdimm@lists.01.org')).toEqual(['nvdimm@lists.linux.dev', 'linux-nvdimm@lists.01.org']);
    expect(listAddresses('NVDIMM@lists.linux.dev')).toEqual(['nvdimm@lists.linux.dev', 'linux-nvdimm@lists.01.org']);
    expect(listAddresses('linux-mm@kvack.org')).toEqual(['linux-mm@kvack.org']);
    // A move of a move: every address reaches the newest.
    const moves = [
      { from: 'a@x', to: 'b@x', date: '2001-01-01', source: '' },
      { from: 'b@x', to: 'c@x', date: '2002-01-01', source: '' },
    ];
    expect(listAddresses('a@x', moves)).toEqual(['c@x', 'b@x', 'a@x']);
  });

  it('does not ask of a posting a list MAINTAINERS named only later', () => {
    expect(namedBy('linux-cxl@vger.kernel.org', 'COMPUTE EXPRESS LINK (CXL)', '2020-06-01')).toBe(false);
    expect(namedBy('linux-cxl@vger.kernel.org', 'COMPUTE EXPRESS LINK (CXL)', '2021-06-01')).toBe(true);
    expect(namedBy('linux-cxl@vger.kernel.org', 'DEVICE DIRECT ACCESS (DAX)', '2022-06-01')).toBe(false);
    expect(namedBy('linux-cxl@vger.kernel.org', 'DEVICE DIRECT ACCESS (DAX)', '2023-06-01')).toBe(true);
    expect(namedBy('linux-mm@kvack.org', 'MEMORY MANAGEMENT', '2015-01-01')).toBe(true);
  });

  it('cites a public source for every row: the posting (subject, date, Message-ID) or the releases compared', () => {
    for (const row of [...LIST_MOVES, ...LIST_INTRODUCTIONS])
      expect(row.source).toMatch(
        /^"[^"]+" \(.*\d{4}-\d\d-\d\d, <[^>]+@[^>]+>\)|^MAINTAINERS of linux-\d+\.\d+ \(\d{4}-\d\d-\d\d\)/,
      );
  });

  it('does not ask a posting of 2021 for the lists 7.x added around memremap.h', () => {
    expect(namedBy('linux-cxl@vger.kernel.org', 'MEMORY HOT(UN)PLUG', '2021-10-28')).toBe(false);
    expect(namedBy('driver-core@lists.linux.dev', 'DRIVER CORE, KOBJECTS, DEBUGFS AND SYSFS', '2021-10-28')).toBe(
      false,
    );
    expect(namedBy('linux-cxl@vger.kernel.org', 'MEMORY HOT(UN)PLUG', '2025-06-01')).toBe(true);
  });
});

describe('a file the patch only adds #include lines to', () => {
  const file = (lines: [string, string][]) => ({
    oldPath: 'a.c',
    newPath: 'a.c',
    status: 'modified' as const,
    binary: false,
    oldMode: null,
    newMode: null,
    additions: 0,
    deletions: 0,
    hunks: [
      {
        header: '',
        oldStart: 1,
        oldLines: 1,
        newStart: 1,
        newLines: 2,
        lines: lines.map(([k, text]) => ({ kind: k as 'add' | 'del' | 'context', text, oldLine: null, newLine: null })),
      },
    ],
  });
  it('is only that when every change is an added #include (or blank) line', () => {
    expect(
      onlyAddsIncludes(
        file([
          ['context', 'int a;'],
          ['add', '#include <linux/mm.h>'],
          ['add', ''],
        ]),
      ),
    ).toBe(true);
    expect(onlyAddsIncludes(file([['add', '# include "local.h"']]))).toBe(true);
    expect(
      onlyAddsIncludes(
        file([
          ['add', '#include <linux/mm.h>'],
          ['add', 'int b;'],
        ]),
      ),
    ).toBe(false);
    expect(
      onlyAddsIncludes(
        file([
          ['del', '#include <linux/old.h>'],
          ['add', '#include <linux/mm.h>'],
        ]),
      ),
    ).toBe(false);
    expect(onlyAddsIncludes(file([['add', '']]))).toBe(false);
  });
});
