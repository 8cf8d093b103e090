import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseKernel } from '../src/model/run.js';
import { dirTree } from '../src/tree/index.js';
import { makePatch, makeSeries } from './rule-arch-helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zdera-'));
  writeFileSync(join(dir, 'Makefile'), 'VERSION = 4\nPATCHLEVEL = 19\nSUBLEVEL = 3\nEXTRAVERSION =\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DIFF = `diff --git a/arch/foo/Kconfig b/arch/foo/Kconfig
--- a/arch/foo/Kconfig
+++ b/arch/foo/Kconfig
@@ -1,1 +1,2 @@
 config FOO
+\tselect BAR
`;

/** The one chooser (rules get its answer as ctx.kernel): the kernel and the model's view at it. */
function kernelFor(date: string | null, tree: string | null, kernel: string | null) {
  const series = makeSeries([{ ...makePatch('x', DIFF), date }]);
  return chooseKernel(series, { kernel, tree: tree === null ? null : dirTree(tree) });
}

describe('which kernel a series is judged against', () => {
  it('the base tree first: a --kernel that disagrees with it is set aside, and said so', () => {
    const k = kernelFor('Wed, 3 Apr 2019 10:00:00 +0000', dir, '6.1');
    expect(k.view.release).toBe('4.19');
    expect(k.inference.conflicts.join()).toContain('the base tree is 4.19.3');
  });
  it('--kernel without a tree', () => {
    expect(kernelFor('Wed, 3 Apr 2019 10:00:00 +0000', null, '6.1').view.release).toBe('6.1');
  });
  it("then the base tree's Makefile", () => {
    const k = kernelFor('Wed, 3 Apr 2019 10:00:00 +0000', dir, null);
    expect(k.view.release).toBe('4.19');
    expect(k.view.era?.archSelect).toBe('ARCH_HAS_ZONE_DEVICE');
  });
  it('a 7.x tree, and one newer than every listed release', () => {
    const seven = mkdtempSync(join(tmpdir(), 'zdera7-'));
    try {
      writeFileSync(join(seven, 'Makefile'), 'VERSION = 7\nPATCHLEVEL = 2\nSUBLEVEL = 8\nEXTRAVERSION =\n');
      let k = kernelFor(null, seven, null);
      expect(k.view.release).toBe('7.2');
      expect(k.view.era?.id).toBe('hotplug-only');
      writeFileSync(join(seven, 'Makefile'), 'VERSION = 11\nPATCHLEVEL = 0\nSUBLEVEL = 0\nEXTRAVERSION =\n');
      k = kernelFor(null, seven, null);
      expect(k.view.release).toBe('7.2');
      expect(k.inference.reason).toContain('newer than 7.2');
    } finally {
      rmSync(seven, { recursive: true, force: true });
    }
  });
  it("a tree without a Makefile is placed by what it defines: its era wins over the mail's date", () => {
    const partial = mkdtempSync(join(tmpdir(), 'zdera-partial-'));
    try {
      mkdirSync(join(partial, 'include/linux'), { recursive: true });
      // 4.20-5.2: PUBLIC and PCI_P2PDMA both (a 5.1-like tree), mailed in 2017.
      writeFileSync(
        join(partial, 'include/linux/memremap.h'),
        'enum memory_type {\n\tMEMORY_DEVICE_PRIVATE = 1,\n\tMEMORY_DEVICE_PUBLIC,\n\tMEMORY_DEVICE_FS_DAX,\n\tMEMORY_DEVICE_PCI_P2PDMA,\n};\n',
      );
      const k = kernelFor('Wed, 12 Apr 2017 10:00:00 +0000', partial, null);
      expect(k.inference.basis).toBe('tree');
      expect(k.inference.range).toEqual({ since: '4.20', until: '5.3' });
      expect(k.view.era?.archSelect).toBe('ARCH_HAS_ZONE_DEVICE');
      expect(k.inference.reason).toContain('what the base tree defines');
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  });
  it('then the release that was out when the series was dated', () => {
    const k = kernelFor('Wed, 3 Apr 2019 10:00:00 +0000', null, null);
    expect(k.view.release).toBe('5.0');
    expect(k.inference.reason).toContain('2019-04-03');
  });
  it('and says so when nothing tells: the newest release, as a default', () => {
    const k = kernelFor(null, null, null);
    expect(k.inference.basis).toBe('default');
    expect(k.view.release).toBe(k.inference.version.text);
    expect(k.inference.range.until).toBeNull();
  });
});
