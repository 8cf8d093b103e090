// --format patchwork: one Patchwork check payload per patch, as JSON lines.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe as describeFindings, DESCRIPTION_LIMIT } from '../src/report/patchwork.js';
import type { Finding } from '../src/types.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'zdcheck.js');

describe('--format patchwork', () => {
  it('one line per patch: state, context, short description, target_url, and the Message-ID to find the patch by', () => {
    const r = spawnSync(
      process.execPath,
      [BIN, '--format', 'patchwork', '--target-url', 'https://ci.example/run/7', 'fixtures/examples/series.mbox'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    for (const l of lines) {
      expect(l['context']).toBe('zdcheck');
      expect(l['target_url']).toBe('https://ci.example/run/7');
      expect(['success', 'warning', 'fail']).toContain(l['state']);
      expect(typeof l['description']).toBe('string');
      expect(l['msgid']).toMatch(/^[^<>]+@example\.org$/);
    }
    const third = lines[2]!;
    expect(third['patch']).toBe('[PATCH 3/3] mm: add Kconfig option for the device page counter');
    expect(third['state']).toBe('fail');
    expect(third['description']).toMatch(/^1 error, \d+ warnings?: .*missing-signoff/);
    expect(r.status).toBe(1);
  });

  it('no target_url unless given; --target-url needs the patchwork format', () => {
    const r = spawnSync(process.execPath, [BIN, '--format', 'patchwork', 'fixtures/examples/series.mbox'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stdout).not.toContain('target_url');
    const bad = spawnSync(process.execPath, [BIN, '--target-url', 'x', 'fixtures/examples/series.mbox'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('zdcheck: --target-url is for --format patchwork\n');
  });

  it('descriptions stay short and on one line', () => {
    const f = (rule: string, severity: Finding['severity']): Finding => ({
      rule,
      severity,
      message: 'm',
      patch: null,
      file: null,
      line: null,
      series: null,
      patchKey: null,
    });
    expect(describeFindings([])).toBe('no problems found');
    expect(describeFindings([f('a', 'info')])).toBe('no problems found');
    expect(describeFindings([f('a', 'error'), f('b', 'warning'), f('a', 'error')])).toBe('2 errors, 1 warning: a, b');
    const many = describeFindings(Array.from({ length: 60 }, (_, i) => f(`rule-number-${i}\n`, 'warning')));
    expect(many.length).toBeLessThanOrEqual(DESCRIPTION_LIMIT);
    expect(many).not.toMatch(/\n/);
  });
});
