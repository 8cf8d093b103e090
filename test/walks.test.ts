// A large run's series are packed (src/series/store.ts): every walk over collection.series unpacks
// all of them. The stages after the check walk only when they need to: the waivers not at all when
// there are none, the patch count once for the summary and checkpatch's per-finding selection.
import { describe, expect, it } from 'vitest';
import { totals } from '../src/report/types.js';
import { patchCount } from '../src/series/count.js';
import { applyWaivers, waiveFindings } from '../src/waivers/index.js';
import type { Collection, Finding, Series } from '../src/types.js';

/** A collection whose series array counts the walks over it (each reads index 0 first). */
function counted(series: Partial<Series>[]): { collection: Collection; walks: () => number } {
  let walks = 0;
  const list = new Proxy(series as Series[], {
    get(target, p, receiver) {
      if (p === '0') walks++;
      return Reflect.get(target, p, receiver) as unknown;
    },
  });
  return { collection: { series: list, stray: [], unreadable: [], gitBase: null }, walks: () => walks };
}

const finding: Finding = {
  rule: 'missing-signoff',
  severity: 'error',
  message: 'no Signed-off-by',
  file: null,
  line: null,
  patch: 'p',
  patchKey: 'k1',
  series: 's1',
};

const one = (key: string): Partial<Series> =>
  ({
    key,
    cover: null,
    patches: [
      { key: `${key}-1`, message: { commit: null }, files: [] },
      { key: `${key}-2`, message: { commit: null }, files: [] },
    ],
    replies: [],
  }) as unknown as Partial<Series>;

describe('walks over the series after the check', () => {
  it('applyWaivers without waivers reads no series', () => {
    const { collection, walks } = counted([one('a'), one('b')]);
    const out = applyWaivers(collection, [finding], []);
    expect(out.findings).toEqual([finding]);
    expect(walks()).toBe(0);
  });

  it('waiveFindings without a repository gathers no commits', async () => {
    const { collection, walks } = counted([one('a')]);
    const out = await waiveFindings({
      collection,
      findings: [finding],
      config: { file: null, rules: {}, waivers: [] },
      repo: null,
    });
    expect(out.findings.map((f) => f.rule)).toEqual(['missing-signoff']);
    expect(walks()).toBe(0);
  });

  it('with a waiver, the patches are read', () => {
    const { collection, walks } = counted([one('a')]);
    applyWaivers(collection, [finding], [{ rule: 'missing-signoff', reason: 'r', origin: 'cfg' }]);
    expect(walks()).toBe(1);
  });

  it('counts the patches once, however often the summary asks', () => {
    const { collection, walks } = counted([one('a'), one('b'), one('c')]);
    expect(patchCount(collection)).toBe(6);
    expect(totals({ collection, findings: [finding] })).toEqual({ errors: 1, warnings: 0, infos: 0, patches: 6 });
    expect(patchCount(collection)).toBe(6);
    expect(walks()).toBe(1);
  });
});
