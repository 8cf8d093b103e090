// The Action's `new-only` input: the same baseline judgement as `--new-only`, in-process.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../src/action/run.js';
import { makeRepo, type TempRepo } from './helpers/gitrepo.js';

const SOB = 'Signed-off-by: Test Author <author@example.invalid>';
const NESTED = '\tif (page) {\n\t\tif (is_device_private_page)\n\t\t\treturn 1;\n\t}\n';
const OLD = '\tif (is_device_private_page)\n\t\treturn 1;\n';
const NEW = '\tif (is_zone_device_page)\n\t\treturn 2;\n';
const C = (...b: string[]) => `#include <linux/mm.h>\n\nint foo(struct page *page)\n{\n${b.join('')}\treturn 0;\n}\n`;

let repo: TempRepo;
let out: string;
beforeAll(() => {
  repo = makeRepo({ prefix: 'zdcheck-newonly-action-' });
  repo.commit(`mm/foo: base\n\n${SOB}`, { 'mm/foo.c': C(OLD) });
  repo.git('branch', 'base');
  repo.commit(`mm/foo: a new test\n\nA new test.\n\n${SOB}`, { 'mm/foo.c': C(NESTED, NEW) });
  out = mkdtempSync(join(tmpdir(), 'zdcheck-newonly-action-out-'));
});
afterAll(() => {
  repo.cleanup();
  rmSync(out, { recursive: true, force: true });
});

async function action(newOnly: string) {
  let stdout = '';
  const sarif = join(out, `${newOnly}.sarif`);
  const code = await runAction({
    env: { GITHUB_WORKSPACE: repo.dir, INPUT_BASE: 'base', INPUT_SARIF: sarif, INPUT_NEW_ONLY: newOnly },
    stdout: (t) => {
      stdout += t;
    },
  });
  const results = (
    JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] }
  ).runs[0]!.results;
  return { code, stdout, results };
}

describe('action input new-only', () => {
  it('false (default): the old and the new problem; true: only the new one', async () => {
    const all = await action('false');
    expect(all.results.filter((r) => r.ruleId === 'uncalled-predicate').length).toBe(2);
    const fresh = await action('true');
    expect(fresh.results.map((r) => r.message.text.split(' ')[0])).toEqual(['is_zone_device_page']);
    expect(fresh.stdout).toContain('zdcheck: new-only: 1 finding the base already has not reported');
    expect(fresh.code).toBe(1);
  }, 30_000);

  it('anything but true or false is refused', async () => {
    let stdout = '';
    const code = await runAction({
      env: { GITHUB_WORKSPACE: repo.dir, INPUT_BASE: 'base', INPUT_NEW_ONLY: 'yes' },
      stdout: (t) => {
        stdout += t;
      },
    });
    expect(code).toBe(2);
    expect(stdout).toContain(
      '::error title=zdcheck::input new-only: \\"yes\\" is not true or false'.replace(/\\"/g, '"'),
    );
  });
});
