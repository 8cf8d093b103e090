// zdcheck as b4's per-patch check command, against the real b4 (0.13+: `b4 prep --check`).
// Debian bookworm's b4 is 0.12.0, without `prep --check`; scripts/get-b4.sh unpacks trixie's into
// .cache/b4 (npm test runs it first: scripts/test-tools.sh). $ZDCHECK_B4 names another b4. Without one the test fails: it is
// never skipped. test/b4.test.ts states the same contract without b4.
//
// A prep-managed branch on a small tree of the project's own (rules/uncalled-predicate/fixtures) carries
// four patches: one that adds a memory type (the switches outside its hunks cannot be checked from
// the mail alone: a warning, never a green dot), one with an uncalled predicate (an error), one
// whose sign-off spells the author's name differently (a warning) and a clean one. The b4 guide's
// (docs/b4.md) git-config line is set as written and `b4 prep --check` must report them as warning, failing,
// warning and passing, with zdcheck's findings (rule id, file and line) in its report.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitEnv, makeRepo, type TempRepo } from './helpers/gitrepo.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'zdcheck.js');
const FIXTURES = join(ROOT, 'rules', 'uncalled-predicate', 'fixtures');
const B4 = process.env.ZDCHECK_B4 || join(ROOT, '.cache', 'b4', 'b4');
const GUIDE = readFileSync(join(ROOT, 'docs', 'b4.md'), 'utf8');

