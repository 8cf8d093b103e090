// src/git/run.ts: the one module that runs git.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitError, gitReaderIn, runGit, runGitSync } from '../src/git/run.js';
import { gitEnv, makeRepo } from './helpers/gitrepo.js';

const repo = makeRepo({ prefix: 'zdcheck-gitrun-' });
afterAll(() => repo.cleanup());

// Text a shell would act on: command substitution, a separator, a glob, a quote, a newline.
const HOSTILE = ['$(touch pwned)', 'a; touch pwned2', 'mm/*.c', "it's", 'two\nlines', '-n'];

describe('runGitSync / runGit', () => {
  it('hands every argument to git as it is, with no shell in between', async () => {
    // `rev-parse --sq-quote` prints the arguments git received, shell-quoted.
    const expected = " '$(touch pwned)' 'a; touch pwned2' 'mm/*.c' 'it'\\''s' 'two\nlines' '-n'\n";
    const sync = runGitSync({ cwd: repo.dir, args: ['rev-parse', '--sq-quote', ...HOSTILE] });
    expect(sync.stdout.toString('utf8')).toBe(expected);
    const async = await runGit({ cwd: repo.dir, args: ['rev-parse', '--sq-quote', ...HOSTILE] });
    expect(async.stdout.toString('utf8')).toBe(expected);
    expect(existsSync(join(repo.dir, 'pwned'))).toBe(false);
    expect(existsSync(join(repo.dir, 'pwned2'))).toBe(false);
  });

  it('returns output as bytes, not decoded, and feeds standard input', async () => {
    const bytes = Buffer.from([0x66, 0xff, 0xfe, 0x00, 0x0a]);
    writeFileSync(join(repo.dir, 'blob.bin'), bytes);
    const commit = repo.commit('binary');
    expect(runGitSync({ cwd: repo.dir, args: ['cat-file', 'blob', `${commit}:blob.bin`] }).stdout.equals(bytes)).toBe(
      true,
    );
    expect(
      (await runGit({ cwd: repo.dir, args: ['cat-file', 'blob', `${commit}:blob.bin`] })).stdout.equals(bytes),
    ).toBe(true);
    const batch = runGitSync({ cwd: repo.dir, args: ['cat-file', '--batch-check'], input: `${commit}:blob.bin\n` });
    expect(batch.stdout.toString('utf8')).toMatch(/^[0-9a-f]{40} blob \d+\n$/);
  });

  it('reports a failure as a value: status, standard error, and its first line for a message', async () => {
    for (const r of [
      runGitSync({ cwd: repo.dir, args: ['cat-file', 'blob', 'HEAD:nosuch'] }),
      await runGit({ cwd: repo.dir, args: ['cat-file', 'blob', 'HEAD:nosuch'] }),
    ]) {
      expect(r.ok).toBe(false);
      expect(r.status).toBe(128);
      expect(r.notInstalled).toBe(false);
      expect(gitError(r)).toMatch(/^fatal: .*nosuch/);
    }
  });

  it('says when there is no git to run', async () => {
    const env = { ...gitEnv(), PATH: '/nonexistent' };
    expect(runGitSync({ cwd: repo.dir, args: ['--version'], env })).toMatchObject({
      ok: false,
      status: null,
      notInstalled: true,
    });
    expect(await runGit({ cwd: repo.dir, args: ['--version'], env })).toMatchObject({
      ok: false,
      status: null,
      notInstalled: true,
    });
  });
});

describe('gitReaderIn', () => {
  it('resolves to standard output as text, or null when git fails', async () => {
    const read = gitReaderIn(repo.dir);
    expect(await read(['rev-parse', '--sq-quote', 'x y'])).toBe(" 'x y'\n");
    expect(await read(['cat-file', 'blob', 'HEAD:nosuch'])).toBeNull();
  });
});

describe('one git runner', () => {
  it('is the only module of src/ that starts processes', () => {
    const src = resolve(import.meta.dirname, '..', 'src');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    const spawning = files(src)
      .filter((f) => /from ['"](node:)?child_process['"]/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(spawning).toEqual(['git/run.ts']);
  });
});
