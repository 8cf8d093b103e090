// model-differs-from-tree: its cases against their trees (in mail mode nothing may be said; as a git
// range the tree is the range's base, read with git cat-file --batch and git grep; the two-series
// case not as a range, which is one series), and what each finding says: which difference, where
// the tree shows it, once per run, in the model report's words.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline.js';
import { MESSAGE_LIMIT, testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'model-differs-from-tree';
const DIR = join(import.meta.dirname, 'fixtures');
const root = mkdtempSync(join(tmpdir(), 'zdcheck-mdft-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

testRule(rule, import.meta.dirname);

/** Messages whose lists do not fit one line: the model report says them whole, the finding in part. */
const SHORTENED = new Set(['helperMissing', 'zoneDeviceGateOfOtherEra', 'zoneDeviceGateDiffers']);

/**
 * Each finding as [scope, messageId, data, the line of the tree that shows it], and the model
 * report's sentences; every message but a shortened one is its difference's sentence in the report.
 */
async function run(file: string, tree: string | null) {
  const r = await check([{ kind: 'path', path: join(DIR, file) }], { tree, kernel: null, rules: [rule] });
  const sentences = [...new Set(r.model.series.flatMap((s) => s.treeDifferences))];
  const found = r.findings.filter((f) => f.rule === ID);
  for (const f of found) {
    expect([f.severity, f.file, f.line]).toEqual(['info', null, null]);
    expect(f.message.length, f.message).toBeLessThanOrEqual(MESSAGE_LIMIT);
    if (!SHORTENED.has(f.messageId!)) expect(sentences).toContain(`${f.message}; the tree is followed`);
  }
  // The line of the tree that shows a difference is in the detail: `at FILE:LINE of the base tree; ...`.
  const at = (d: string | undefined) => /^at (\S+) of the base tree; /.exec(d ?? '')?.[1] ?? null;
  return {
    said: found.map((f) => [f.series === null ? 'input' : 'series', f.messageId, f.data, at(f.detail)]),
    found,
    sentences,
  };
}
const said = async (file: string, tree: string | null) => (await run(file, tree)).said;

describe(ID, () => {
  it('says each difference once, with the line of the tree that shows it', async () => {
    expect(await said('bad-one-series.mbox', join(DIR, 'tree'))).toEqual([
      [
        'series',
        'enumMemberOnlyInTree',
        { name: 'MEMORY_DEVICE_FABRIC', release: '6.1' },
        'include/linux/memremap.h:15',
      ],
      ['series', 'enumMemberMissing', { name: 'MEMORY_DEVICE_PCI_P2PDMA', release: '6.1' }, null],
      // The vendor type's own helper; is_pci_p2pdma_page() is not missing on its own: its type is.
      [
        'series',
        'helperOnlyInTree',
        { file: 'include/linux/memremap.h', helper: 'is_fabric_page', release: '6.1' },
        'include/linux/memremap.h:51',
      ],
    ]);
  });

  it('compares the helpers, Kconfig entries and arch selects too, one line each', async () => {
    const r = await run('bad-helpers-kconfig-arch.mbox', join(DIR, 'bad-helpers-kconfig-arch.tree'));
    expect(r.said).toEqual([
      [
        'series',
        'helperGuardDiffers',
        {
          helper: 'is_device_private_page',
          treeGuard: '#if CONFIG_DEVICE_PRIVATE',
          modelGuard: 'no #if CONFIG_',
          release: '6.1',
        },
        'include/linux/memremap.h:22',
      ],
      [
        'series',
        'helperMissing',
        { helper: 'folio_is_device_coherent', header: 'include/linux/memremap.h', release: '6.1' },
        null,
      ],
      [
        'series',
        'helperHeaderDiffers',
        {
          helper: 'is_pci_p2pdma_page',
          file: 'include/linux/mm.h',
          header: 'include/linux/memremap.h',
          release: '6.1',
        },
        'include/linux/mm.h:8',
      ],
      ['series', 'kconfigMissing', { symbol: 'HMM_MIRROR', files: 'mm/Kconfig', release: '6.1' }, null],
      ['series', 'kconfigOnlyInTree', { file: 'mm/Kconfig', symbol: 'DEVICE_FABRIC', release: '6.1' }, 'mm/Kconfig:36'],
      [
        'series',
        'archConditionDiffers',
        {
          arch: 'arm64',
          symbol: 'ARCH_HAS_PTE_DEVMAP',
          treeCondition: 'if ARM64_4K_PAGES',
          modelCondition: 'unconditionally',
          release: '6.1',
        },
        'arch/arm64/Kconfig:4',
      ],
      [
        'series',
        'archSelectOnlyInTree',
        {
          file: 'arch/riscv/Kconfig',
          symbol: 'ARCH_HAS_PTE_DEVMAP',
          condition: ' if 64BIT',
          arch: 'riscv',
          release: '6.1',
        },
        'arch/riscv/Kconfig:4',
      ],
      ['series', 'archSelectMissing', { arch: 'powerpc', symbol: 'ARCH_HAS_PTE_DEVMAP', release: '6.1' }, null],
    ]);
    // Three headers do not fit the line: the finding names none, its detail all three; the model report says it whole.
    const missing = r.found.find((f) => f.messageId === 'helperMissing')!;
    expect(missing.message).toBe(
      "the model lists folio_is_device_coherent() in include/linux/memremap.h for 6.1 but none of the base tree's helper headers has it",
    );
    expect(missing.detail).toMatch(
      /^the base tree's include\/linux\/memremap\.h, include\/linux\/mm\.h, include\/linux\/mmzone\.h do not have it; the tree is followed/,
    );
    expect(r.sentences).toContain(
      "the model lists folio_is_device_coherent() in include/linux/memremap.h for 6.1 but the base tree's " +
        'include/linux/memremap.h, include/linux/mm.h, include/linux/mmzone.h do not have it; the tree is followed',
    );
  });

  it('a ZONE_DEVICE gate of another era is one line, and the arches are then judged by that era', async () => {
    const tree = join(root, 'gate');
    cpSync(join(DIR, 'good-mainline-enum.tree'), tree, { recursive: true });
    // A 6.1 Makefile over a tree whose ZONE_DEVICE still depends on ARCH_HAS_ZONE_DEVICE (the 4.12-5.2 era).
    const kconfig = join(tree, 'mm/Kconfig');
    writeFileSync(
      kconfig,
      readFileSync(kconfig, 'utf8').replace('depends on ARCH_HAS_PTE_DEVMAP', 'depends on ARCH_HAS_ZONE_DEVICE'),
    );
    writeFileSync(
      join(tree, 'arch/x86/Kconfig'),
      'config X86\n\tdef_bool y\n\tselect ARCH_HAS_ZONE_DEVICE if X86_64\n',
    );
    const r = await run('good-mainline-enum.mbox', tree);
    expect(r.said[0]).toEqual([
      'series',
      'zoneDeviceGateOfOtherEra',
      { treeEra: 'arch-has-zone-device', modelEra: 'arch-has-pte-devmap', release: '6.1' },
      'mm/Kconfig:21',
    ]);
    // What it depends on, in the tree and in the model, is in the detail; the model report says it whole.
    expect(r.found[0]!.detail).toContain(
      'it depends on ARCH_HAS_ZONE_DEVICE, MEMORY_HOTPLUG, MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP there, ' +
        'on ARCH_HAS_PTE_DEVMAP, MEMORY_HOTPLUG, MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP in the model',
    );
    expect(r.sentences[0]).toBe(
      'config ZONE_DEVICE depends on ARCH_HAS_ZONE_DEVICE, MEMORY_HOTPLUG, MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP ' +
        "(the ZONE_DEVICE era arch-has-zone-device's) in the base tree but on ARCH_HAS_PTE_DEVMAP, MEMORY_HOTPLUG, MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP " +
        '(era arch-has-pte-devmap) in the model for 6.1; the tree is followed',
    );
    // x86's select of that era's symbol is then what the tree says; powerpc and arm64 still select the devmap symbol.
    expect(r.said.slice(1)).toEqual([
      [
        'series',
        'archSelectOnlyInTree',
        {
          file: 'arch/x86/Kconfig',
          symbol: 'ARCH_HAS_ZONE_DEVICE',
          condition: ' if X86_64',
          arch: 'x86',
          release: '6.1',
        },
        'arch/x86/Kconfig:3',
      ],
      ['series', 'archSelectMissing', { arch: 'x86', symbol: 'ARCH_HAS_PTE_DEVMAP', release: '6.1' }, null],
    ]);
  });

  it('a ZONE_DEVICE gate of no era is one line too, its dependencies in the detail', async () => {
    const tree = join(root, 'gate-of-no-era');
    cpSync(join(DIR, 'good-mainline-enum.tree'), tree, { recursive: true });
    const kconfig = join(tree, 'mm/Kconfig');
    writeFileSync(
      kconfig,
      readFileSync(kconfig, 'utf8').replace(
        'depends on ARCH_HAS_PTE_DEVMAP',
        'depends on ARCH_HAS_PTE_DEVMAP\n\tdepends on MMU',
      ),
    );
    const r = await run('good-mainline-enum.mbox', tree);
    expect(r.said).toEqual([
      ['series', 'zoneDeviceGateDiffers', { modelEra: 'arch-has-pte-devmap', release: '6.1' }, 'mm/Kconfig:21'],
    ]);
    expect(r.found[0]!.message).toBe(
      'config ZONE_DEVICE depends on other symbols in the base tree than in the model for 6.1 (era arch-has-pte-devmap)',
    );
    expect(r.found[0]!.detail).toContain(
      'it depends on ARCH_HAS_PTE_DEVMAP, MEMORY_HOTPLUG, MEMORY_HOTREMOVE, MMU, SPARSEMEM_VMEMMAP there, ' +
        'on ARCH_HAS_PTE_DEVMAP, MEMORY_HOTPLUG, MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP in the model',
    );
  });

  it('a Kconfig entry in another file than the model says', async () => {
    const tree = join(root, 'moved-kconfig');
    cpSync(join(DIR, 'good-mainline-enum.tree'), tree, { recursive: true });
    const fs = readFileSync(join(tree, 'fs/Kconfig'), 'utf8');
    const entry = /^config FS_DAX\n(?:\t.*\n|\n(?=\t))*/m.exec(fs)![0];
    writeFileSync(join(tree, 'fs/Kconfig'), fs.replace(entry, ''));
    const mm = readFileSync(join(tree, 'mm/Kconfig'), 'utf8').replace('endmenu', `${entry}\nendmenu`);
    writeFileSync(join(tree, 'mm/Kconfig'), mm);
    const r = await run('good-mainline-enum.mbox', tree);
    const line = mm.split('\n').indexOf('config FS_DAX') + 1;
    expect(r.said).toEqual([
      [
        'series',
        'kconfigFileDiffers',
        { symbol: 'FS_DAX', file: 'mm/Kconfig', files: 'fs/Kconfig', release: '6.1' },
        `mm/Kconfig:${line}`,
      ],
    ]);
    expect(r.sentences).toEqual([
      'config FS_DAX is in mm/Kconfig in the base tree but in fs/Kconfig in the model for 6.1; the tree is followed',
    ]);
  });

  it("must not fire on a tree that is the model's (6.1: enum PRIVATE = 1, COHERENT, FS_DAX, GENERIC, PCI_P2PDMA; helpers, Kconfig, arch selects)", async () => {
    expect(await said('bad-two-series.mbox', join(DIR, 'good-mainline-enum.tree'))).toEqual([]);
  });

  it('a value the tree numbers differently is one difference per member', async () => {
    const tree = join(root, 'shifted');
    cpSync(join(DIR, 'tree'), tree, { recursive: true });
    writeFileSync(
      join(tree, 'include/linux/memremap.h'),
      'enum memory_type {\n\tMEMORY_DEVICE_PRIVATE = 1,\n\tMEMORY_DEVICE_COHERENT,\n' +
        '\tMEMORY_DEVICE_FS_DAX = 7,\n\tMEMORY_DEVICE_GENERIC,\n\tMEMORY_DEVICE_PCI_P2PDMA,\n};\n',
    );
    const r = await run('bad-one-series.mbox', tree);
    expect(r.said.map(([, id, data]) => [id, data])).toEqual([
      ['enumValueDiffers', { name: 'MEMORY_DEVICE_FS_DAX', treeValue: 7, modelValue: 3, release: '6.1' }],
      ['enumValueDiffers', { name: 'MEMORY_DEVICE_GENERIC', treeValue: 8, modelValue: 4, release: '6.1' }],
      ['enumValueDiffers', { name: 'MEMORY_DEVICE_PCI_P2PDMA', treeValue: 9, modelValue: 5, release: '6.1' }],
    ]);
    expect(r.sentences[0]).toBe(
      'MEMORY_DEVICE_FS_DAX is 7 in the base tree but 3 in the model for 6.1; the tree is followed',
    );
  });

  it('must not fire on a tree without memremap.h', async () => {
    // Without a base tree at all it says nothing either: every case's mail mode (the tester).
    const tree = join(root, 'bare');
    cpSync(join(DIR, 'tree'), tree, { recursive: true });
    rmSync(join(tree, 'include'), { recursive: true });
    expect(await said('bad-one-series.mbox', tree)).toEqual([]);
  });
});
