import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import rule from '../rules/model-differs-from-tree.js';
import { check } from '../src/pipeline.js';
import { runAsGitRange } from './rule-fixture-helpers.js';

const ID = 'model-differs-from-tree';
const DIR = `fixtures/${ID}`;
const root = mkdtempSync(join(tmpdir(), 'zdcheck-mdft-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function messages(file: string, tree: string | null): Promise<string[]> {
  const r = await check([{ kind: 'path', path: file }], { tree, kernel: null, rules: [rule] });
  // The line of the tree that shows a difference is in the detail: `at FILE:LINE of the base tree; ...`.
  const at = (f: { detail?: string }) => /^at (\S+) of the base tree; the tree is followed/.exec(f.detail ?? '')?.[1];
  return r.findings.map((f) => `${f.severity} ${f.series === null ? 'input' : 'series'} ${f.file}:${f.line} ${f.message}${at(f) ? ` (${at(f)} of the base tree)` : ''}`);
}

describe(ID, () => {
  it('says each difference once, with the line of the tree that shows it', async () => {
    expect(await messages(`${DIR}/bad-one-series.mbox`, `${DIR}/tree`)).toEqual([
      "info series null:null the base tree's enum memory_type has MEMORY_DEVICE_FABRIC, which the model does not list for 6.1 "
        + '(include/linux/memremap.h:15 of the base tree)',
      "info series null:null the model lists MEMORY_DEVICE_PCI_P2PDMA for 6.1 but the base tree's enum memory_type does not have it",
      // The vendor type's own helper; is_pci_p2pdma_page() is not missing on its own: its type is.
      "info series null:null the base tree's include/linux/memremap.h has is_fabric_page(), which the model does not list for 6.1 "
        + '(include/linux/memremap.h:51 of the base tree)',
    ]);
  });

  it('compares the helpers, Kconfig entries and arch selects too, one line each', async () => {
    const tree = `${DIR}/bad-helpers-kconfig-arch.tree`;
    expect(await messages(`${DIR}/bad-helpers-kconfig-arch.mbox`, tree)).toEqual([
      'info series null:null is_device_private_page() is under #if CONFIG_DEVICE_PRIVATE in the base tree but under no #if CONFIG_ in the model for 6.1 '
        + '(include/linux/memremap.h:22 of the base tree)',
      'info series null:null the model lists folio_is_device_coherent() in include/linux/memremap.h for 6.1 but the base tree\'s include/linux/memremap.h, '
        + 'include/linux/mm.h, include/linux/mmzone.h do not have it',
      'info series null:null is_pci_p2pdma_page() is in include/linux/mm.h in the base tree but in include/linux/memremap.h in the model for 6.1 '
        + '(include/linux/mm.h:8 of the base tree)',
      "info series null:null the model lists config HMM_MIRROR in mm/Kconfig for 6.1 but the base tree's mm/Kconfig does not have it",
      "info series null:null the base tree's mm/Kconfig has config DEVICE_FABRIC, which the model does not list for 6.1 (mm/Kconfig:36 of the base tree)",
      'info series null:null arm64 selects ARCH_HAS_PTE_DEVMAP if ARM64_4K_PAGES in the base tree but unconditionally in the model for 6.1 '
        + '(arch/arm64/Kconfig:4 of the base tree)',
      "info series null:null the base tree's arch/riscv/Kconfig selects ARCH_HAS_PTE_DEVMAP if 64BIT for riscv, which the model does not list for 6.1 "
        + '(arch/riscv/Kconfig:4 of the base tree)',
      'info series null:null the model lists powerpc as selecting ARCH_HAS_PTE_DEVMAP for 6.1 but no arch/powerpc/Kconfig* of the base tree does',
    ]);
    // The same tree as the base of a git range (read with git cat-file --batch and git grep).
    expect(await runAsGitRange(`${DIR}/bad-helpers-kconfig-arch.mbox`, rule, tree)).toHaveLength(8);
  });

  it('a ZONE_DEVICE gate of another era is one line, and the arches are then judged by that era', async () => {
    const tree = join(root, 'gate');
    cpSync(`${DIR}/good-mainline-enum.tree`, tree, { recursive: true });
    // A 6.1 Makefile over a tree whose ZONE_DEVICE still depends on ARCH_HAS_ZONE_DEVICE (the 4.12-5.2 era).
    const kconfig = join(tree, 'mm/Kconfig');
    writeFileSync(kconfig, readFileSync(kconfig, 'utf8').replace('depends on ARCH_HAS_PTE_DEVMAP', 'depends on ARCH_HAS_ZONE_DEVICE'));
    writeFileSync(join(tree, 'arch/x86/Kconfig'), 'config X86\n\tdef_bool y\n\tselect ARCH_HAS_ZONE_DEVICE if X86_64\n');
    const got = await messages(`${DIR}/good-mainline-enum.mbox`, tree);
    expect(got[0]).toBe('info series null:null config ZONE_DEVICE depends on ARCH_HAS_ZONE_DEVICE, MEMORY_HOTPLUG, MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP '
      + '(the ZONE_DEVICE era arch-has-zone-device\'s) in the base tree but on ARCH_HAS_PTE_DEVMAP, MEMORY_HOTPLUG, MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP '
      + '(era arch-has-pte-devmap) in the model for 6.1 (mm/Kconfig:21 of the base tree)');
    // x86's select of that era's symbol is then what the tree says; powerpc and arm64 still select the devmap symbol.
    expect(got.slice(1).map((m) => m.replace(/^info series null:null /, ''))).toEqual([
      "the base tree's arch/x86/Kconfig selects ARCH_HAS_ZONE_DEVICE if X86_64 for x86, which the model does not list for 6.1 (arch/x86/Kconfig:3 of the base tree)",
      'the model lists x86 as selecting ARCH_HAS_PTE_DEVMAP for 6.1 but no arch/x86/Kconfig* of the base tree does',
    ]);
  });

  it('says the same of the base of a git range', async () => {
    expect(await runAsGitRange(`${DIR}/bad-one-series.mbox`, rule, `${DIR}/tree`)).toEqual([' null:null', ' null:null', ' null:null']);
  });

  it('must not fire on a tree that is the model\'s (6.1: enum PRIVATE = 1, COHERENT, FS_DAX, GENERIC, PCI_P2PDMA; helpers, Kconfig, arch selects)', async () => {
    expect(await messages(`${DIR}/bad-two-series.mbox`, `${DIR}/good-mainline-enum.tree`)).toEqual([]);
  });

  it('a value the tree numbers differently is one difference per member', async () => {
    const tree = join(root, 'shifted');
    cpSync(`${DIR}/tree`, tree, { recursive: true });
    writeFileSync(join(tree, 'include/linux/memremap.h'), 'enum memory_type {\n\tMEMORY_DEVICE_PRIVATE = 1,\n\tMEMORY_DEVICE_COHERENT,\n'
      + '\tMEMORY_DEVICE_FS_DAX = 7,\n\tMEMORY_DEVICE_GENERIC,\n\tMEMORY_DEVICE_PCI_P2PDMA,\n};\n');
    expect((await messages(`${DIR}/bad-one-series.mbox`, tree)).map((m) => m.split(' ').slice(3, 9).join(' '))).toEqual([
      'MEMORY_DEVICE_FS_DAX is 7 in the base',
      'MEMORY_DEVICE_GENERIC is 8 in the base',
      'MEMORY_DEVICE_PCI_P2PDMA is 9 in the base',
    ]);
  });

  it('must not fire without a base tree, or on a tree without memremap.h', async () => {
    expect(await messages(`${DIR}/bad-one-series.mbox`, null)).toEqual([]);
    const tree = join(root, 'bare');
    cpSync(`${DIR}/tree`, tree, { recursive: true });
    rmSync(join(tree, 'include'), { recursive: true });
    expect(await messages(`${DIR}/bad-one-series.mbox`, tree)).toEqual([]);
  });
});
