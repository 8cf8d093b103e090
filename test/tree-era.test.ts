import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelFor } from '../src/tree/era.js';
import type { Collection } from '../src/types.js';
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

function ctxFor(date: string | null, tree: string | null, kernel: string | null) {
  const p = { ...makePatch('x', DIFF), date };
  const series = makeSeries([p]);
  const collection: Collection = { series: [series], stray: [], unreadable: [], gitBase: null };
  return { ctx: { collection, options: { tree, kernel } }, series };
}

describe('which kernel a series is judged against', () => {
  it('--kernel first', () => {
    const { ctx, series } = ctxFor('Wed, 3 Apr 2019 10:00:00 +0000', dir, '6.1');
    expect(kernelFor(ctx, series).view?.release).toBe('6.1');
  });
  it("then the base tree's Makefile", () => {
    const { ctx, series } = ctxFor('Wed, 3 Apr 2019 10:00:00 +0000', dir, null);
    const k = kernelFor(ctx, series);
    expect(k.view?.release).toBe('4.19');
    expect(k.view?.era?.archSelect).toBe('ARCH_HAS_ZONE_DEVICE');
  });
  it('a 7.x tree, and one newer than every listed release', () => {
    const seven = mkdtempSync(join(tmpdir(), 'zdera7-'));
    try {
      writeFileSync(join(seven, 'Makefile'), 'VERSION = 7\nPATCHLEVEL = 2\nSUBLEVEL = 8\nEXTRAVERSION =\n');
      let k = kernelFor(ctxFor(null, seven, null).ctx, ctxFor(null, seven, null).series);
      expect(k.view?.release).toBe('7.2');
      expect(k.view?.era?.id).toBe('hotplug-only');
      writeFileSync(join(seven, 'Makefile'), 'VERSION = 11\nPATCHLEVEL = 0\nSUBLEVEL = 0\nEXTRAVERSION =\n');
      const { ctx, series } = ctxFor(null, seven, null);
      k = kernelFor(ctx, series);
      expect(k.view?.release).toBe('7.2');
      expect(k.basis).toContain('newer than 7.2');
    } finally {
      rmSync(seven, { recursive: true, force: true });
    }
  });
  it('then the release that was out when the series was dated', () => {
    const { ctx, series } = ctxFor('Wed, 3 Apr 2019 10:00:00 +0000', null, null);
    const k = kernelFor(ctx, series);
    expect(k.view?.release).toBe('5.0');
    expect(k.basis).toContain('2019-04-03');
  });
  it('and says so when nothing tells', () => {
    const { ctx, series } = ctxFor(null, null, null);
    expect(kernelFor(ctx, series)).toEqual({ view: null, basis: 'no kernel version known' });
  });
});
