// Waivers: in git notes (`git notes --ref=zdcheck`) on the commit and in the config; waived
// findings reported as waived (JSON, SARIF suppressions, text count) and not failing the run;
// a waiver that matched nothing reported as unused-waiver.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { applyWaivers, globToRegExp, parseNote } from '../src/waivers/index.js';
import type { Collection, Finding } from '../src/types.js';
import { gitEnv, makeRepo, type TempRepo } from './helpers/gitrepo.js';

const BIN = join(resolve(import.meta.dirname, '..'), 'bin', 'zdcheck.js');
const SOB = 'Signed-off-by: Test Author <author@example.invalid>';
const C = (test: string) =>
  `#include <linux/mm.h>\n\nint foo(struct page *page)\n{\n\tif (${test})\n\t\treturn 1;\n\treturn 0;\n}\n`;

let repo: TempRepo;
let bad: string;
let unsigned: string;

beforeAll(() => {
  repo = makeRepo({ prefix: 'zdcheck-waiver-' });
  repo.commit(`mm/foo: base\n\n${SOB}`, { 'mm/foo.c': C('page') });
  bad = repo.commit(`mm/foo: test device private pages\n\nA test.\n\n${SOB}`, {
    'mm/foo.c': C('is_device_private_page'),
  });
  unsigned = repo.commit('mm/foo: no sign-off\n\nForgot it.', { 'mm/bar.c': 'int bar;\n' });
});
afterAll(() => repo.cleanup());

function run(...args: string[]) {
  return spawnSync(process.execPath, [BIN, '--git', 'HEAD~2..HEAD', '--repo', repo.dir, ...args], {
    encoding: 'utf8',
    env: gitEnv(),
  });
}