/** The guide's shell line, and the value it sets. */
const GUIDE_LINE = /^ {4}(git config b4\.prep-perpatch-check-cmd "(zdcheck [^"]*)")$/m.exec(GUIDE);
/** The guide's config-file line (`[b4]` section). */
const GUIDE_FILE_LINE = /`(prep-perpatch-check-cmd = zdcheck [^`]*)`/.exec(GUIDE);

const UNCHECKED = 'mm/devmem: add a memory type for CPU-coherent device memory';
const ERROR = 'mm/migrate: move pages to and from CPU-coherent device memory';
const WARNING = 'mm/migrate: say why device pages hold one more reference';
const CLEAN = 'mm/migrate: say who holds the extra reference';

// b4's CI_FLAGS_FANCY: the same dot in three colours.
const FLAGS: Record<string, 'success' | 'warning' | 'fail'> = { '32': 'success', '31': 'warning', '31;5': 'fail' };
type PatchVerdict = { flag: string; details: { flag: string; text: string }[] };
type Report = {
  status: number | null;
  stderr: string;
  patches: Map<string, PatchVerdict>;
  summary: string | undefined;
};

let tmp: string;
let home: string;
let repo: TempRepo;
let b4Version = '';

function env(): NodeJS.ProcessEnv {
  // b4 keeps a cache of check results (keyed by the command and the commit) and reads its
  // settings from git config: a home of its own keeps both out of the user's.
  return gitEnv({
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    PATH: `${join(tmp, 'bin')}:${process.env.PATH}`,
  });
}

function b4(args: string[], cwd = repo.dir) {
  return spawnSync(B4, args, { cwd, env: env(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

/** `b4 prep --check`, its report (on stderr) read back per patch. */
function check(cwd = repo.dir): Report {
  const r = b4(['prep', '--check', '--no-cache'], cwd);
  const patches = new Map<string, PatchVerdict>();
  let current: PatchVerdict | undefined;
  for (const line of r.stderr.split('\n')) {
    const m = /^( *)\x1b\[([0-9;]+)m\u25cf\x1b\[0m (.*)$/.exec(line);
    if (!m) continue;
    const flag = FLAGS[m[2]!] ?? `unknown colour ${m[2]}`;
    if (m[1] === '') {
      const subject = /^[0-9a-f]{12}: (.*)$/.exec(m[3]!)?.[1] ?? m[3]!;
      current = { flag, details: [] };
      patches.set(subject, current);
    } else current?.details.push({ flag, text: m[3]! });
  }
  return { status: r.status, stderr: r.stderr, patches, summary: /^Success: .*$/m.exec(r.stderr)?.[0] };
}

function expectVerdicts(rep: Report, cmdName: string) {
  const why = rep.stderr;
  expect(rep.status, why).toBe(0); // b4 exits 0 whatever the checks found
  expect([...rep.patches.keys()], why).toEqual([UNCHECKED, ERROR, WARNING, CLEAN]);
  expect(rep.patches.get(UNCHECKED), why).toEqual({
    flag: 'warning',
    details: [
      {
        flag: 'warning',
        text: `${cmdName}: NOTE: not everything could be checked from the mail alone (unhandled-memory-type); give a base tree with --tree, --strict says what`,
      },
    ],
  });
  expect(rep.patches.get(CLEAN), why).toEqual({ flag: 'success', details: [] });
  const bad = rep.patches.get(ERROR)!;
  expect(bad.flag, why).toBe('fail');
  expect(bad.details, why).toEqual([
    {
      flag: 'fail',
      text: expect.stringMatching(
        new RegExp(
          `^${cmdName}: mm/migrate\\.c:15: ERROR:uncalled-predicate: is_device_public_page is a function used as a truth value`,
        ),
      ),
    },
    // is_device_public_page left the kernel in a release the model has not read both sides of, so
    // api-not-in-kernel cannot say whether the series' kernel has it: said, never a silent pass.
    {
      flag: 'warning',
      text: `${cmdName}: NOTE: not everything could be checked from the mail alone (api-not-in-kernel); give a base tree with --tree, --strict says what`,
    },
  ]);
  const warn = rep.patches.get(WARNING)!;
  expect(warn.flag, why).toBe('warning');
  expect(warn.details, why).toEqual([
    {
      flag: 'warning',
      text: expect.stringMatching(new RegExp(`^${cmdName}: :\\d+: WARNING:signoff-author-mismatch: `)),
    },
  ]);
  // b4 counts each warning line: the not-checked NOTE, the NOTE beside the error, the sign-off warning.
  expect(rep.summary, why).toBe('Success: 1, Warning: 3, Error: 1');
}

/** Why the b4 found is not usable, or '' when it is. */
let b4Problem = '';

/** Every test starts here: without a usable b4 each fails with the same message, none is skipped. */
function needB4(): void {
  if (b4Problem) throw new Error(b4Problem);
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'zdcheck b4 real-'));
  home = join(tmp, 'home');
  mkdirSync(home);
  // `zdcheck` on PATH, as the guide's line names it, and the checkout under a path with a space.
  mkdirSync(join(tmp, 'bin'));
  symlinkSync(BIN, join(tmp, 'bin', 'zdcheck'));
  symlinkSync(ROOT, join(tmp, 'zd check'));

  if (!existsSync(B4)) {
    b4Problem = `no b4 at ${B4}: run scripts/get-b4.sh (it unpacks Debian trixie's b4 into .cache/b4), or set ZDCHECK_B4 to a b4 0.13 or later`;
    return;
  }
  const v = b4(['--version'], tmp);
  b4Version = v.stdout.trim();
  const [maj, min] = b4Version.split('.').map(Number);
  if (v.status !== 0 || !(maj! > 0 || min! >= 13)) {
    b4Problem = `${B4} is not a b4 with \`prep --check\` (0.13 or later): ${b4Version || v.stderr.trim() || v.error?.message}: run scripts/get-b4.sh`;
    return;
  }

  // A failure here fails every test with its reason (a throw in beforeAll would mark them skipped).
  try {
    repo = makeRepo({ prefix: 'zdcheck-b4-real-' });
    repo.git('config', 'user.name', 'Test Author');
    repo.git('config', 'user.email', 'author@example.invalid');
    cpSync(join(FIXTURES, 'tree'), repo.dir, { recursive: true });
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'base tree');
    const prep = b4(['prep', '-n', 'zdcheck-real', '-f', 'master']);
    if (prep.status !== 0) throw new Error(`b4 prep -n: ${prep.stderr.trim()}`);
    // (a) a new memory type and (b) the uncalled predicate: the fixture's two patches, as committed by git am.
    execFileSync('git', ['am', '-q', join(FIXTURES, 'bad-uncalled-in-or.mbox')], {
      cwd: repo.dir,
      env: env(),
      stdio: 'pipe',
    });
    // (c) a warning only: signed off with the author's address under another spelling of the name.
    repo.write(
      'mm/migrate.c',
      readFileSync(join(repo.dir, 'mm', 'migrate.c'), 'utf8') +
        '\n/* A device page is also referenced by its pgmap. */\n',
    );
    repo.git(
      'commit',
      '-q',
      '-a',
      '-m',
      `${WARNING}\n\nSay it.\n\nSigned-off-by: Test A. Author <author@example.invalid>`,
    );
    // (d) clean: a comment, signed off as the author.
    repo.write(
      'mm/migrate.c',
      readFileSync(join(repo.dir, 'mm', 'migrate.c'), 'utf8') + '/* The driver that owns the pgmap holds it. */\n',
    );
    repo.git('commit', '-q', '-a', '-m', `${CLEAN}\n\nSay who.\n\nSigned-off-by: Test Author <author@example.invalid>`);
  } catch (e) {
    b4Problem = `setting up a b4 prep branch with ${B4} failed: ${(e as Error).message}`;
  }
}, 120_000);

