// zone-device-without-devmap: its cases in mail, tree and git modes (each declares X-Modes), and
// with the tree as a git work tree; what each finding says it was judged from; and the rule beyond
// the fixtures: the 5.3+ era's enabler, eras without devmap, support that already exists in the
// tree, and support added in the enabling patch itself.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline.js';
import { testWorkTree } from '../../test/helpers/work-tree.js';
import { makePatch, run } from '../../test/rule-arch-helpers.js';
import { casesIn, testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'zone-device-without-devmap';
const FIXTURES = join(import.meta.dirname, 'fixtures');
/** The mini kernel the cases were made on (make-arch-fixtures.sh): x86 has devmap PTEs, arm64 none. */
const BASE = join(FIXTURES, 'tree');

testRule(rule, import.meta.dirname);
testWorkTree(rule, import.meta.dirname);

const findings = async (file: string, tree: string | null) =>
  (await check([{ kind: 'path', path: join(FIXTURES, file) }], { tree, kernel: null, rules: [rule] })).findings.filter(
    (f) => f.rule === ID,
  );

describe(`${ID}: what a finding says it was judged from`, () => {
  it('with a base tree, every finding of every bad case says it was judged from that tree', async () => {
    const bad = casesIn(import.meta.dirname).filter((c) => /\/bad-[^/]*$/.test(c.file));
    expect(bad.length).toBeGreaterThan(0);
    for (const kase of bad) {
      const found = await findings(kase.file.slice(FIXTURES.length + 1), BASE);
      expect(found.length, kase.file).toBeGreaterThan(0);
      for (const f of found)
        expect(f.detail, kase.file).toContain(`judged from the base tree ${BASE} with the series applied`);
    }
  });

  it('without a tree, the model, and the markers missing', async () => {
    const [f, ...rest] = await findings('bad-enable-without-devmap.mbox', null);
    expect(rest).toEqual([]);
    expect(f!.severity).toBe('error');
    expect([f!.messageId, f!.data]).toEqual([
      'noDevmapSupport',
      { arch: 'arm64', select: 'select ARCH_HAS_ZONE_DEVICE' },
    ]);
    expect(f!.detail).toMatch(/no base tree: zdcheck's model records no devmap support for arm64 at 5\.0/);
    expect(f!.detail).toContain(
      'no __HAVE_ARCH_PTE_DEVMAP, pte_devmap, pmd_devmap, pte_mkdevmap in arch/arm64/include',
    );
  });

  it('names the later patch that brings the support', async () => {
    const [f, ...rest] = await findings('bad-devmap-after-enable.mbox', BASE);
    expect(rest).toEqual([]);
    expect([f!.messageId, f!.data]).toEqual([
      'devmapArrivesLater',
      { arch: 'arm64', select: 'select ARCH_HAS_ZONE_DEVICE', later: 'patch 2/2' },
    ]);
    expect(f!.detail).toContain('only in a later patch (2/2 "arm64: mm: implement pte_devmap support")');
    expect(f!.detail).toContain(`judged from the base tree ${BASE}`);
  });
});

const kconfig = (arch: string, line: string) => `diff --git a/arch/${arch}/Kconfig b/arch/${arch}/Kconfig
--- a/arch/${arch}/Kconfig
+++ b/arch/${arch}/Kconfig
@@ -1,2 +1,3 @@
 config ${arch.toUpperCase()}
 \tdef_bool y
+\t${line}
`;
const header = (
  arch: string,
  fns: string[],
) => `diff --git a/arch/${arch}/include/asm/pgtable.h b/arch/${arch}/include/asm/pgtable.h
--- a/arch/${arch}/include/asm/pgtable.h
+++ b/arch/${arch}/include/asm/pgtable.h
@@ -1,1 +1,${1 + fns.length} @@
 #include <asm/page.h>
${fns.map((f) => `+static inline int ${f}(pte_t pte) { return 0; }`).join('\n')}
`;

describe(`${ID}: cases`, () => {
  it('5.3+: ARCH_HAS_PTE_DEVMAP with the accessors in the same patch is clean', () => {
    const p = makePatch(
      'riscv: zone device',
      kconfig('riscv', 'select ARCH_HAS_PTE_DEVMAP if 64BIT && MMU') +
        header('riscv', ['pte_devmap', 'pmd_devmap', 'pte_mkdevmap']),
    );
    expect(run(rule, [p], { kernel: '6.1' })).toEqual([]);
  });

  it('5.3+: names the accessor that is missing', () => {
    const p = makePatch(
      'riscv: zone device',
      kconfig('riscv', 'select ARCH_HAS_PTE_DEVMAP') + header('riscv', ['pte_devmap', 'pte_mkdevmap']),
    );
    const f = run(rule, [p], { kernel: '6.1' });
    expect(f.map((x) => [x.file, x.line])).toEqual([['arch/riscv/Kconfig', 3]]);
    expect([f[0]!.messageId, f[0]!.data]).toEqual([
      'noDevmapSupport',
      { arch: 'riscv', select: 'select ARCH_HAS_PTE_DEVMAP' },
    ]);
    // What is missing and what it was judged from are the finding's detail.
    expect(f[0]!.detail).toContain('no pmd_devmap in arch/riscv/include');
    expect(f[0]!.detail).toContain("zdcheck's model records no devmap support for riscv at 6.1");
  });

  it('does not judge eras in which ZONE_DEVICE does not rest on devmap PTEs', () => {
    const p = makePatch('riscv: zone device', kconfig('riscv', 'select ARCH_HAS_ZONE_DEVICE'));
    expect(run(rule, [p], { kernel: '6.17' })).toEqual([]);
    expect(run(rule, [p], { kernel: '4.9' })).toEqual([]);
    expect(run(rule, [p], { kernel: '4.19' })).toHaveLength(1);
  });

  it('accepts support the base tree already has (x86: __HAVE_ARCH_PTE_DEVMAP and the accessors)', () => {
    const p = makePatch('x86: again', kconfig('x86', 'select ARCH_HAS_ZONE_DEVICE'));
    expect(run(rule, [p], { tree: BASE })).toEqual([]);
    // arm64 in the same tree has none.
    expect(
      run(rule, [makePatch('arm64', kconfig('arm64', 'select ARCH_HAS_ZONE_DEVICE'))], { tree: BASE }),
    ).toHaveLength(1);
  });

  it('the model stands in for the tree: x86 had devmap support at 4.19, arm64 did not', () => {
    expect(
      run(rule, [makePatch('x86', kconfig('x86', 'select ARCH_HAS_ZONE_DEVICE if X86_64'))], { kernel: '4.19' }),
    ).toEqual([]);
    const f = run(rule, [makePatch('arm64', kconfig('arm64', 'select ARCH_HAS_ZONE_DEVICE'))], { kernel: '4.19' });
    expect(f[0]!.detail).toContain('no base tree');
  });
});
