// The send-email hook end to end: installed with the real CLI into a temporary repository,
// run by the real `git send-email` (git-email), with a local sendmail stand-in so nothing
// leaves the machine. Also git 2.41's two-argument call, played by the test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitEnv, makeRepo, type TempRepo } from './helpers/gitrepo.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'zdcheck.js');
const SOB = 'Signed-off-by: Test Author <author@example.invalid>';
const FILE = (ret: number) => `#include <linux/memremap.h>\n\nint memremap_x(void)\n{\n\treturn ${ret};\n}\n`;

let repo: TempRepo;
let sendmail: string;
let sent: string;
const patches: Record<'cover' | 'good' | 'bad' | 'warn', string> = { cover: '', good: '', bad: '', warn: '' };

beforeAll(() => {
  repo = makeRepo({ prefix: 'zdcheck-sendemail-' });
  repo.commit(`mm: base\n\n${SOB}`, { 'mm/memremap.c': FILE(0) });
  repo.commit(`mm/memremap: return one\n\nA clean patch.\n\n${SOB}`, { 'mm/memremap.c': FILE(1) });
  repo.commit('mm/memremap: return two\n\nNo sign-off: an error.', { 'mm/memremap.c': FILE(2) });
  const out = join(repo.dir, '..', `${repo.dir.split('/').pop()}-out`);
  repo.git('format-patch', '-q', '--cover-letter', '-o', out, 'HEAD~2');
  const files = readdirSync(out)
    .sort()
    .map((f) => join(out, f));
  // The cover letter template would make send-email refuse on its own; give it a subject.
  writeFileSync(
    files[0]!,
    readFileSync(files[0]!, 'utf8')
      .replace('*** SUBJECT HERE ***', 'mm/memremap: return more')
      .replace('*** BLURB HERE ***', 'Two patches.'),
  );
  [patches.cover, patches.good, patches.bad] = files as [string, string, string];
  // A local sendmail stand-in: records what would have been sent.
  sent = join(repo.dir, '.git', 'sent');
  sendmail = join(repo.dir, '.git', 'fake-sendmail');
  writeFileSync(sendmail, `#!/bin/sh\ncat >> '${sent}'\necho '--- sent to:' "$@" >> '${sent}'\n`, { mode: 0o755 });
  const install = spawnSync(process.execPath, [BIN, 'install-hook', '--repo', repo.dir], {
    encoding: 'utf8',
    env: gitEnv(),
  });
  expect(install.stderr).toBe('');
  expect(install.stdout).toBe(`zdcheck: installed ${join(repo.dir, '.git', 'hooks', 'sendemail-validate')}\n`);
  expect(install.status).toBe(0);
});
afterAll(() => {
  repo.cleanup();
  execFileSync('rm', ['-rf', `${repo.dir}-out`]);
});

function sendEmail(...files: string[]) {
  if (existsSync(sent)) execFileSync('rm', [sent]);
  const r = spawnSync(
    'git',
    [
      'send-email',
      '--to=list@example.invalid',
      '--from=Test Author <author@example.invalid>',
      '--confirm=never',
      '--no-chain-reply-to',
      '--suppress-cc=all',
      `--smtp-server=${sendmail}`,
      ...files,
    ],
    {
      cwd: join(repo.dir, 'mm'),
      encoding: 'utf8',
      env: gitEnv(),
    },
  );
  return { ...r, sent: existsSync(sent) ? readFileSync(sent, 'utf8') : '' };
}

