import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/config/types.js';
import { repositoryAt } from '../../src/git/repository.js';
import { run } from '../../src/run.js';
import { testRule } from '../../test/rule-tester.js';
import rule, { fixesTags } from './index.js';

// The fixtures: an id no repository has (git mode) and the same mail without a repository (silent).
testRule(rule, import.meta.dirname);

describe('fixes-tag-mismatch: reading the tag', () => {
  it('takes the id and the quoted subject, a folded subject joined back', () => {
    expect(fixesTags('x\n\nFixes: 0123456789ab ("mm: a (b) \\"c\\"")\nSigned-off-by: A <a@b.c>')).toEqual([
      { id: '0123456789ab', quoted: 'mm: a (b) \\"c\\"', line: 'Fixes: 0123456789ab ("mm: a (b) \\"c\\"")' },
    ]);
    expect(fixesTags('Fixes: 0123456789ab ("mm: a long\n subject")\n')[0]!.quoted).toBe('mm: a long subject');
    expect(fixesTags('Fixes: 0123456789ab\nFixes: https://bugzilla.example.org/1\n')).toEqual([
      { id: '0123456789ab', quoted: null, line: 'Fixes: 0123456789ab' },
    ]);
  });
});

describe('fixes-tag-mismatch: with a repository (--tree at a git work tree)', () => {
  let dir = '';
  let good = '';
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.org',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.org',
    GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env }).toString().trim();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'zdcheck-fixes-'));
    cpSync(join(import.meta.dirname, 'fixtures', 'tree'), dir, { recursive: true });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'mm/devmem: count the pages in use\n\nA counter of the pages handed out.');
    good = git('rev-parse', 'HEAD').slice(0, 12);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = async (fixes: string) => {
    const mail = join(dir, '..', `${dir.split('/').pop()}.mbox`);
    writeFileSync(
      mail,
      `From x Mon Sep 17 00:00:00 2001\nFrom: A <a@example.org>\nDate: Wed, 2 Dec 2026 10:00:00 +0000\nSubject: [PATCH] mm/devmem: clamp\n\nClamp.\n\n${fixes}\nSigned-off-by: A <a@example.org>\n---\n mm/devmem.c | 1 +\n\ndiff --git a/mm/devmem.c b/mm/devmem.c\n--- a/mm/devmem.c\n+++ b/mm/devmem.c\n@@ -1,2 +1,3 @@\n // SPDX-License-Identifier: GPL-2.0\n #include <linux/devmem.h>\n+#include <linux/types.h>\n`,
    );
    try {
      const r = await run({
        inputs: [{ kind: 'path', path: mail }],
        config: EMPTY_CONFIG,
        rules: [rule],
        tree: dir,
        kernel: null,
        jobs: 1,
      });
      return r.findings.map((f) => [f.messageId, f.data]);
    } finally {
      rmSync(mail, { force: true });
    }
  };

  it('is the repository of a --tree at its top, and none of a folder inside one', () => {
    expect(repositoryAt(dir)?.commits([good]).get(good)).toMatchObject({
      found: true,
      subject: 'mm/devmem: count the pages in use',
    });
    expect(repositoryAt(join(dir, 'mm'))).toBeNull();
  });

  it("says nothing when the id and the subject are the commit's", async () => {
    expect(await check(`Fixes: ${good} ("mm/devmem: count the pages in use")`)).toEqual([]);
    expect(await check(`Fixes: ${good} ("mm/devmem: count the pages\n in use")`)).toEqual([]);
    expect(await check(`Fixes: ${good}`)).toEqual([]);
  });

  it("reports a quoted subject that is not the commit's", async () => {
    expect(await check(`Fixes: ${good} ("mm/devmem: count pages in use")`)).toEqual([
      [
        'subjectDiffers',
        { id: good, quoted: 'mm/devmem: count pages in use', actual: 'mm/devmem: count the pages in use' },
      ],
    ]);
  });

  it('reports an id the repository does not have', async () => {
    expect(await check('Fixes: 0badc0de1234 ("mm/devmem: count the pages in use")')).toEqual([
      ['unknownCommit', { id: '0badc0de1234', repo: expect.any(String) }],
    ]);
  });
});
