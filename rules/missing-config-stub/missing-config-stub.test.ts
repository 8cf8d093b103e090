import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCase, runCase, testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'missing-config-stub';

// The cases are hunks without a base tree: each runs in mail mode.
testRule(rule, import.meta.dirname);

async function findingsOf(name: string) {
  const r = await runCase(readCase(join(import.meta.dirname, 'fixtures', name)), 'mail', [rule], new Set([ID]));
  return r.findings.filter((f) => f.rule === ID);
}

describe(`${ID}: what a finding says`, () => {
  it('names the helper, the condition, the branch without its stub and the neighbours that have one', async () => {
    expect((await findingsOf('bad-ifdef-no-stub.mbox')).map((f) => [f.messageId, f.data, f.detail])).toEqual([
      [
        'noStub',
        {
          name: 'is_devmem_coherent_page',
          condition: '#ifdef CONFIG_DEVMEM_PAGES',
          branch: 'else',
          branchLine: 60,
          neighbours: 'is_devmem_host_page',
        },
        'a build without CONFIG_DEVMEM_PAGES breaks where is_devmem_coherent_page() is used; add a stub there',
      ],
    ]);
  });

  it('without the #if line in view, names the helper it could not check on the info line', async () => {
    expect(
      (await findingsOf('bad-if-line-not-shown.mbox')).map((f) => [f.severity, f.messageId, f.data, f.notChecked]),
    ).toEqual([['info', 'helpersNotChecked', { count: 1, names: 'is_devmem_fabric_page' }, true]]);
  });
});

describe(`${ID}: with a base tree, every API function against its callers`, () => {
  const treeFindings = async (name: string) => {
    const r = await runCase(readCase(join(import.meta.dirname, 'fixtures', name)), 'tree', [rule], new Set([ID]));
    return r.findings.filter((f) => f.rule === ID);
  };
  it('finds the configuration of the moved #endif: HMM=y with HMM_MIRROR=n, and the caller it breaks', async () => {
    const [f, ...rest] = await treeFindings('bad-endif-moved.mbox');
    expect(rest).toEqual([]);
    expect([f!.severity, f!.messageId, f!.data]).toEqual([
      'error',
      'stubLost',
      { name: 'hmm_mm_destroy', option: 'HMM_MIRROR', caller: 'kernel/fork.c:6' },
    ]);
    expect(f!.detail).toContain('HMM=y HMM_MIRROR=n');
    expect(f!.detail).toContain('before the series: in every configuration');
  });
  it('a caller in a header compiled everywhere needs the stub, IS_ENABLED() or not', async () => {
    expect((await treeFindings('bad-caller-built-without-option.mbox')).map((f) => [f.messageId, f.data])).toEqual([
      [
        'callerBreaks',
        { name: 'page_devmap', condition: 'ZONE_DEVICE', caller: 'include/linux/memremap.h:15', option: 'ZONE_DEVICE' },
      ],
    ]);
  });
  it('a function of an API header with no caller yet is a warning when every neighbour has its stub', async () => {
    expect((await treeFindings('bad-neighbours-stubbed-no-caller.mbox')).map((f) => [f.severity, f.messageId])).toEqual(
      [['warning', 'noStub']],
    );
  });
});
