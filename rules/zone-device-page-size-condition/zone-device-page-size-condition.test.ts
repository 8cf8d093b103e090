// zone-device-page-size-condition: its cases in mail, tree and git modes (each declares X-Modes),
// and with the tree as a git work tree; which symbols name a page size; and conditions that come
// from the entry the select sits in rather than from the select itself.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline.js';
import { testWorkTree } from '../../test/helpers/work-tree.js';
import { makePatch, run } from '../../test/rule-arch-helpers.js';
import { testRule } from '../../test/rule-tester.js';
import rule, { pageSizeSymbols } from './index.js';

const ID = 'zone-device-page-size-condition';

testRule(rule, import.meta.dirname);
testWorkTree(rule, import.meta.dirname);

describe(`${ID}: what it says`, () => {
  it('quotes the condition, a warning', async () => {
    const { findings } = await check(
      [{ kind: 'path', path: join(import.meta.dirname, 'fixtures', 'bad-4k-pages-only.mbox') }],
      { tree: null, kernel: null, rules: [rule] },
    );
    const [f, ...rest] = findings.filter((x) => x.rule === ID);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('warning');
    expect([f!.messageId, f!.data]).toEqual([
      'onlyWithPageSize',
      { arch: 'arm64', pageSize: 'ARM64_4K_PAGES', where: 'select ARCH_HAS_ZONE_DEVICE if ARM64_4K_PAGES' },
    ]);
  });
});

describe(`${ID}: page-size symbols`, () => {
  it('knows page-size symbols from other conditions', () => {
    expect(pageSizeSymbols('ARM64_4K_PAGES')).toEqual(['ARM64_4K_PAGES']);
    expect(pageSizeSymbols('PPC_BOOK3S_64 && !PPC_64K_PAGES')).toEqual(['PPC_64K_PAGES']);
    expect(pageSizeSymbols('ARM64_SWAPPER_USES_SECTION_MAPS')).toEqual(['ARM64_SWAPPER_USES_SECTION_MAPS']);
    expect(pageSizeSymbols('IA64_PAGE_SIZE_64KB')).toEqual(['IA64_PAGE_SIZE_64KB']);
    expect(pageSizeSymbols('X86_64')).toEqual([]);
    expect(pageSizeSymbols('64BIT && MMU')).toEqual([]);
    expect(pageSizeSymbols('PPC_BOOK3S_64')).toEqual([]);
  });

  it('says "when" and the whole condition when it is more than the page-size symbol', () => {
    const f = run(rule, [
      makePatch(
        'ppc',
        `diff --git a/arch/powerpc/Kconfig b/arch/powerpc/Kconfig
--- a/arch/powerpc/Kconfig
+++ b/arch/powerpc/Kconfig
@@ -1,2 +1,3 @@
 config PPC
 \tdef_bool y
+\tselect ARCH_HAS_ZONE_DEVICE if PPC_BOOK3S_64 && !PPC_64K_PAGES
`,
      ),
    ]);
    expect(f.map((x) => [x.file, x.line, x.messageId, x.data])).toEqual([
      [
        'arch/powerpc/Kconfig',
        3,
        'onlyWhen',
        {
          arch: 'powerpc',
          condition: 'PPC_BOOK3S_64 && !PPC_64K_PAGES',
          where: 'select ARCH_HAS_ZONE_DEVICE if PPC_BOOK3S_64 && !PPC_64K_PAGES',
        },
      ],
    ]);
    expect(f[0]!.message).toBe(
      'powerpc enables ZONE_DEVICE only when PPC_BOOK3S_64 && !PPC_64K_PAGES (select ARCH_HAS_ZONE_DEVICE if PPC_BOOK3S_64 && !PPC_64K_PAGES)',
    );
  });
});

describe(`${ID}: conditions from the enclosing entry`, () => {
  const entry = (body: string) => `diff --git a/arch/arm64/Kconfig b/arch/arm64/Kconfig
--- a/arch/arm64/Kconfig
+++ b/arch/arm64/Kconfig
@@ -1,2 +1,7 @@
 config ARM64
 \tdef_bool y
${body}`;
  it('sees a depends on of the entry the select sits in', () => {
    const f = run(rule, [
      makePatch(
        'a',
        entry(
          '+\n+config ARM64_ZONE_DEVICE\n+\tdef_bool y\n+\tdepends on ARM64_4K_PAGES\n+\tselect ARCH_HAS_ZONE_DEVICE\n',
        ),
      ),
    ]);
    expect(f.map((x) => [x.file, x.line])).toEqual([['arch/arm64/Kconfig', 7]]);
    expect([f[0]!.messageId, f[0]!.data]).toEqual([
      'onlyWithPageSize',
      { arch: 'arm64', pageSize: 'ARM64_4K_PAGES', where: 'ARM64_ZONE_DEVICE depends on ARM64_4K_PAGES' },
    ]);
  });
  it('sees an if block around the entry', () => {
    const f = run(rule, [
      makePatch(
        'a',
        entry('+\n+if ARM64_64K_PAGES\n+config ARM64_ZONE_DEVICE\n+\tselect ARCH_HAS_ZONE_DEVICE\n+endif\n'),
      ),
    ]);
    expect(f.map((x) => x.line)).toEqual([6]);
    expect([f[0]!.messageId, f[0]!.data]).toEqual([
      'onlyWithPageSize',
      { arch: 'arm64', pageSize: 'ARM64_64K_PAGES', where: 'ARM64_ZONE_DEVICE inside if ARM64_64K_PAGES' },
    ]);
  });
  it('stays silent for conditions that are not page sizes', () => {
    expect(
      run(rule, [
        makePatch(
          'a',
          entry(
            '+\n+config ARM64_ZONE_DEVICE\n+\tdef_bool y\n+\tdepends on MEMORY_HOTPLUG\n+\tselect ARCH_HAS_ZONE_DEVICE\n',
          ),
        ),
      ]),
    ).toEqual([]);
  });
});
