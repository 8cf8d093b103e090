import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../src/errors.js';
import { parseRange, readGitRange } from '../src/input/git.js';
import { makeRepo, type TempRepo } from './helpers/gitrepo.js';

describe('parseRange', () => {
  it('reads the forms people type', () => {
    expect(parseRange('origin/master..HEAD')).toEqual({ from: 'origin/master', to: 'HEAD', symmetric: false });
    expect(parseRange('v6.8...topic')).toEqual({ from: 'v6.8', to: 'topic', symmetric: true });
    expect(parseRange('HEAD~3')).toEqual({ from: 'HEAD~3', to: 'HEAD', symmetric: false });
    expect(parseRange('main..')).toEqual({ from: 'main', to: 'HEAD', symmetric: false });
    expect(parseRange('..topic')).toEqual({ from: 'HEAD', to: 'topic', symmetric: false });
    expect(parseRange('@{u}..HEAD^')).toEqual({ from: '@{u}', to: 'HEAD^', symmetric: false });
  });

  it('refuses anything that could become an option or is not a revision', () => {
    for (const bad of [
      '--upload-pack=touch /tmp/x',
      '-n',
      'a..--output=x',
      '--all..HEAD',
      'a b..c',
      'a..b..c',
      'HEAD:file',
      '..',
      '',
      'a\n..b',
      'x..-p',
    ]) {
      expect(() => parseRange(bad), bad).toThrow(UsageError);
    }
  });
});

describe('readGitRange', () => {
  let repo: TempRepo;
  let base: string;
  beforeAll(() => {
    repo = makeRepo();
    base = repo.commit('init', { 'mm/memremap.c': 'int a;\n' });
    repo.commit('mm: first change\n\nBody one.\n\nSigned-off-by: Test Author <author@example.invalid>', {
      'mm/memremap.c': 'int a;\nint b;\n',
    });
    repo.commit('mm: second change\n\nSigned-off-by: Test Author <author@example.invalid>', {
      'mm/migrate.c': 'int c;\n',
    });
    repo.git('branch', 'base', base);
  });
  afterAll(() => repo.cleanup());

  it('makes numbered format-patch mail of the range, with its base recorded', async () => {
    const spec = await readGitRange('base..HEAD', repo.dir);
    expect(spec.kind).toBe('buffer');
    if (spec.kind !== 'buffer') return;
    expect(spec.source).toBe('git:base..HEAD');
    expect(spec.gitBase).toEqual({ repo: repo.dir, commit: base });
    const text = spec.data.toString('utf8');
    expect(text.match(/^From [0-9a-f]{40} /gm)).toHaveLength(2);
    expect(text).toContain('Subject: [PATCH 1/2] mm: first change');
    expect(text).toContain('Subject: [PATCH 2/2] mm: second change');
    expect(text).toContain('diff --git a/mm/memremap.c b/mm/memremap.c');
    expect(text).not.toMatch(/^-- \n\d/m);
  });

  it('gives a single commit as [PATCH], and reads A...B from the merge base', async () => {
    const one = await readGitRange('HEAD~1..HEAD', repo.dir);
    expect(one.kind === 'buffer' && one.data.toString()).toContain('Subject: [PATCH] mm: second change');
    const sym = await readGitRange('base...HEAD', repo.dir);
    expect(sym.kind === 'buffer' && sym.gitBase?.commit).toBe(base);
  });

  it('ignores config that would change the diff format', async () => {
    repo.git('config', 'diff.noprefix', 'true');
    try {
      const spec = await readGitRange('base..HEAD', repo.dir);
      expect(spec.kind === 'buffer' && spec.data.toString()).toContain('diff --git a/mm/memremap.c b/mm/memremap.c');
    } finally {
      repo.git('config', '--unset', 'diff.noprefix');
    }
  });

  it('turns an empty range, an unknown ref, a non-repository and a missing directory into one-line usage errors', async () => {
    await expect(readGitRange('HEAD..HEAD', repo.dir)).rejects.toThrow(/^--git: range HEAD\.\.HEAD has no commits$/);
    await expect(readGitRange('nosuch..HEAD', repo.dir)).rejects.toThrow(/unknown revision "nosuch"/);
    const plain = mkdtempSync(join(tmpdir(), 'zdcheck-norepo-'));
    try {
      await expect(readGitRange('a..b', plain)).rejects.toThrow(/not a git repository/);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
    await expect(readGitRange('a..b', join(plain, 'gone'))).rejects.toThrow(/no such directory/);
    await expect(readGitRange('--upload-pack=x', repo.dir)).rejects.toBeInstanceOf(UsageError);
  });
});
