// Whole-series checks at send time, with git 2.41's part played by the test: the installed
// sendemail-validate hook is run once per file, from the top of the work tree, with two
// arguments (the file and an SMTP headers file) and GIT_SENDEMAIL_FILE_COUNTER/_TOTAL set.
// The series is made in another clone, so the repository sending it does not have its commits:
// each patch is checked against HEAD, where the helper of 2/5 does not exist yet (a series
// mailed from someone else's tree, or re-sent from mail). When the sender has the commits, each
// patch is checked against its own parent, and the whole series against the parent of its first
// patch, not of the commit the cover letter's `From` line names (the last one). test/sendemail-real.test.ts runs the same through a real git 2.41+
// send-email.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitEnv, makeRepo, type TempRepo } from './helpers/gitrepo.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'zdcheck.js');
const SOB = 'Signed-off-by: Test Author <author@example.invalid>';
const C_BASE = '#include <linux/mm.h>\n\nint foo_count(struct page *page)\n{\n\treturn 0;\n}\n';
const H_BASE = '#ifndef _LINUX_FOO_H\n#define _LINUX_FOO_H\n#endif\n';
const H_HELPER =
  '#ifndef _LINUX_FOO_H\n#define _LINUX_FOO_H\nstruct page;\nstatic inline bool is_foo_page(const struct page *page)\n{\n\treturn false;\n}\n#endif\n';
const C_USE = (call: boolean) =>
  `#include <linux/mm.h>\n#include <linux/foo.h>\n\nint foo_count(struct page *page)\n{\n\tif (${call ? 'is_foo_page(page)' : 'is_foo_page'})\n\t\treturn 1;\n\treturn 0;\n}\n`;

let sender: TempRepo;
let author: TempRepo;
const series: Record<'defect' | 'clean', string[]> = { defect: [], clean: [] };

/** Five patches: 2/5 adds the helper, 4/5 uses it (called, or tested as a bare name). */
function makeSeries(name: 'defect' | 'clean', call: boolean): string[] {
  author.git('checkout', '-q', '-B', name, 'master');
  // Each part touches its own file, so each applies to the sender's HEAD on its own.
  for (let i = 1; i <= 5; i++) {
    const files: Record<string, string> = {};
    if (i === 2) files['include/linux/foo.h'] = H_HELPER;
    else if (i === 4) files['mm/foo.c'] = C_USE(call);
    else files[`mm/step${i}.c`] = `/* step ${i} */\nint step${i};\n`;
    author.commit(`mm/foo: step ${i}\n\nStep ${i} of five.\n\n${SOB}`, files);
  }
  const out = join(author.dir, '..', `${author.dir.split('/').pop()}-${name}`);
  author.git('format-patch', '-q', '--cover-letter', '-o', out, 'master');
  const files = readdirSync(out)
    .sort()
    .map((f) => join(out, f));
  writeFileSync(
    files[0]!,
    readFileSync(files[0]!, 'utf8')
      .replace('*** SUBJECT HERE ***', 'mm/foo: count foo pages')
      .replace('*** BLURB HERE ***', 'Five steps.'),
  );
  return files;
}

beforeAll(() => {
  author = makeRepo({ prefix: 'zdcheck-series-author-' });
  author.commit(`mm/foo: base\n\n${SOB}`, { 'mm/foo.c': C_BASE, 'include/linux/foo.h': H_BASE });
  sender = makeRepo({ prefix: 'zdcheck-series-sender-' });
  sender.commit(`mm/foo: base\n\n${SOB}`, { 'mm/foo.c': C_BASE, 'include/linux/foo.h': H_BASE });
  series.defect = makeSeries('defect', false);
  series.clean = makeSeries('clean', true);
  for (const r of [sender, author]) {
    const install = spawnSync(process.execPath, [BIN, 'install-hook', '--repo', r.dir], {
      encoding: 'utf8',
      env: gitEnv(),
    });
    expect(install.status, install.stderr).toBe(0);
  }
});
afterAll(() => {
  for (const r of [sender, author]) {
    for (const n of ['defect', 'clean']) rmSync(`${r.dir}-${n}`, { recursive: true, force: true });
    r.cleanup();
  }
});

const stateDir = () => join(sender.dir, '.git', 'zdcheck-sendemail');

/** One hook call as git 2.41+ makes it (in the sender's repository unless told). */
function hook(file: string, counter: number, total: number, repo: TempRepo = sender) {
  const headers = join(repo.dir, '.git', 'smtp-headers');
  writeFileSync(headers, 'From: Test Author <author@example.invalid>\nTo: linux-mm@kvack.org\nSubject: s\n');
  return spawnSync(join(repo.dir, '.git', 'hooks', 'sendemail-validate'), [file, headers], {
    cwd: repo.dir,
    encoding: 'utf8',
    env: gitEnv({ GIT_SENDEMAIL_FILE_COUNTER: String(counter), GIT_SENDEMAIL_FILE_TOTAL: String(total) }),
  });
}

