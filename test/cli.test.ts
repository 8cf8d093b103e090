// The command line end to end: the built bin/zdcheck.js spawned as a user runs it.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, ensureBuilt, patchMail, tempDir, zdcheck as run } from './cli-helpers.js';
import { docPath } from '../src/report/docs.js';

let dir: string;
/** Runs zdcheck; check runs (not the rules/explain subcommands) get the test config. */
const zdcheck: typeof run = (args, opts) =>
  run(
    args[0] === 'rules' || args[0] === 'explain' || args.includes('--config') || config === undefined
      ? args
      : ['--config', config, ...args],
    opts,
  );
let clean: string;
let unsigned: string;
let mismatch: string;
let config: string;

beforeAll(() => {
  ensureBuilt();
  dir = tempDir();
  clean = join(dir, 'clean.patch');
  unsigned = join(dir, 'unsigned.patch');
  mismatch = join(dir, 'mismatch.patch');
  writeFileSync(clean, patchMail({ subject: '[PATCH] mm/memremap: add b' }));
  writeFileSync(unsigned, patchMail({ subject: '[PATCH] mm/memremap: unsigned change', signoff: null }));
  // The author signs off under another address: a warning, not an error.
  writeFileSync(
    mismatch,
    patchMail({ subject: '[PATCH] mm/memremap: other address', signoff: 'Ada Dev <ada@work.example.com>' }),
  );
  // Only the two sign-off rules run, so the expected output does not change as rules are added.
  const listed = JSON.parse(zdcheck(['rules', '--format', 'json']).stdout) as { id: string }[];
  const keep = new Set(['missing-signoff', 'signoff-author-mismatch']);
  config = join(dir, 'zdcheck.json');
  writeFileSync(
    config,
    JSON.stringify({ rules: Object.fromEntries(listed.filter((r) => !keep.has(r.id)).map((r) => [r.id, 'off'])) }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oneErrorLine = (stderr: string) => {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^zdcheck: /);
  expect(stderr).not.toMatch(/\bat .*:\d+:\d+\)?$/m);
  return lines[0]!;
};

describe('exit status', () => {
  it('is 0 with nothing to report', () => {
    const r = zdcheck([clean]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('total: 0 errors, 0 warnings, 1 patches checked\n');
    expect(r.status).toBe(0);
  });

  it('is 1 on an error, with the finding in the checkpatch style', () => {
    const r = zdcheck([unsigned]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^\[PATCH\] mm\/memremap: unsigned change\nERROR: missing-signoff: /);
    expect(r.stdout).toMatch(/\ntotal: 1 errors, 0 warnings, 1 patches checked\n$/);
  });

  it('follows --fail-on', () => {
    expect(zdcheck([unsigned, '--fail-on', 'never']).status).toBe(0);
    const warned = zdcheck([mismatch]);
    expect(warned.stdout).toContain('WARNING: signoff-author-mismatch: ');
    expect(warned.status).toBe(0);
    expect(zdcheck([mismatch, '--fail-on', 'warning']).status).toBe(1);
    expect(zdcheck([clean, '--fail-on', 'warning']).status).toBe(0);
  });

  it('is 2 with one line for an unknown flag, a bad choice, a missing file, no input', () => {
    let r = zdcheck(['--frobnicate', clean]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toBe("zdcheck: unknown option '--frobnicate'");
    expect(r.stdout).toBe('');
    r = zdcheck(['--formt', 'json', clean]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toBe("zdcheck: unknown option '--formt' (Did you mean --format?)");
    r = zdcheck(['--format', 'xml', clean]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toContain("'xml' is invalid");
    r = zdcheck([join(dir, 'nope.mbox')]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toBe(`zdcheck: ${join(dir, 'nope.mbox')}: no such file or directory`);
    r = zdcheck([]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/^zdcheck: no input/);
    r = zdcheck(['--tree', join(dir, 'no-tree'), clean]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toBe(`zdcheck: --tree ${join(dir, 'no-tree')}: no such file or directory`);
  });

  it('is 2 with one line for unusable input: empty, binary', () => {
    const empty = join(dir, 'empty.mbox');
    writeFileSync(empty, '');
    let r = zdcheck([empty]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toContain(empty);
    const binary = join(dir, 'x.bin');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3]));
    r = zdcheck([binary]);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toContain(binary);
  });

  it('is 2 with one line when the report cannot be written (a full disk), and all of it through a slow pipe', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'fixtures/examples/device-public.mbox'], {
        cwd: ROOT,
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      expect(r.status).toBe(2);
      expect(oneErrorLine(r.stderr)).toBe('zdcheck: cannot write the output (ENOSPC)');
    } finally {
      closeSync(full);
    }
    // The process ends as soon as its output is written: a reader that takes its time still gets all of it.
    const json = run(['--format', 'json', 'fixtures/examples/device-public.mbox']).stdout;
    const piped = spawnSync(
      'sh',
      ['-c', `"$0" "$1" --format json fixtures/examples/device-public.mbox | (sleep 1; cat)`, process.execPath, BIN],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    expect(piped.stdout).toBe(json);
  });

  it('prints help and version with exit 0', () => {
    const help = zdcheck(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--fail-on <severity>');
    expect(help.stdout).toContain('explain <rule-id>');
    const version = zdcheck(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});

describe('a [PATCH] mail with no diff', () => {
  it('is a warning on that mail, not a silent "0 patches checked"', () => {
    const r = run(['--fail-on', 'warning', 'rules/patch-without-diff/fixtures/bad-diff-left-out.mbox']);
    expect(r.stdout).toBe(
      [
        '[PATCH] mm/memremap: warn once on an unknown pgmap type',
        'WARNING: patch-without-diff: tagged as a patch but carries no diff zdcheck (or git am) could read; nothing in it was checked',
        '',
        'total: 0 errors, 1 warnings, 0 patches checked',
        '',
      ].join('\n'),
    );
    expect(r.status).toBe(1);
    // A cover letter and a reply carry no diff either, and are not patches.
    expect(run(['rules/patch-without-diff/fixtures/good-cover-letter.mbox']).stdout).toBe(
      'total: 0 errors, 0 warnings, 1 patches checked\n',
    );
  });
});

describe('inputs and outputs', () => {
  it('reads standard input for -', () => {
    const r = zdcheck(['-'], { input: readFileSync(unsigned, 'utf8') });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('ERROR: missing-signoff: ');
  });

  it('writes the report to --output and nothing to stdout; the exit status stays', () => {
    const out = join(dir, 'report.txt');
    const r = zdcheck([unsigned, '--output', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('ERROR: missing-signoff: ');
    const bad = zdcheck([unsigned, '--output', join(dir, 'no', 'such', 'dir', 'r.txt')]);
    expect(bad.status).toBe(2);
    expect(oneErrorLine(bad.stderr)).toMatch(/^zdcheck: --output .*r\.txt: cannot write \(ENOENT\)$/);
  });

  it('writes JSON with the contract keys', () => {
    const r = zdcheck([unsigned, clean, '--format', 'json']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings.length).toBeGreaterThan(0);
    const f = report.findings.find((x: { rule: string }) => x.rule === 'missing-signoff');
    expect(f).toEqual({
      rule: 'missing-signoff',
      severity: 'error',
      message: expect.any(String),
      patch: '[PATCH] mm/memremap: unsigned change',
      file: null,
      line: null,
    });
    expect(report.summary.patches).toBe(2);
  });

  it('writes SARIF that validates against the 2.1.0 schema, with every registered rule described', () => {
    // every rule on: the run describes all of them
    const all = join(dir, 'all-rules.json');
    writeFileSync(all, '{}');
    const r = zdcheck([unsigned, mismatch, '--format', 'sarif', '--config', all]);
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout);
    const require = createRequire(import.meta.url);
    const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
    const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const rules = log.runs[0].tool.driver.rules as {
      id: string;
      fullDescription: { text: string };
      help: { text: string };
      helpUri: string;
    }[];
    const listed = JSON.parse(zdcheck(['rules', '--format', 'json']).stdout) as { id: string }[];
    expect(rules.map((x) => x.id)).toEqual(expect.arrayContaining(listed.map((x) => x.id)));
    for (const rule of rules) {
      expect(rule.fullDescription.text).not.toBe('');
      expect(rule.help.text).not.toBe('');
      expect(rule.helpUri).toMatch(/^(https?|file):/);
    }
    expect(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(
      expect.arrayContaining(['missing-signoff', 'signoff-author-mismatch']),
    );
  });

  it('writes workflow commands and appends the step summary for --format github', () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = zdcheck([unsigned, '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error title=zdcheck missing-signoff::\[PATCH\] mm\/memremap: unsigned change: /m);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## zdcheck\n')).toBe(true);
    expect(md).toContain('| error | missing\\-signoff |');
  });

  it('colours only when asked, or on a terminal (never through a pipe)', () => {
    expect(zdcheck([unsigned]).stdout).not.toContain('\x1b[');
    expect(zdcheck([unsigned, '--color']).stdout).toContain('\x1b[31m\x1b[1mERROR\x1b[0m');
    expect(zdcheck([unsigned, '--color', '--no-color']).stdout).not.toContain('\x1b[');
  });
});

describe('rules and explain', () => {
  it('lists every rule with severity, one line and doc path', () => {
    const r = zdcheck(['rules']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+DESCRIPTION\s+DOC$/);
    const listed = JSON.parse(zdcheck(['rules', '--format', 'json']).stdout) as {
      id: string;
      severity: string;
      description: string;
      doc: string;
      runsOn: string;
    }[];
    expect(listed.map((x) => x.id)).toContain('missing-signoff');
    // Where each runs: the mail checks on every series, the code rules on the ZONE_DEVICE world's.
    expect(listed.find((x) => x.id === 'missing-signoff')?.runsOn).toBe('every-series');
    expect(listed.find((x) => x.id === 'uncalled-predicate')?.runsOn).toBe('zone-device');
    expect(lines).toHaveLength(listed.length + 1);
    for (const rule of listed) {
      expect(rule.doc).toBe(docPath(rule.id));
      expect(
        lines.some(
          (l) =>
            l.startsWith(rule.id + ' ') &&
            l.includes(rule.severity) &&
            l.includes(rule.description) &&
            l.endsWith(rule.doc),
        ),
      ).toBe(true);
    }
  });

  it('explains a rule by printing its doc page; an unknown id is exit 2', () => {
    const listed = JSON.parse(zdcheck(['rules', '--format', 'json']).stdout) as { id: string; doc: string }[];
    let documented = 0;
    for (const rule of listed) {
      let doc: string;
      try {
        doc = readFileSync(join(ROOT, rule.doc), 'utf8');
      } catch {
        continue;
      }
      documented++;
      const r = zdcheck(['explain', rule.id]);
      expect(r.status).toBe(0);
      expect(r.stdout.trimEnd()).toBe(doc.trimEnd());
    }
    expect(documented).toBeGreaterThan(0);
    const r = zdcheck(['explain', 'no-such-rule']);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr)).toBe('zdcheck: unknown rule "no-such-rule" (`zdcheck rules` lists them)');
    expect(zdcheck(['explain']).status).toBe(2);
  });
});
