// The whole-series check at send time under a real git send-email of git 2.41 or later: the one
// that runs sendemail-validate through `git hook run` with GIT_SENDEMAIL_FILE_COUNTER / _TOTAL
// and the SMTP headers file. Debian bookworm's git (2.39) has no such send-email, so Debian
// trixie's git-email script is used with the system's git: scripts/get-git-email.sh (npm test
// runs it first) leaves .cache/git-email/exec-path, and GIT_EXEC_PATH makes `git send-email` run
// it. Without it this test fails: it is never skipped. A local sendmail stand-in records what
// would have gone out.
//
// The series: 1/5, 4/5 and 5/5 change mm/foo.c one after the other, 2/5 adds a helper to
// include/linux/foo.h that 4/5 uses (called, or tested as a bare name: the defect), 3/5 adds a
// file of its own. Sent from the repository that has the commits (a format-patch directory with
// a cover letter, and `git send-email master..topic --cover-letter`), and from one that does not.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitEnv, makeRepo, type TempRepo } from './helpers/gitrepo.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'zdcheck.js');
const EXEC_PATH = join(ROOT, '.cache', 'git-email', 'exec-path');
const SOB = 'Signed-off-by: Test Author <author@example.invalid>';

const C_BASE = '#include <linux/mm.h>\n\nint foo_count(struct page *page)\n{\n\treturn 0;\n}\n';
const C_SEEN =
  '#include <linux/mm.h>\n\nstatic int foo_seen;\n\nint foo_count(struct page *page)\n{\n\tfoo_seen++;\n\treturn 0;\n}\n';
const C_USE = (call: boolean) =>
  `#include <linux/mm.h>\n#include <linux/foo.h>\n\nstatic int foo_seen;\n\nint foo_count(struct page *page)\n{\n\tfoo_seen++;\n\tif (${call ? 'is_foo_page(page)' : 'is_foo_page'})\n\t\treturn 1;\n\treturn 0;\n}\n`;
// foo_total has a user (an initcall): a function nothing uses is unused-new-function's.
const C_TOTAL = (call: boolean) =>
  `${C_USE(call)}\nint foo_total(void)\n{\n\treturn foo_seen;\n}\nlate_initcall(foo_total);\n`;
const H_BASE = '#ifndef _LINUX_FOO_H\n#define _LINUX_FOO_H\n#endif\n';
const H_HELPER =
  '#ifndef _LINUX_FOO_H\n#define _LINUX_FOO_H\nstruct page;\nstatic inline bool is_foo_page(const struct page *page)\n{\n\treturn false;\n}\n#endif\n';
const COVER_SUBJECT = 'mm/foo: count foo pages';

let tmp: string;
let author: TempRepo;
let elsewhere: TempRepo;
const dirs: Record<'clean' | 'defect', string[]> = { clean: [], defect: [] };

function makeBranch(name: 'clean' | 'defect'): void {
  const call = name === 'clean';
  author.git('checkout', '-q', '-B', name, 'master');
  const steps: Record<string, string>[] = [
    { 'mm/foo.c': C_SEEN },
    { 'include/linux/foo.h': H_HELPER },
    { 'mm/step3.c': '/* step 3 */\nint step3;\n' },
    { 'mm/foo.c': C_USE(call) },
    { 'mm/foo.c': C_TOTAL(call) },
  ];
  steps.forEach((files, i) => author.commit(`mm/foo: step ${i + 1}\n\nStep ${i + 1} of five.\n\n${SOB}`, files));
  const out = join(tmp, `out-${name}`);
  author.git('format-patch', '-q', '--cover-letter', '-o', out, `master..${name}`);
  const files = readdirSync(out)
    .sort()
    .map((f) => join(out, f));
  writeFileSync(files[0]!, fillCover(readFileSync(files[0]!, 'utf8')));
  dirs[name] = files;
}

const fillCover = (text: string): string =>
  text.replace('*** SUBJECT HERE ***', COVER_SUBJECT).replace('*** BLURB HERE ***', 'Five steps.');