afterAll(() => {
  repo?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe(`the real b4 runs zdcheck as prep-perpatch-check-cmd`, () => {
  it(`finds b4 0.13 or later (${B4})`, () => {
    needB4();
    expect(b4Version).toMatch(/^\d+\.\d+/);
  });

  it('docs/b4.md documents the git-config line in both forms', () => {
    expect(GUIDE_LINE, 'docs/b4.md: git config b4.prep-perpatch-check-cmd "zdcheck ..."').not.toBeNull();
    expect(GUIDE_FILE_LINE, 'docs/b4.md: prep-perpatch-check-cmd = zdcheck ...').not.toBeNull();
    expect(GUIDE_FILE_LINE![1]).toBe(`prep-perpatch-check-cmd = ${GUIDE_LINE![2]}`);
  });

  it("the guide's line run as written by a shell: clean passes, the uncalled predicate fails, a warning warns, not checked warns", () => {
    needB4();
    execFileSync('sh', ['-c', GUIDE_LINE![1]!], { cwd: repo.dir, env: env() });
    expect(repo.git('config', '--get-all', 'b4.prep-perpatch-check-cmd')).toBe(GUIDE_LINE![2]);
    expectVerdicts(check(), 'zdcheck');
  });

  it('the same from a subdirectory: b4 runs the command at the top of the work tree', () => {
    needB4();
    repo.git('config', '--replace-all', 'b4.prep-perpatch-check-cmd', GUIDE_LINE![2]!);
    expectVerdicts(check(join(repo.dir, 'mm')), 'zdcheck');
  });

  it("the guide's config-file form in .git/config", () => {
    needB4();
    repo.git('config', '--unset-all', 'b4.prep-perpatch-check-cmd');
    appendFileSync(join(repo.dir, '.git', 'config'), `[b4]\n\t${GUIDE_FILE_LINE![1]}\n`);
    expect(repo.git('config', '--get-all', 'b4.prep-perpatch-check-cmd')).toBe(GUIDE_LINE![2]);
    expectVerdicts(check(), 'zdcheck');
  });

  it('from a checkout: node and the path of bin/zdcheck.js, quoted because it holds a space', () => {
    needB4();
    const value = GUIDE_LINE![2]!.replace(/^zdcheck /, `node '${join(tmp, 'zd check', 'bin', 'zdcheck.js')}' `);
    repo.git('config', '--replace-all', 'b4.prep-perpatch-check-cmd', value);
    expectVerdicts(check(), 'node');
  });
});
