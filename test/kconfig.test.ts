import { describe, expect, it } from 'vitest';
import { buildSource } from '../src/source/index.js';
import { createSyntaxView, isKconfigPath, parseKconfig } from '../src/syntax/index.js';
import { patchOf, seriesOf } from './source-helpers.js';

const post = (diff: string) => buildSource(seriesOf(patchOf('p', diff)), null).steps()[0]!.post;
const newFile = (path: string, lines: string[]) => `--- /dev/null
+++ b/${path}
@@ -0,0 +1,${lines.length} @@
${lines.map((l) => '+' + l).join('\n')}
`;

const MM = [
  'menu "Memory Management options"', //       0
  '', //                                        1
  'config ZONE_DEVICE', //                      2
  '\tbool "Device memory (pmem, HMM, etc...) hotplug support"', // 3
  '\tdepends on MEMORY_HOTPLUG', //             4
  '\tselect XARRAY_MULTI', //                   5
  '', //                                        6
  '\thelp', //                                  7
  '\t  Device memory hotplug support.', //      8
  '', //                                        9
  '\t  More text, after a blank line.', //      10
  '', //                                        11
  'if ZONE_DEVICE', //                          12
  'config DEVICE_PRIVATE', //                   13
  '\tbool', //                                  14
  '\tprompt "Unaddressable device memory" if EXPERT # a comment', // 15
  '\tdefault y if ARCH_X', //                   16
  '\tselect DEV_PAGEMAP_OPS if !FOO', //        17
  '\timply HMM_MIRROR', //                      18
  '\t---help---', //                            19
  '\t  Old-style help.', //                     20
  'endif', //                                   21
  'source "mm/damon/Kconfig"', //               22
  'endmenu', //                                 23
];

describe('Kconfig', () => {
  it('knows its file names', () => {
    expect(['mm/Kconfig', 'arch/arm64/Kconfig', 'drivers/Kconfig.debug', 'mm/Makefile'].map(isKconfigPath)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('parses entries with type, prompt, depends, select, imply, default, help, enclosing if and menu', () => {
    const img = post(newFile('mm/Kconfig', MM));
    const k = createSyntaxView().kconfig(img)!;
    const [menu, zd, dp] = k.entries;
    expect(menu).toMatchObject({ kind: 'menu', name: 'Memory Management options', line: 0 });
    expect(zd).toMatchObject({
      kind: 'config',
      name: 'ZONE_DEVICE',
      line: 2,
      type: 'bool',
      inferred: false,
      prompt: { text: 'Device memory (pmem, HMM, etc...) hotplug support', condition: null, line: 3 },
      depends: [{ expr: 'MEMORY_HOTPLUG', line: 4 }],
      selects: [{ symbol: 'XARRAY_MULTI', condition: null, line: 5 }],
      help: { text: 'Device memory hotplug support.\n\nMore text, after a blank line.', line: 7, last: 10 },
      ifs: [],
      menus: ['Memory Management options'],
      first: 2,
      last: 10,
    });
    expect(dp).toMatchObject({
      name: 'DEVICE_PRIVATE',
      type: 'bool',
      prompt: { text: 'Unaddressable device memory', condition: 'EXPERT', line: 15 },
      defaults: [{ value: 'y', condition: 'ARCH_X', line: 16 }],
      selects: [{ symbol: 'DEV_PAGEMAP_OPS', condition: '!FOO' }],
      implies: [{ symbol: 'HMM_MIRROR', condition: null }],
      help: { text: 'Old-style help.' },
      ifs: ['ZONE_DEVICE'],
    });
    expect(k.sources).toEqual([{ path: 'mm/damon/Kconfig', line: 22 }]);
    expect(k.entryAt(17)).toBe(dp);
    expect(k.entryAt(12)).toBeNull();
  });

  it('a fragment starting mid-block gives its lines to the entry the @@ header names', () => {
    const img = post(`--- a/arch/arm64/Kconfig
+++ b/arch/arm64/Kconfig
@@ -31,5 +31,6 @@ config ARM64
 	select ARCH_HAS_SETUP_DMA_OPS
 	select ARCH_HAS_STRICT_KERNEL_RWX
+	select ARCH_HAS_ZONE_DEVICE if ARM64_4K_PAGES
 	select ARCH_HAS_STRICT_MODULE_RWX
 
 config ARM64_PAGE_SHIFT
`);
    const k = parseKconfig(img);
    expect(k.entries.map((e) => [e.name, e.line, e.inferred])).toEqual([
      ['ARM64', null, true],
      ['ARM64_PAGE_SHIFT', 5, false],
    ]);
    const sel = k.entries[0]!.selects.find((s) => s.symbol === 'ARCH_HAS_ZONE_DEVICE')!;
    expect(sel).toEqual({ symbol: 'ARCH_HAS_ZONE_DEVICE', condition: 'ARM64_4K_PAGES', line: 2 });
    expect(img.addedHere(sel.line)).toBe(true);
    expect(img.lineNumber(sel.line)).toBe(33);
  });

  it('a fragment whose header names no config leaves the name unknown; help ends at a dedent', () => {
    const k = parseKconfig(
      post(`--- a/mm/Kconfig
+++ b/mm/Kconfig
@@ -10,3 +10,7 @@ menu "x"
 	depends on FOO
 
+config DEVICE_PUBLIC
+	bool "Addressable device memory"
+	help
+	  Text.
 config NEXT
`),
    );
    expect(k.entries.map((e) => [e.name, e.inferred, e.first, e.last])).toEqual([
      [null, false, 0, 0],
      ['DEVICE_PUBLIC', false, 2, 5],
      ['NEXT', false, 6, 6],
    ]);
    expect(k.entries[1]!.help!.text).toBe('Text.');
  });
});
