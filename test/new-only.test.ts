// --new-only: a finding the base already has is hidden, one the range adds is shown, even when
// the range moves the old one to another line.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitEnv, makeRepo, type TempRepo } from './helpers/gitrepo.js';

const BIN = join(resolve(import.meta.dirname, '..'), 'bin', 'zdcheck.js');
const SOB = 'Signed-off-by: Test Author <author@example.invalid>';
const OLD = '\tif (is_device_private_page)\n\t\treturn 1;\n';
const NEW = '\tif (is_zone_device_page)\n\t\treturn 2;\n';
// The old problem re-indented into a block: its line is added by the range, so the range reports it.
const NESTED = '\tif (page) {\n\t\tif (is_device_private_page)\n\t\t\treturn 1;\n\t}\n';
const C = (...bodies: string[]) =>
  `#include <linux/mm.h>\n\nint foo(struct page *page)\n{\n${bodies.join('')}\treturn 0;\n}\n`;

let repo: TempRepo;
beforeAll(() => {
  repo = makeRepo({ prefix: 'zdcheck-newonly-' });
  repo.commit(`mm/foo: base with an old problem\n\n${SOB}`, { 'mm/foo.c': C(OLD) });
  // The range rewrites the old problem's line (re-indented, one line further down) and adds a new problem.
  repo.commit(`mm/foo: a new test\n\nA new test.\n\n${SOB}`, { 'mm/foo.c': C(NESTED, NEW) });
});
afterAll(() => repo.cleanup());

const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, '--git', 'HEAD~1..HEAD', '--repo', repo.dir, '--format', 'json', ...args], {
    encoding: 'utf8',
    env: gitEnv(),
  });

type J = { findings: { rule: string; file: string; line: number; message: string }[] };

describe('--new-only', () => {
  it('without it the range shows both the old and the new problem (the old one is on a line the range rewrites)', () => {
    const j = JSON.parse(run().stdout) as J;
    expect(j.findings.filter((f) => f.rule === 'uncalled-predicate').map((f) => f.message.split(' ')[0])).toEqual([
      'is_device_private_page',
      'is_zone_device_page',
    ]);
  });

  it('hides the finding the base has (matched by its line, though the line number moved) and shows the new one', () => {
    const r = run('--new-only');
    const j = JSON.parse(r.stdout) as J;
    expect(j.findings.map((f) => [f.rule, f.file, f.line, f.message.split(' ')[0]])).toEqual([
      ['uncalled-predicate', 'mm/foo.c', 9, 'is_zone_device_page'],
    ]);
    expect(r.status).toBe(1);
  });

  it('a second copy of an old problem is new', () => {
    const r2 = makeRepo({ prefix: 'zdcheck-newonly2-' });
    try {
      r2.commit(`mm/foo: base\n\n${SOB}`, { 'mm/foo.c': C(OLD) });
      r2.commit(`mm/foo: copy\n\nCopy.\n\n${SOB}`, { 'mm/foo.c': C(NESTED, NESTED) });
      const j = JSON.parse(
        spawnSync(
          process.execPath,
          [BIN, '--git', 'HEAD~1..HEAD', '--repo', r2.dir, '--format', 'json', '--new-only'],
          { encoding: 'utf8', env: gitEnv() },
        ).stdout,
      ) as J;
      expect(j.findings.filter((f) => f.rule === 'uncalled-predicate').length).toBe(1);
    } finally {
      r2.cleanup();
    }
  });

  it('needs --git', () => {
    const r = spawnSync(process.execPath, [BIN, '--new-only', 'fixtures/examples/series.mbox'], {
      encoding: 'utf8',
      cwd: resolve(import.meta.dirname, '..'),
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'zdcheck: --new-only needs --git <range>: the base of the range is what findings are compared with\n',
    );
  });
});