/** Plays a whole send: stops at the first refusal, as git does. */
function send(files: string[], repo: TempRepo = sender) {
  const runs = [];
  for (const [i, f] of files.entries()) {
    const r = hook(f, i + 1, files.length, repo);
    runs.push(r);
    if (r.status !== 0) break;
  }
  return runs;
}

describe('send-email hook with git 2.41 counters: the whole series on the last file', () => {
  it('each part of the defective series passes alone; the last file refuses the send, naming the cross-patch defect', () => {
    const runs = send(series.defect);
    expect(runs.length).toBe(6);
    for (const r of runs.slice(0, 5)) expect(r.status, r.stdout + r.stderr).toBe(0);
    const last = runs[5]!;
    expect(last.status, last.stdout + last.stderr).toBe(1);
    expect(last.stdout).toContain('zdcheck: the whole series (6 files):');
    expect(last.stdout).toMatch(
      /\[PATCH 4\/5\] mm\/foo: step 4\nmm\/foo\.c:6: ERROR: uncalled-predicate: is_foo_page is a function used as a truth value/,
    );
    expect(last.stderr).toContain('zdcheck: the series as a whole: 1 error; not sending');
    expect(existsSync(stateDir())).toBe(false);
  });

  it('the same parts checked one by one without counters pass (what git 2.39 can do)', () => {
    const r = spawnSync(join(sender.dir, '.git', 'hooks', 'sendemail-validate'), [series.defect[4]!], {
      cwd: sender.dir,
      encoding: 'utf8',
      env: gitEnv(),
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/series checks at send time .* need git 2\.41 or later/);
  });

  it('a clean series goes through, and the state is removed after the last file', () => {
    const runs = send(series.clean);
    expect(runs.map((r) => r.status)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(runs.map((r) => r.stdout).join('')).not.toMatch(/ERROR/);
    expect(existsSync(stateDir())).toBe(false);
  });

  it('keeps each file under the hash of its content until the last one arrives', () => {
    const runs = send(series.clean.slice(0, 3).map((f) => f)).slice(0, 2);
    expect(runs.every((r) => r.status === 0)).toBe(true);
    // 3 of 3 has run: state gone. Now a send interrupted after 2 of 6.
    hook(series.clean[0]!, 1, 6);
    hook(series.clean[1]!, 2, 6);
    const kept = readdirSync(stateDir()).sort();
    expect(kept.filter((f) => /^[0-9a-f]{64}\.mail$/.test(f)).length).toBe(2);
    expect(kept).toContain('run.json');
  });

  it('a part missing from the send stops it on the last file', () => {
    const missing = [series.clean[0]!, series.clean[1]!, series.clean[2]!, series.clean[4]!, series.clean[5]!];
    const runs = send(missing);
    expect(runs.slice(0, 4).map((r) => r.status)).toEqual([0, 0, 0, 0]);
    expect(runs[4]!.status).toBe(1);
    expect(runs[4]!.stdout).toMatch(/ERROR: series-numbering: part 3 of 5 missing/);
  });

  it("state left by an aborted run is replaced by the next run's first file", () => {
    mkdirSync(stateDir(), { recursive: true });
    writeFileSync(join(stateDir(), 'run.json'), JSON.stringify({ total: 6, files: { 1: 'x', 2: 'y' }, reported: [] }));
    writeFileSync(join(stateDir(), 'stale.mail'), 'junk');
    const runs = send(series.defect);
    expect(runs[5]!.status).toBe(1);
    expect(existsSync(stateDir())).toBe(false);
  });

  it('a file that arrives without the earlier ones on record is checked on its own', () => {
    rmSync(stateDir(), { recursive: true, force: true });
    const r = hook(series.defect[3]!, 4, 6);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('file 4 of 6 arrived without the earlier ones on record');
  });

  it('from the repository that has the commits, a clean series with its cover letter goes through: the whole series is checked against the parent of its first patch', () => {
    // The cover letter's From line names the series' last commit; its parent has parts 1-4 applied.
    author.git('checkout', '-q', 'clean');
    expect(readFileSync(series.clean[0]!, 'utf8').split('\n')[0]).toBe(
      `From ${author.git('rev-parse', 'clean')} Mon Sep 17 00:00:00 2001`,
    );
    const runs = send(series.clean, author);
    expect(
      runs.map((r) => r.status),
      runs.map((r) => r.stdout + r.stderr).join(''),
    ).toEqual([0, 0, 0, 0, 0, 0]);
    expect(runs.map((r) => r.stdout + r.stderr).join('')).not.toMatch(/does-not-apply|ERROR|zdcheck: note/);
  });

  it('from the repository that has the commits, the defect in 4/5 stops the send, and only that defect', () => {
    author.git('checkout', '-q', 'defect');
    const runs = send(series.defect, author);
    const last = runs[runs.length - 1]!;
    expect(last.status).toBe(1);
    expect(last.stdout).toMatch(/\[PATCH 4\/5\] mm\/foo: step 4\nmm\/foo\.c:6: ERROR: uncalled-predicate: is_foo_page/);
    expect(runs.map((r) => r.stdout + r.stderr).join('')).not.toMatch(/does-not-apply|zdcheck: note/);
  });
});
