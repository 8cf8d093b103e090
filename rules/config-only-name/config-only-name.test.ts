import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCase, runCase, testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'config-only-name';

testRule(rule, import.meta.dirname);

async function findingsOf(name: string, mode: 'mail' | 'tree') {
  const r = await runCase(readCase(join(import.meta.dirname, 'fixtures', name)), mode, [rule], new Set([ID]));
  return r.findings.filter((f) => f.rule === ID);
}

describe(`${ID}: what a finding says`, () => {
  it('with a tree: an error naming the option, the declaration and a configuration that breaks', async () => {
    const [f, ...rest] = await findingsOf('bad-zone-device-in-hotplug-file.mbox', 'tree');
    expect(rest).toEqual([]);
    expect([f!.severity, f!.messageId, f!.data]).toEqual([
      'error',
      'undeclared',
      { name: 'ZONE_DEVICE', option: 'ZONE_DEVICE', where: 'include/linux/mmzone.h:9' },
    ]);
    expect(f!.detail).toContain('MEMORY_HOTPLUG=y');
    expect(f!.detail).toContain('ZONE_DEVICE=n');
  });
  it('without a tree: a warning that says the model and the hunk are what it assumed', async () => {
    const [f] = await findingsOf('bad-zone-device-in-always-built-file.mbox', 'mail');
    expect([f!.severity, f!.data?.where]).toEqual(['warning', 'include/linux/mmzone.h, per the model']);
    expect(f!.detail).toContain('config-names.yaml');
  });
});