describe('git send-email with the installed hook', () => {
  it('git send-email is installed (Debian package git-email)', () => {
    expect(
      spawnSync('git', ['send-email', '-h'], { encoding: 'utf8' }).stdout +
        spawnSync('git', ['send-email', '-h'], { encoding: 'utf8' }).stderr,
    ).toMatch(/send-email/);
  });

  it('sends a clean patch and its cover letter', () => {
    const r = sendEmail(patches.cover, patches.good);
    expect(r.stderr, r.stderr).not.toMatch(/rejected|ERROR|WARNING/);
    // git 2.39 gives no counters: said once per send, not once per file.
    expect(r.stderr.match(/series checks at send time .* need git 2\.41 or later/g)?.length ?? 0, r.stderr).toBe(
      /git version 2\.([0-3]\d|40)\./.test(execFileSync('git', ['--version'], { encoding: 'utf8' })) ? 1 : 0,
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.sent).toContain('Subject: [PATCH 0/2] mm/memremap: return more');
    expect(r.sent).toContain('Subject: [PATCH 1/2] mm/memremap: return one');
  });

  it('refuses the whole send when one patch has an error, naming the rule', () => {
    const r = sendEmail(patches.cover, patches.good, patches.bad);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/ERROR: missing-signoff: no Signed-off-by/);
    expect(r.stderr).toMatch(/rejected by sendemail-validate hook/);
    expect(r.stderr).toMatch(/not sending\. Fix them, or send with git send-email --no-validate/);
    expect(r.sent).toBe('');
  });

  it('checks what send-email formats itself from a revision range', () => {
    const good = sendEmail('HEAD~2..HEAD~1');
    expect(good.status, good.stdout + good.stderr).toBe(0);
    expect(good.sent).toContain('Subject: [PATCH] mm/memremap: return one');
    // --cover-letter --force sends format-patch's unfilled template: the hook stops at it, the first file.
    const template = sendEmail('--cover-letter', '--force', 'HEAD~2..HEAD');
    expect(template.status).not.toBe(0);
    expect(template.stdout + template.stderr).toMatch(/ERROR: cover-letter-template/);
    expect(template.sent).toBe('');
    const bad = sendEmail('HEAD~2..HEAD');
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/ERROR: missing-signoff/);
    expect(bad.sent).toBe('');
  });

  it('--dry-run refuses too, and --no-validate is the way around it', () => {
    const dry = spawnSync(
      'git',
      [
        'send-email',
        '--dry-run',
        '--to=x@example.invalid',
        '--confirm=never',
        `--smtp-server=${sendmail}`,
        patches.bad,
      ],
      {
        cwd: repo.dir,
        encoding: 'utf8',
        env: gitEnv(),
      },
    );
    expect(dry.status).not.toBe(0);
    expect(dry.stderr).toMatch(/rejected by sendemail-validate hook/);
    const r = sendEmail('--no-validate', patches.bad);
    expect(r.status).toBe(0);
    expect(r.sent).toContain('mm/memremap: return two');
  });

  it('obeys the repository config: the error switched to a warning lets the patch go', () => {
    repo.write('.zdcheck.yml', 'rules:\n  missing-signoff: warning\n');
    try {
      const r = sendEmail(patches.bad);
      expect(r.stdout + r.stderr).toMatch(/WARNING: missing-signoff/);
      expect(r.status).toBe(0);
      expect(r.sent).toContain('mm/memremap: return two');
    } finally {
      execFileSync('rm', [join(repo.dir, '.zdcheck.yml')]);
    }
  });

  it('applies a waiver in the config: the waived error lets the patch go, and says it was waived', () => {
    repo.write(
      '.zdcheck.yml',
      'waivers:\n  - rule: missing-signoff\n    patch: "mm/memremap: return two"\n    reason: known\n',
    );
    try {
      const r = sendEmail(patches.bad);
      expect(r.stdout + r.stderr).toMatch(/waived: 1 finding accepted by waivers \(missing-signoff\)/);
      expect(r.stdout + r.stderr).not.toMatch(/ERROR: missing-signoff/);
      expect(r.status, r.stdout + r.stderr).toBe(0);
    } finally {
      execFileSync('rm', [join(repo.dir, '.zdcheck.yml')]);
    }
  });

  it("applies a waiver in the commit's git note: the waived error lets the patch go", () => {
    const bad = repo.git('rev-parse', 'HEAD').trim();
    repo.git('notes', '--ref=zdcheck', 'add', '-m', 'waive missing-signoff -- signed off on the list', bad);
    try {
      const r = sendEmail(patches.bad);
      expect(r.stdout + r.stderr).toMatch(/waived: 1 finding accepted by waivers \(missing-signoff\)/);
      expect(r.stdout + r.stderr).not.toMatch(/ERROR: missing-signoff/);
      expect(r.status, r.stdout + r.stderr).toBe(0);
    } finally {
      repo.git('notes', '--ref=zdcheck', 'remove', bad);
      repo.git('update-ref', '-d', 'refs/notes/zdcheck');
    }
    // Without the note (and its ref), the error stops the send again.
    expect(sendEmail(patches.bad).status).not.toBe(0);
  });

  it('stops the send with one clear line when the config is broken', () => {
    repo.write('.zdcheck.json', '{"rules": {"missing-sign-off": "off"}}');
    try {
      const r = sendEmail(patches.good);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(
        `zdcheck: ${join(repo.dir, '.zdcheck.json')}: rules: unknown rule id "missing-sign-off"`,
      );
      expect(r.sent).toBe('');
    } finally {
      execFileSync('rm', [join(repo.dir, '.zdcheck.json')]);
    }
  });
});

