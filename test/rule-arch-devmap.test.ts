// zone-device-without-devmap beyond the fixtures: the 5.3+ era's enabler, eras without devmap,
// support that already exists in the tree, and support added in the enabling patch itself.
import { describe, expect, it } from 'vitest';
import rule from '../rules/zone-device-without-devmap.js';
import { makePatch, run } from './rule-arch-helpers.js';

const BASE = 'fixtures/zone-device-without-devmap/base';

const kconfig = (arch: string, line: string) => `diff --git a/arch/${arch}/Kconfig b/arch/${arch}/Kconfig
--- a/arch/${arch}/Kconfig
+++ b/arch/${arch}/Kconfig
@@ -1,2 +1,3 @@
 config ${arch.toUpperCase()}
 \tdef_bool y
+\t${line}
`;
const header = (arch: string, fns: string[]) => `diff --git a/arch/${arch}/include/asm/pgtable.h b/arch/${arch}/include/asm/pgtable.h
--- a/arch/${arch}/include/asm/pgtable.h
+++ b/arch/${arch}/include/asm/pgtable.h
@@ -1,1 +1,${1 + fns.length} @@
 #include <asm/page.h>
${fns.map((f) => `+static inline int ${f}(pte_t pte) { return 0; }`).join('\n')}
`;

describe('zone-device-without-devmap', () => {
  it('5.3+: ARCH_HAS_PTE_DEVMAP with the accessors in the same patch is clean', () => {
    const p = makePatch('riscv: zone device', kconfig('riscv', 'select ARCH_HAS_PTE_DEVMAP if 64BIT && MMU') + header('riscv', ['pte_devmap', 'pmd_devmap', 'pte_mkdevmap']));
    expect(run(rule, [p], { kernel: '6.1' })).toEqual([]);
  });

  it('5.3+: names the accessor that is missing', () => {
    const p = makePatch('riscv: zone device', kconfig('riscv', 'select ARCH_HAS_PTE_DEVMAP') + header('riscv', ['pte_devmap', 'pte_mkdevmap']));
    const f = run(rule, [p], { kernel: '6.1' });
    expect(f.map((x) => [x.file, x.line])).toEqual([['arch/riscv/Kconfig', 3]]);
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
    expect(run(rule, [makePatch('arm64', kconfig('arm64', 'select ARCH_HAS_ZONE_DEVICE'))], { tree: BASE })).toHaveLength(1);
  });

  it('the model stands in for the tree: x86 had devmap support at 4.19, arm64 did not', () => {
    expect(run(rule, [makePatch('x86', kconfig('x86', 'select ARCH_HAS_ZONE_DEVICE if X86_64'))], { kernel: '4.19' })).toEqual([]);
    const f = run(rule, [makePatch('arm64', kconfig('arm64', 'select ARCH_HAS_ZONE_DEVICE'))], { kernel: '4.19' });
    expect(f[0]!.detail).toContain('no base tree');
  });
});
