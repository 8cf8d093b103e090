// zdcheck as b4's per-patch check command, the contract stated without b4. b4 (0.13+: `b4 prep
// --check`) runs `b4.prep-perpatch-check-cmd` split like a shell would (shlex, no shell), in the
// top of the work tree, with one patch on stdin, and classifies: any stdout line containing
// `ERROR:` fails the patch, other lines warn, anything on stderr fails, no output at all passes
// unless the exit status is not 0 (b4 0.14.2's LoreMessage.run_local_check). This test plays b4's
// part; test/b4-real.test.ts runs the real b4 (scripts/get-b4.sh).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitEnv, makeRepo, type TempRepo } from './helpers/gitrepo.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'zdcheck.js');
const SOB = 'Signed-off-by: Test Author <author@example.invalid>';
/** The b4 guide's (docs/b4.md) git-config value, with the installed binary's path. */
const CHECK_CMD = [
  process.execPath,
  BIN,
  '--format',
  'checkpatch',
  '-q',
  '--terse',
  '--no-summary',
  '--mailback',
  '--showfile',
  '-',
];

type Verdict = { state: 'ok' | 'warn' | 'fail'; lines: string[] };

/** What b4's check does with one patch and one per-patch command. */
function b4Check(patch: string, cwd: string): Verdict {
  const r = spawnSync(CHECK_CMD[0]!, CHECK_CMD.slice(1), { cwd, input: patch, encoding: 'utf8', env: gitEnv() });
  if (r.stderr.trim() !== '') return { state: 'fail', lines: r.stderr.trim().split('\n') };
  const lines = r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n');
  if (lines.some((l) => l.includes('ERROR:'))) return { state: 'fail', lines };
  if (lines.length === 0 && r.status !== 0) return { state: 'fail', lines: [`Exited with error code ${r.status}`] };
  return { state: lines.length ? 'warn' : 'ok', lines };
}

let repo: TempRepo;
let out: string;
const patch: Record<'clean' | 'error' | 'warning', string> = { clean: '', error: '', warning: '' };
beforeAll(() => {
  repo = makeRepo({ prefix: 'zdcheck-b4-' });
  repo.commit(`mm/foo: base\n\n${SOB}`, {
    'mm/foo.c': '#include <linux/mm.h>\n\nint foo(struct page *page)\n{\n\treturn 0;\n}\n',
  });
  repo.commit(`mm/foo: clean\n\nClean.\n\n${SOB}`, {
    'mm/foo.c': '#include <linux/mm.h>\n\nint foo(struct page *page)\n{\n\treturn 1;\n}\n',
  });
  repo.commit(`mm/foo: test device private pages\n\nA test.\n\n${SOB}`, {
    'mm/foo.c':
      '#include <linux/mm.h>\n\nint foo(struct page *page)\n{\n\tif (is_device_private_page)\n\t\treturn 2;\n\treturn 1;\n}\n',
  });
  out = mkdtempSync(join(tmpdir(), 'zdcheck-b4-out-'));
  // b4 hands each patch as its own message, made like format-patch.
  repo.git('format-patch', '-q', '-o', out, 'HEAD~2');
  const files = readdirSync(out)
    .sort()
    .map((f) => readFileSync(join(out, f), 'utf8'));
  patch.clean = files[0]!;
  patch.error = files[1]!;
  // A warning only: mm/ patches should go to linux-mm (list-not-copied), addressed elsewhere.
  patch.warning = files[0]!.replace(/^(Subject: .*)$/m, 'To: someone@example.invalid\n$1');
});
afterAll(() => {
  repo.cleanup();
  rmSync(out, { recursive: true, force: true });
});

