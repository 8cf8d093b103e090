import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyConfig,
  findConfig,
  loadConfig,
  loadConfigFile,
  mergeOptions,
  validateConfig,
} from '../src/config/index.js';
import { defineRule, type Rule } from '../src/engine/rule.js';
import { runRules } from './helpers/run-rules.js';
import { UsageError } from '../src/errors.js';
import type { Collection } from '../src/types.js';
import { patchMail, zdcheck } from './cli-helpers.js';
import { SAY, say } from './helpers/say.js';

const rule = (id: string, severity: 'error' | 'warning' | 'info', reportAs?: 'error' | 'warning' | 'info'): Rule =>
  defineRule({
    meta: { id, severity, description: id, scope: 'input', messages: SAY },
    check: (ctx) => ctx.report({ ...say(`from ${id}`), ...(reportAs ? { severity: reportAs } : {}) }),
  });
const RULESET = [rule('alpha', 'error'), rule('beta', 'warning'), rule('gamma', 'warning', 'info')];
const IDS = RULESET.map((r) => r.meta.id);
const collection: Collection = { series: [], stray: [], unreadable: [], gitBase: null };

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'zdcheck-config-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const usage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected a UsageError');
};

describe('validateConfig', () => {
  it('reads rules, kernel, tree (relative to the file) and waivers', () => {
    const c = validateConfig(
      {
        $schema: 'x',
        rules: { alpha: 'off', beta: 'error' },
        kernel: 'v6.10-rc2',
        tree: '../linux',
        waivers: [{ rule: 'beta', reason: 'known', file: 'mm/memremap.c', commit: 'abcdef0' }],
      },
      '/proj/sub/.zdcheck.json',
      IDS,
    );
    expect(c.rules).toEqual({ alpha: 'off', beta: 'error' });
    expect(c.kernel).toBe('v6.10-rc2');
    expect(c.tree).toBe('/proj/linux');
    expect(c.waivers).toHaveLength(1);
  });

  it('takes the kernel versions the model reads', () => {
    for (const kernel of ['6.1', 'v6.10-rc2', '6.1.4', 'next-20240105']) {
      expect(validateConfig({ kernel }, '/p/.zdcheck.json', IDS).kernel).toBe(kernel);
    }
  });

  it('treats an empty document as an empty config', () => {
    expect(validateConfig(null, '/p/.zdcheck.yml', IDS).rules).toEqual({});
  });

  it.each([
    [{ rules: { nope: 'off' } }, /\/p\/\.zdcheck\.json: rules: unknown rule id "nope"/],
    [{ rules: { alpha: 'loud' } }, /rules\.alpha: "loud" is not one of off, on, error, warning, info/],
    [{ rules: ['alpha'] }, /"rules" must be an object/],
    [{ rule: {} }, /unknown key "rule"/],
    [{ kernel: 6.1 }, /"kernel" must be a string .*quote it in YAML/],
    [{ kernel: 'latest' }, /"kernel": "latest" is not a version/],
    [{ kernel: 'next-2024' }, /"kernel": "next-2024" is not a version/],
    [{ tree: '' }, /"tree" must be a non-empty path/],
    [{ waivers: {} }, /"waivers" must be a list/],
    [{ waivers: [{ rule: 'alpha' }] }, /waivers\[0\]: "reason" is required/],
    [{ waivers: [{ rule: 'zeta', reason: 'r' }] }, /waivers\[0\]\.rule: unknown rule id "zeta"/],
    [
      { waivers: [{ rule: 'alpha', reason: 'r', commit: 'HEAD' }] },
      /waivers\[0\]\.commit: expected 7 to 40 hex digits/,
    ],
    [[1, 2], /expected an object at the top/],
  ])('refuses %j with one clear line', (raw, re) => {
    expect(usage(() => validateConfig(raw, '/p/.zdcheck.json', IDS))).toMatch(re);
  });
});

