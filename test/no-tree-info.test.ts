// Without a base tree, the rules that need one say what they could not check in one info line
// per run, however many series the input holds (issue 4; the stable corpus has 12,730 series).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../src/pipeline.js';
import { RULES } from '../src/rules.js';

const dir = mkdtempSync(join(tmpdir(), 'zdcheck-notree-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('info lines without a base tree', () => {
  it('are one per rule and run, naming what every series left unchecked', async () => {
    // Two series that each add a memory type (and so each leave switches outside their hunks unchecked).
    const mbox = join(dir, 'two.mbox');
    writeFileSync(
      mbox,
      [
        'rules/unhandled-memory-type/fixtures/bad-new-switch.mbox',
        'rules/removed-type-still-used/fixtures/bad-removed-still-used.mbox',
        'rules/kconfig-text-contradicts-model/fixtures/bad-series-documented-type.mbox',
      ]
        .map((f) => readFileSync(f, 'utf8').replace(/\n*$/, '\n\n'))
        .join(''),
    );
    const r = await check([{ kind: 'path', path: mbox }], { tree: null, kernel: null, rules: RULES });
    expect(r.collection.series.length).toBe(3);
    const info = r.findings.filter((f) => f.severity === 'info');
    const perRule = new Map<string, number>();
    for (const f of info) perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
    expect([...perRule.values()].every((n) => n === 1)).toBe(true);
    const unhandled = info.find((f) => f.rule === 'unhandled-memory-type')!;
    expect([unhandled.series, unhandled.patch]).toEqual([null, null]);
    expect(unhandled.message).toBe(
      'switches over enum memory_type outside the hunks of 2 series could not be checked for MEMORY_DEVICE_FABRIC ' +
        '(no base tree; give --tree or check a git range)',
    );
    const removed = info.find((f) => f.rule === 'removed-type-still-used')!;
    expect(removed.series).not.toBeNull();
    expect(removed.message).toContain("outside the series' hunks");
  });
});