describe('how this git calls sendemail-validate (the facts the hook relies on)', () => {
  it('passes one argument before git 2.41 and two from 2.41 on, from the top of the work tree', () => {
    const r = makeRepo({ prefix: 'zdcheck-hookargs-' });
    try {
      r.commit('base', { 'a.txt': 'a\n' });
      r.commit(`change\n\n${SOB}`, { 'a.txt': 'b\n' });
      const log = join(r.dir, '.git', 'hook-log');
      writeFileSync(
        join(r.dir, '.git', 'hooks', 'sendemail-validate'),
        `#!/bin/sh\nprintf '%s\\n' "$#" "$PWD" "$1" >> '${log}'\n`,
        { mode: 0o755 },
      );
      r.write('sub/x', '');
      const send = spawnSync(
        'git',
        ['send-email', '--dry-run', '--to=x@example.invalid', '--confirm=never', `--smtp-server=${sendmail}`, 'HEAD~1'],
        {
          cwd: join(r.dir, 'sub'),
          encoding: 'utf8',
          env: gitEnv(),
        },
      );
      expect(send.status, send.stderr).toBe(0);
      const [argc, cwd, first] = readFileSync(log, 'utf8').split('\n');
      const [major, minor] = (
        /git version (\d+)\.(\d+)/.exec(execFileSync('git', ['--version'], { encoding: 'utf8' })) ?? []
      )
        .slice(1)
        .map(Number);
      expect(Number(argc)).toBe(major! > 2 || (major === 2 && minor! >= 41) ? 2 : 1);
      expect(cwd).toBe(r.dir);
      expect(first).toMatch(/0001-change\.patch$/);
    } finally {
      r.cleanup();
    }
  });
});

describe('the hook as git 2.41+ calls it (played by the test)', () => {
  const hookPath = () => join(repo.dir, '.git', 'hooks', 'sendemail-validate');
  const headers = () => {
    const f = join(repo.dir, '.git', 'smtp-headers');
    writeFileSync(
      f,
      'From: Test Author <author@example.invalid>\nTo: linux-mm@kvack.org,\n\tOther <o@example.invalid>\nCc: x@example.invalid\nSubject: s\n',
    );
    return f;
  };
  // Each call hands over one part of a two-part series on its own. With git 2.41's counters
  // (1 of 1) that would be a send missing a part, which the last file refuses; the counters and
  // whole-series checks are played out in test/sendemail-series.test.ts.
  const call = (...args: string[]) =>
    spawnSync(hookPath(), args, {
      cwd: repo.dir,
      encoding: 'utf8',
      env: gitEnv(),
    });

  it('takes the patch and the SMTP headers file', () => {
    expect(call(patches.good, headers()).status).toBe(0);
    const bad = call(patches.bad, headers());
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/ERROR: missing-signoff/);
    expect(call(patches.cover, headers()).status).toBe(0);
  });

  it("uses the headers' To/Cc as the recipients; without them (git 2.39) recipients are unknown", () => {
    const f = join(repo.dir, '.git', 'smtp-headers-offlist');
    writeFileSync(f, 'From: Test Author <author@example.invalid>\nTo: someone@example.invalid\nSubject: s\n');
    // mm/ files go to linux-mm: list-not-copied warns only when the headers say it is not copied.
    const offList = call(patches.good, f);
    expect(offList.stdout).toMatch(/WARNING: list-not-copied: not addressed to linux-mm@kvack\.org/);
    expect(offList.status).toBe(0);
    expect(call(patches.good, headers()).stdout).not.toMatch(/list-not-copied/);
    expect(call(patches.good).stdout).not.toMatch(/list-not-copied/);
  });

  it('checks each file on its own: a series-level finding about the other parts does not stop it', () => {
    // [PATCH 1/2] alone: a whole-series run says part 2 is missing; the hook gets parts one by one.
    const whole = spawnSync(process.execPath, [BIN, patches.good], { cwd: repo.dir, encoding: 'utf8', env: gitEnv() });
    expect(whole.stdout).toMatch(/ERROR: series-numbering: part 2 of 2 missing/);
    const hook = call(patches.good);
    expect(hook.stdout).toBe('');
    expect(hook.status).toBe(0);
  });

  it('exits 2 with one line when a file cannot be read', () => {
    const r = call(patches.good, join(repo.dir, 'no-such-headers'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^zdcheck: .*no-such-headers: cannot read the SMTP headers file \(ENOENT\)\n$/);
  });
});