describe('finding and loading', () => {
  it('walks up from a sub-folder and stops at the top of the git work tree', () => {
    const outer = tmp();
    writeFileSync(join(outer, '.zdcheck.json'), '{"rules": {"alpha": "off"}}');
    const repo = join(outer, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, 'mm', 'sub'), { recursive: true });
    // The file above the repository is not the repository's config.
    expect(findConfig(join(repo, 'mm', 'sub'))).toBeNull();
    writeFileSync(join(repo, '.zdcheck.yml'), 'rules:\n  beta: "off"\nkernel: "6.8"\n');
    expect(findConfig(join(repo, 'mm', 'sub'))).toBe(join(repo, '.zdcheck.yml'));
    const c = loadConfig(join(repo, 'mm', 'sub'), IDS);
    expect(c).toMatchObject({ rules: { beta: 'off' }, kernel: '6.8', file: join(repo, '.zdcheck.yml') });
  });

  it('returns the empty config when there is none', () => {
    const d = tmp();
    mkdirSync(join(d, '.git'));
    expect(loadConfig(d, IDS)).toMatchObject({ file: null, rules: {}, kernel: null, tree: null });
  });

  it('refuses two config files in one folder', () => {
    const d = tmp();
    writeFileSync(join(d, '.zdcheck.json'), '{}');
    writeFileSync(join(d, '.zdcheck.yaml'), '{}');
    expect(usage(() => findConfig(d))).toMatch(/several config files \(\.zdcheck\.json, \.zdcheck\.yaml\)/);
  });

  it('names the file and the place of a JSON syntax error', () => {
    const d = tmp();
    const f = join(d, '.zdcheck.json');
    writeFileSync(f, '{\n  "rules": {\n    "alpha": "off",\n  }\n}\n');
    expect(usage(() => loadConfigFile(f, IDS))).toMatch(
      new RegExp(`^${f.replace(/[.]/g, '\\.')}: not valid JSON at line 4, column 3`),
    );
  });

  it('names the file and the place of a YAML syntax error, and refuses duplicate keys', () => {
    const d = tmp();
    const f = join(d, '.zdcheck.yml');
    writeFileSync(f, 'rules:\n  alpha: [off\nkernel: "6.8"\n');
    expect(usage(() => loadConfigFile(f, IDS))).toMatch(/\.zdcheck\.yml: not valid YAML at line \d+, column \d+/);
    writeFileSync(f, 'kernel: "6.8"\nkernel: "6.9"\n');
    expect(usage(() => loadConfigFile(f, IDS))).toMatch(/\.zdcheck\.yml: not valid YAML at line 2/);
  });

  it('says when --config names a file that is not there', () => {
    expect(usage(() => loadConfigFile('/nonexistent/zd.json', IDS))).toBe(
      '/nonexistent/zd.json: cannot read config file (no such file)',
    );
  });

  it('validates against the real registry by default', () => {
    const d = tmp();
    const f = join(d, '.zdcheck.json');
    writeFileSync(f, '{"rules": {"surely-not-a-rule": "off"}}');
    expect(usage(() => loadConfigFile(f))).toMatch(/unknown rule id "surely-not-a-rule"/);
  });
});

describe('applyConfig', () => {
  it('drops rules set off and forces overridden severities, keeping registry order', () => {
    const rules = applyConfig(RULESET, { file: null, rules: { alpha: 'off', gamma: 'error', beta: 'on' } });
    expect(rules.map((r) => `${r.meta.id}:${r.meta.severity}`)).toEqual(['beta:warning', 'gamma:error']);
    const findings = runRules(rules, collection, { tree: null, kernel: null });
    // gamma reports at 'info' itself; the override wins.
    expect(findings.map((f) => `${f.rule}:${f.severity}`)).toEqual(['beta:warning', 'gamma:error']);
  });

  it('leaves the rules untouched for the empty config and does not mutate its input', () => {
    const rules = applyConfig(RULESET, { file: null, rules: {} });
    expect(rules).toEqual(RULESET);
    applyConfig(RULESET, { file: null, rules: { alpha: 'warning' } });
    expect(RULESET[0]!.meta.severity).toBe('error');
  });

  it('refuses an id the rules do not have', () => {
    expect(usage(() => applyConfig(RULESET, { file: '/p/.zdcheck.json', rules: { delta: 'off' } }))).toMatch(
      /unknown rule id "delta"/,
    );
  });

  it('lets command-line values win over the file, and says where the kernel came from', () => {
    const file = '/p/.zdcheck.yml';
    expect(mergeOptions({ file, kernel: '6.8', tree: '/t' }, { kernel: '6.10' })).toEqual({
      kernel: '6.10',
      kernelFrom: 'given with --kernel',
      tree: '/t',
    });
    expect(mergeOptions({ file, kernel: '6.8', tree: null }, {})).toEqual({
      kernel: '6.8',
      kernelFrom: 'from the config file .zdcheck.yml',
      tree: null,
    });
    expect(mergeOptions({ file: null, kernel: null, tree: null }, { tree: '/x', kernel: null })).toEqual({
      kernel: null,
      kernelFrom: null,
      tree: '/x',
    });
  });

  it("reports a config file's kernel as coming from the config file, not from --kernel", () => {
    const d = tmp();
    writeFileSync(join(d, '.zdcheck.yml'), 'kernel: "6.1"\n');
    const mbox = join(d, 'one.patch');
    writeFileSync(
      mbox,
      patchMail({ subject: '[PATCH] mm: x' })
        .replace('int a;\n+int b1;', 'enum memory_type {\n+\tMEMORY_DEVICE_FOO,')
        .replace(/mm\/memremap\.c/g, 'include/linux/memremap.h'),
    );
    const r = zdcheck(['--repo', d, '--format', 'json', mbox]);
    const model = JSON.parse(r.stdout).model.series[0];
    expect(model.kernel).toMatchObject({ basis: 'explicit', release: '6.1' });
    expect(model.kernel.reason).toMatch(/^kernel 6\.1 \(from the config file \.zdcheck\.yml\)/);
    expect(
      JSON.parse(zdcheck(['--repo', d, '--kernel', '6.2', '--format', 'json', mbox]).stdout).model.series[0].kernel
        .reason,
    ).toMatch(/^kernel 6\.2 \(given with --kernel\)/);
  });
});