describe('waivers in git notes', () => {
  it('without a waiver, both errors count', () => {
    const r = run('--format', 'json');
    const j = JSON.parse(r.stdout) as { findings: { rule: string; waived?: boolean }[] };
    expect(j.findings.map((f) => f.rule).sort()).toEqual(['missing-signoff', 'uncalled-predicate']);
    expect(r.status).toBe(1);
  });

  it('a note on the commit silences its finding, which is still reported as waived; an unused one is reported', () => {
    repo.git(
      'notes',
      '--ref=zdcheck',
      'add',
      '-f',
      '-m',
      'waive uncalled-predicate mm/foo.c:5 -- reviewed on the list: a deliberate test\nwaive duplicate-enumerator -- nothing like it here',
      bad,
    );
    repo.git(
      'notes',
      '--ref=zdcheck',
      'add',
      '-f',
      '-m',
      'waive missing-signoff -- signed off in the pull request',
      unsigned,
    );
    try {
      const r = run('--format', 'json');
      const j = JSON.parse(r.stdout) as {
        findings: {
          rule: string;
          severity: string;
          message: string;
          patch: string | null;
          waived?: boolean;
          reason?: string;
        }[];
        summary: { errors: number; waived: number };
      };
      const waived = j.findings.filter((f) => f.waived);
      expect(waived.map((f) => [f.rule, f.reason]).sort()).toEqual([
        ['missing-signoff', 'signed off in the pull request'],
        ['uncalled-predicate', 'reviewed on the list: a deliberate test'],
      ]);
      const active = j.findings.filter((f) => !f.waived);
      expect(active.map((f) => f.rule)).toEqual(['unused-waiver']);
      expect(active[0]!.severity).toBe('warning');
      expect(active[0]!.message).toMatch(
        new RegExp(
          `^git notes \\(zdcheck\\) of ${bad.slice(0, 12)} line 2: the waiver for duplicate-enumerator .* matched no finding`,
        ),
      );
      expect(j.summary.errors).toBe(0);
      expect(j.summary.waived).toBe(2);
      expect(r.status).toBe(0);

      // The note is on a commit: its unused waiver is about that commit's patch.
      expect(active[0]!.patch).toBe('[PATCH 1/2] mm/foo: test device private pages');
      const text = run();
      expect(text.stdout).toMatch(/waived: 2 findings accepted by waivers/);
      expect(text.stdout).toMatch(
        /^\[PATCH 1\/2\] mm\/foo: test device private pages\nWARNING: unused-waiver: git notes/m,
      );
      expect(text.stdout).not.toMatch(/^input$/m);
      expect(run('--fail-on', 'warning').status).toBe(1);

      const sarif = JSON.parse(run('--format', 'sarif').stdout) as {
        runs: { results: { ruleId: string; suppressions?: { kind: string; justification: string }[] }[] }[];
      };
      const sup = sarif.runs[0]!.results.filter((x) => x.suppressions);
      expect(sup.map((x) => x.ruleId).sort()).toEqual(['missing-signoff', 'uncalled-predicate']);
      expect(sup.every((x) => x.suppressions![0]!.kind === 'external')).toBe(true);
      expect(sup.find((x) => x.ruleId === 'missing-signoff')!.suppressions![0]!.justification).toMatch(
        /^signed off in the pull request \(git notes/,
      );
    } finally {
      repo.git('notes', '--ref=zdcheck', 'remove', bad, unsigned);
    }
  });

  it("a note on a commit that has no finding at all is unused too, and shown under that commit's patch", () => {
    const clean = repo.commit('mm/baz: clean\n\nClean.\n\n' + SOB, { 'mm/baz.c': 'int baz;\n' });
    repo.git('notes', '--ref=zdcheck', 'add', '-f', '-m', 'waive uncalled-predicate -- fixed since', clean);
    try {
      const r = spawnSync(process.execPath, [BIN, '--git', 'HEAD~3..HEAD', '--repo', repo.dir], {
        encoding: 'utf8',
        env: gitEnv(),
      });
      expect(r.stdout).toMatch(
        /^\[PATCH 3\/3\] mm\/baz: clean\nWARNING: unused-waiver: git notes \(zdcheck\) of [0-9a-f]{12} line 1: the waiver for uncalled-predicate/m,
      );
    } finally {
      repo.git('notes', '--ref=zdcheck', 'remove', clean);
      repo.git('reset', '-q', '--hard', 'HEAD~1');
    }
  });

  it('a note line that is not a waiver waives nothing and says so', () => {
    repo.git('notes', '--ref=zdcheck', 'add', '-f', '-m', 'please ignore this one', bad);
    try {
      const j = JSON.parse(run('--format', 'json').stdout) as {
        findings: { rule: string; message: string; patch: string | null }[];
      };
      expect(j.findings.map((f) => f.rule).sort()).toEqual(['missing-signoff', 'uncalled-predicate', 'unused-waiver']);
      const unused = j.findings.find((f) => f.rule === 'unused-waiver')!;
      expect(unused.message).toMatch(/not a waiver.*waive <rule-id> \[file\[:line\]\] -- reason/);
      expect(unused.patch).toBe('[PATCH 1/2] mm/foo: test device private pages');
    } finally {
      repo.git('notes', '--ref=zdcheck', 'remove', bad);
    }
  });
});

describe('waivers in the config', () => {
  it('by rule and patch subject, and by file glob; unused-waiver can be switched off', () => {
    repo.write(
      '.zdcheck.yml',
      [
        'waivers:',
        '  - rule: missing-signoff',
        '    patch: "mm/foo: no sign-off"',
        '    reason: the maintainer adds it',
        '  - rule: uncalled-predicate',
        '    file: "mm/**"',
        '    reason: known',
        '  - rule: duplicate-enumerator',
        '    file: "mm/*.c"',
        '    reason: stale',
        '',
      ].join('\n'),
    );
    try {
      const j = JSON.parse(run('--format', 'json').stdout) as {
        findings: { rule: string; waived?: boolean; message: string }[];
      };
      expect(j.findings.filter((f) => f.waived).length).toBe(2);
      expect(j.findings.filter((f) => !f.waived).map((f) => f.rule)).toEqual(['unused-waiver']);
      expect(j.findings.find((f) => !f.waived)!.message).toMatch(
        /\.zdcheck\.yml waivers\[2\]: the waiver for duplicate-enumerator \(mm\/\*\.c\)/,
      );
      repo.write(
        '.zdcheck.yml',
        'rules:\n  unused-waiver: "off"\nwaivers:\n  - rule: duplicate-enumerator\n    reason: stale\n',
      );
      expect(
        JSON.parse(run('--format', 'json').stdout)
          .findings.map((f: Finding) => f.rule)
          .sort(),
      ).toEqual(['missing-signoff', 'uncalled-predicate']);
    } finally {
      spawnSync('rm', ['-f', join(repo.dir, '.zdcheck.yml')]);
    }
  });
});

describe('waiver pieces', () => {
  it('parses note lines', () => {
    const p = parseNote(
      '# comment\n\nwaive a-rule mm/x.c:12 -- why\nwaive b-rule -- because\nwaive c-rule mm/*.c -- glob\nnonsense',
      'f'.repeat(40),
    );
    expect(p.waivers.map((w) => [w.rule, w.file, w.line, w.reason])).toEqual([
      ['a-rule', 'mm/x.c', 12, 'why'],
      ['b-rule', undefined, undefined, 'because'],
      ['c-rule', 'mm/*.c', undefined, 'glob'],
    ]);
    expect(p.malformed.map((m) => m.origin)).toEqual([`git notes (zdcheck) of ${'f'.repeat(12)} line 6`]);
  });

  it('globs: * within a segment, ** across', () => {
    expect(globToRegExp('mm/*.c').test('mm/a.c')).toBe(true);
    expect(globToRegExp('mm/*.c').test('mm/x/a.c')).toBe(false);
    expect(globToRegExp('mm/**').test('mm/x/a.c')).toBe(true);
    expect(globToRegExp('**/memremap.h').test('include/linux/memremap.h')).toBe(true);
    expect(globToRegExp('a.c').test('abc')).toBe(false);
  });

  it('a config waiver about files the run never touched is out of reach, not unused', () => {
    const collection: Collection = { series: [], stray: [], unreadable: [], gitBase: null };
    const f: Finding = {
      rule: 'x',
      severity: 'error',
      message: 'm',
      patch: null,
      file: 'mm/a.c',
      line: 1,
      series: null,
      patchKey: null,
    };
    const out = applyWaivers(collection, [f], [{ rule: 'y', reason: 'r', file: 'arch/**', origin: 'cfg' }]);
    expect(out.findings).toEqual([f]);
  });
});