beforeAll(() => {
  if (!existsSync(join(EXEC_PATH, 'git-send-email'))) {
    throw new Error(
      `${EXEC_PATH}: missing; run scripts/get-git-email.sh (npm test runs it through scripts/test-tools.sh)`,
    );
  }
  tmp = mkdtempSync(join(tmpdir(), 'zdcheck-sendemail-real-'));
  // The sendmail stand-in, and the editor `--annotate` opens: it writes the cover letter.
  writeFileSync(join(tmp, 'sendmail'), `#!/bin/sh\ncat >> '${join(tmp, 'sent')}'\n`, { mode: 0o755 });
  writeFileSync(
    join(tmp, 'editor'),
    `#!/bin/sh\nfor f in "$@"; do sed -i -e 's|\\*\\*\\* SUBJECT HERE \\*\\*\\*|${COVER_SUBJECT}|' -e 's|\\*\\*\\* BLURB HERE \\*\\*\\*|Five steps.|' "$f"; done\n`,
    { mode: 0o755 },
  );
  author = makeRepo({ prefix: 'zdcheck-real-author-' });
  author.commit(`mm/foo: base\n\n${SOB}`, { 'mm/foo.c': C_BASE, 'include/linux/foo.h': H_BASE });
  makeBranch('defect');
  makeBranch('clean');
  // Same files at its base, other commits: the series' commits are not in it.
  elsewhere = makeRepo({ prefix: 'zdcheck-real-elsewhere-' });
  elsewhere.commit(`mm/foo: the same base, committed elsewhere\n\n${SOB}`, {
    'mm/foo.c': C_BASE,
    'include/linux/foo.h': H_BASE,
  });
  for (const r of [author, elsewhere]) {
    const install = spawnSync(process.execPath, [BIN, 'install-hook', '--repo', r.dir], {
      encoding: 'utf8',
      env: gitEnv(),
    });
    expect(install.status, install.stderr).toBe(0);
  }
});
afterAll(() => {
  author?.cleanup();
  elsewhere?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface Sent {
  status: number | null;
  out: string;
  stderr: string;
  /** Subjects of the mail that went out. */
  subjects: string[];
}

function sendEmail(repo: TempRepo, ...args: string[]): Sent {
  const sent = join(tmp, 'sent');
  rmSync(sent, { force: true });
  const r = spawnSync(
    'git',
    [
      'send-email',
      '--to=linux-mm@kvack.org',
      '--from=Test Author <author@example.invalid>',
      '--confirm=never',
      '--suppress-cc=all',
      `--smtp-server=${join(tmp, 'sendmail')}`,
      ...args,
    ],
    {
      cwd: repo.dir,
      encoding: 'utf8',
      // TMPDIR: where send-email formats a revision range; removed with the rest.
      env: gitEnv({ GIT_EXEC_PATH: EXEC_PATH, GIT_EDITOR: join(tmp, 'editor'), TMPDIR: tmp }),
    },
  );
  const mail = existsSync(sent) ? readFileSync(sent, 'utf8') : '';
  return {
    status: r.status,
    out: r.stdout + r.stderr,
    stderr: r.stderr,
    subjects: [...mail.matchAll(/^Subject: (.*)$/gm)].map((m) => m[1]!),
  };
}

const SUBJECTS = [`[PATCH 0/5] ${COVER_SUBJECT}`, ...[1, 2, 3, 4, 5].map((i) => `[PATCH ${i}/5] mm/foo: step ${i}`)];
const DEFECT =
  /\[PATCH 4\/5\] mm\/foo: step 4\nmm\/foo\.c:9: ERROR: uncalled-predicate: is_foo_page is a function used as a truth value/;
const withoutPart3 = (files: string[]): string[] => files.filter((f) => !/\/0003-/.test(f));

describe('real git send-email (2.41+), from the repository that has the commits', () => {
  it('is the newer send-email: the hook gets the counters and checks the whole series', () => {
    const r = sendEmail(author, '--dry-run', ...dirs.clean);
    expect(r.status, r.out).toBe(0);
    expect(r.out).not.toMatch(/need git 2\.41 or later/);
    expect(r.out).toContain('X-Mailer: git-send-email 2.');
  });

  it('a clean 5-patch series with its cover letter goes out (format-patch directory)', () => {
    const r = sendEmail(author, ...dirs.clean);
    expect(r.out).not.toMatch(/does-not-apply|ERROR|rejected/);
    // The base is the patches' own parent: nothing to say about it.
    expect(r.out).not.toMatch(/zdcheck: note/);
    expect(r.status, r.out).toBe(0);
    expect(r.subjects).toEqual(SUBJECTS);
  });

  it('a defect in 4/5 that needs 2/5 is stopped, for that defect alone', () => {
    const r = sendEmail(author, ...dirs.defect);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(DEFECT);
    expect(r.out).not.toMatch(/does-not-apply/);
    expect(r.stderr).toMatch(/rejected by sendemail-validate hook/);
    expect(r.subjects).toEqual([]);
  });

  it('a series with part 3 left out is stopped on its last file', () => {
    const r = sendEmail(author, ...withoutPart3(dirs.clean));
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('zdcheck: the whole series (5 files):');
    expect(r.out).toMatch(/ERROR: series-numbering: part 3 of 5 missing/);
    expect(r.out).not.toMatch(/does-not-apply/);
    expect(r.subjects).toEqual([]);
  });

  it('git send-email master..clean --cover-letter (send-email formats the range) goes out', () => {
    const r = sendEmail(author, '--annotate', '--cover-letter', 'master..clean');
    expect(r.out).not.toMatch(/does-not-apply|ERROR|rejected|zdcheck: note/);
    expect(r.status, r.out).toBe(0);
    expect(r.subjects).toEqual(SUBJECTS);
  });

  it('git send-email master..defect --cover-letter is stopped at 4/5', () => {
    const r = sendEmail(author, '--annotate', '--cover-letter', 'master..defect');
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(DEFECT);
    expect(r.out).not.toMatch(/does-not-apply/);
    expect(r.subjects).toEqual([]);
  });
});

describe('real git send-email (2.41+), from a repository without the commits', () => {
  it('a clean series goes out, checked against HEAD, which the note names', () => {
    const head = elsewhere.git('rev-parse', 'HEAD');
    const r = sendEmail(elsewhere, ...dirs.clean);
    expect(r.out).not.toMatch(/does-not-apply|ERROR|rejected/);
    expect(r.out).toContain(
      `zdcheck: note: the whole series (6 files): its commits are not in this repository; checked against HEAD (${head.slice(0, 12)}), which it applies to`,
    );
    expect(r.status, r.out).toBe(0);
    expect(r.subjects).toEqual(SUBJECTS);
  });

  it("each part passes alone; the last file stops the defect 4/5 makes with 2/5's helper", () => {
    const r = sendEmail(elsewhere, ...dirs.defect);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('zdcheck: the whole series (6 files):');
    expect(r.out).toMatch(DEFECT);
    expect(r.out).not.toMatch(/does-not-apply/);
    expect(r.subjects).toEqual([]);
  });

  it('part 3 left out is stopped', () => {
    const r = sendEmail(elsewhere, ...withoutPart3(dirs.clean));
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/ERROR: series-numbering: part 3 of 5 missing/);
    expect(r.subjects).toEqual([]);
  });

  it('a branch whose own commit conflicts: checked against the merge base with its upstream, which the note names', () => {
    const base = elsewhere.git('rev-parse', 'HEAD');
    elsewhere.git('checkout', '-q', '-b', 'work');
    elsewhere.git('branch', '-q', '--set-upstream-to=master');
    elsewhere.commit(`mm/foo: a local change\n\n${SOB}`, {
      'mm/foo.c': C_BASE.replace('#include <linux/mm.h>\n', '#include <linux/mm.h>\n#include <linux/kernel.h>\n'),
    });
    try {
      const r = sendEmail(elsewhere, ...dirs.clean);
      expect(r.out).not.toMatch(/does-not-apply|ERROR|rejected/);
      expect(r.out).toContain(
        `zdcheck: note: the whole series (6 files): its commits are not in this repository; checked against the merge base of HEAD and master (${base.slice(0, 12)}), which it applies to`,
      );
      expect(r.status, r.out).toBe(0);
      expect(r.subjects).toEqual(SUBJECTS);
    } finally {
      execFileSync('git', ['checkout', '-q', 'master'], { cwd: elsewhere.dir, env: gitEnv() });
    }
  });
});