describe('zdcheck as b4.prep-perpatch-check-cmd', () => {
  it('a clean patch: no output at all, so b4 marks it ok', () => {
    expect(b4Check(patch.clean, repo.dir)).toEqual({ state: 'ok', lines: [] });
  });

  it('an error fails the patch: one checkpatch --terse --showfile line with ERROR:', () => {
    const v = b4Check(patch.error, repo.dir);
    expect(v.state).toBe('fail');
    expect(v.lines).toEqual([
      'mm/foo.c:5: ERROR:uncalled-predicate: is_device_private_page is a function used as a truth value without being called: the test is always true',
    ]);
  });

  it('a warning only warns', () => {
    const v = b4Check(patch.warning, repo.dir);
    expect(v.state, v.lines.join('\n')).toBe('warn');
    expect(v.lines).toHaveLength(1);
    expect(v.lines[0]).toMatch(/^:\d+: WARNING:list-not-copied: /);
  });

  it('a patch the mail alone could not judge is never a green dot: one NOTE line, which b4 shows as a warning', () => {
    // As b4 pipes a patch: no mbox From_ line.
    const unseen = readFileSync(
      join(ROOT, 'rules/missing-config-stub/fixtures/bad-if-line-not-shown.mbox'),
      'utf8',
    ).replace(/^From .*\n/, '');
    const v = b4Check(unseen, repo.dir);
    expect(v.state, v.lines.join('\n')).toBe('warn');
    expect(v.lines).toEqual([
      expect.stringMatching(/^NOTE: not everything could be checked from the mail alone \(missing-config-stub\); /),
    ]);
    // Two rules that could not judge (a memory type added, another removed): still one line.
    const mbox = readFileSync(join(ROOT, 'fixtures/examples/device-public.mbox'), 'utf8');
    const parts = mbox.split(/^(?=From \S+ +\w{3} \w{3} )/m);
    const first = parts.find((m) => /^Subject: \[PATCH 1\/4\]/m.test(m))!.replace(/^From .*\n/, '');
    const both = b4Check(first, repo.dir);
    expect(both.lines.filter((l) => l.startsWith('NOTE:'))).toEqual([
      expect.stringMatching(
        /\((unhandled-memory-type, removed-type-still-used|removed-type-still-used, unhandled-memory-type)\)/,
      ),
    ]);
  });

  it("b4's git-config line in docs/b4.md is the command tested here", () => {
    const guide = readFileSync(join(ROOT, 'docs', 'b4.md'), 'utf8');
    expect(guide).toContain(
      'prep-perpatch-check-cmd = zdcheck --format checkpatch -q --terse --no-summary --mailback --showfile -',
    );
  });
});

describe('the checkpatch shapes', () => {
  const run = (args: string[], input: string) =>
    spawnSync(process.execPath, [BIN, '--format', 'checkpatch', ...args], {
      cwd: repo.dir,
      input,
      encoding: 'utf8',
      env: gitEnv(),
    });
  const errorLine = (n: number) =>
    patch.error.split('\n').findIndex((l) => l === '+\tif (is_device_private_page)') + 1 === n;

  it('default: TYPE line, #LINE: FILE: path:line:, the line, the total and the verdict (as checkpatch.pl)', () => {
    const r = run(['-'], patch.error);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ERROR:uncalled-predicate: is_device_private_page is a function/);
    const m = /^#(\d+): FILE: mm\/foo\.c:5:$/.exec(lines[1]!);
    expect(m).not.toBeNull();
    expect(errorLine(Number(m![1]))).toBe(true);
    expect(lines[2]).toBe('+\tif (is_device_private_page)');
    expect(lines[3]).toBe('');
    expect(lines[4]).toBe(`total: 1 errors, 0 warnings, ${patch.error.split('\n').length} lines checked`);
    expect(lines[6]).toBe('"[PATCH 2/2] mm/foo: test device private pages" has style problems, please review.');
    expect(r.status).toBe(1);
  });

  it('--terse: -:LINE: (the input line) and the total; --no-summary drops it', () => {
    const r = run(['--terse', '-'], patch.error);
    const [first, total, ...rest] = r.stdout.split('\n');
    const m = /^-:(\d+): ERROR:uncalled-predicate: /.exec(first!);
    expect(errorLine(Number(m![1]))).toBe(true);
    expect(total).toMatch(/^total: 1 errors, 0 warnings, \d+ lines checked$/);
    expect(rest).toEqual(['']);
    expect(run(['--terse', '--no-summary', '-'], patch.error).stdout.split('\n')).toHaveLength(2);
  });

  it('--git: #LINE is the line of `git format-patch --stdout` of the range, then the + line, as for mail', () => {
    const r = run(['--git', 'HEAD~1'], '');
    const mail = repo.git('format-patch', '--stdout', 'HEAD~1').split('\n');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ERROR:uncalled-predicate: is_device_private_page is a function/);
    const m = /^#(\d+): FILE: mm\/foo\.c:5:$/.exec(lines[1]!);
    expect(m).not.toBeNull();
    expect(mail[Number(m![1]) - 1]).toBe('+\tif (is_device_private_page)');
    expect(lines[2]).toBe('+\tif (is_device_private_page)');
    // --terse names the range's text as checkpatch names format-patch output piped to it: `-`.
    const terse = /^-:(\d+): ERROR:uncalled-predicate: /.exec(run(['--git', 'HEAD~1', '--terse'], '').stdout);
    expect(terse?.[1]).toBe(m![1]);
  });

  it('a file input is named by its path; a clean one is ready for submission; -q is silent when clean', () => {
    const f = join(out, 'clean.patch');
    writeFileSync(f, patch.clean);
    const r = run([f], '');
    expect(r.stdout).toBe(
      `total: 0 errors, 0 warnings, ${patch.clean.split('\n').length} lines checked\n\n${f} has no obvious style problems and is ready for submission.\n`,
    );
    expect(r.status).toBe(0);
    expect(run(['-q', f], '').stdout).toBe('');
  });
});
