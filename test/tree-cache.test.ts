// Tree indexes (src/tree/cache.ts): built once per tree and name; for a tree named for good (a
// git commit), kept on disk and read back by the next run; nothing kept with ZDCHECK_CACHE_DIR=off.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDir, pruneIndexes, treeIndexer } from '../src/tree/cache.js';

let dir: string;
let saved: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zdcheck-cache-test-'));
  saved = process.env['ZDCHECK_CACHE_DIR'];
  process.env['ZDCHECK_CACHE_DIR'] = dir;
});
afterEach(() => {
  if (saved === undefined) delete process.env['ZDCHECK_CACHE_DIR'];
  else process.env['ZDCHECK_CACHE_DIR'] = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('tree indexes', () => {
  it('builds once per run and name', () => {
    let builds = 0;
    const index = treeIndexer(null);
    expect(index('a/1', () => ++builds)).toBe(1);
    expect(index('a/1', () => ++builds)).toBe(1);
    expect(index('b/1', () => ++builds)).toBe(2);
    expect(existsSync(join(dir, 'tree-index'))).toBe(false);
  });

  it("reads a commit's index back in the next run", () => {
    let builds = 0;
    const value = { 'mm/x.c': [{ line: 3, labels: ['MEMORY_DEVICE_PRIVATE'] }] };
    expect(treeIndexer('git:abc')('sw/1', () => (builds++, value))).toEqual(value);
    expect(treeIndexer('git:abc')('sw/1', () => (builds++, {}))).toEqual(value);
    expect(builds).toBe(1);
    // Another commit, another format: built anew.
    expect(treeIndexer('git:def')('sw/1', () => (builds++, {}))).toEqual({});
    expect(treeIndexer('git:abc')('sw/2', () => (builds++, []))).toEqual([]);
    expect(builds).toBe(3);
    expect(readdirSync(join(dir, 'tree-index')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it("makes a new commit's index from another commit's and the paths changed between them", () => {
    const A = 'git:' + 'a'.repeat(40);
    const B = 'git:' + 'b'.repeat(40);
    const C = 'git:' + 'c'.repeat(40);
    const asked: string[] = [];
    const changedSince = (other: string) => (asked.push(other), other === A ? ['mm/y.c'] : null);
    const update = (previous: Record<string, number>, changed: readonly string[]) => ({
      ...previous,
      [changed[0]!]: 2,
    });
    let builds = 0;
    expect(treeIndexer(A, changedSince)('sw/1', () => (builds++, { 'mm/x.c': 1 }), update)).toEqual({ 'mm/x.c': 1 });
    // B: updated from A's, not built; then read back as it was kept.
    expect(treeIndexer(B, changedSince)('sw/1', () => (builds++, {}), update)).toEqual({ 'mm/x.c': 1, 'mm/y.c': 2 });
    expect(treeIndexer(B, changedSince)('sw/1', () => (builds++, {}), update)).toEqual({ 'mm/x.c': 1, 'mm/y.c': 2 });
    expect(builds).toBe(1);
    expect(asked).toEqual([A]);
    // C: no other commit's index that changedSince can relate to C: built anew.
    expect(treeIndexer(C, () => null)('sw/1', () => (builds++, { c: 3 }), update)).toEqual({ c: 3 });
    expect(builds).toBe(2);
    // Without update (facts that are not per file), another commit's index is never used.
    expect(treeIndexer('git:' + 'd'.repeat(40), changedSince)('sw/1', () => (builds++, { d: 4 }))).toEqual({ d: 4 });
    expect(builds).toBe(3);
  });

  it('prunes the entries least recently written or read, down to a budget of bytes', () => {
    const folder = join(dir, 'tree-index');
    const files = () => readdirSync(folder).sort();
    const value = 'x'.repeat(1000);
    // Each commit's entry, named by the file its run wrote.
    const [first, second, third] = ['a', 'b', 'c'].map((k) => {
      const before = new Set(existsSync(folder) ? files() : []);
      treeIndexer(`git:${k}`)('sw/1', () => value);
      return files().find((f) => !before.has(f))!;
    });
    // Written a day, two and three days ago: a is the oldest.
    const day = 86_400_000;
    [first, second, third].forEach((f, i) =>
      utimesSync(join(folder, f!), new Date(Date.now() - (3 - i) * day), new Date(Date.now() - (3 - i) * day)),
    );
    // A run reads a's entry back: it is dated now.
    let builds = 0;
    expect(treeIndexer('git:a')('sw/1', () => (builds++, ''))).toBe(value);
    expect(builds).toBe(0);
    expect(statSync(join(folder, first!)).mtimeMs).toBeGreaterThan(Date.now() - day);
    // Room for two: b, now the least recently used, goes.
    const size = statSync(join(folder, first!)).size;
    pruneIndexes(folder, 2 * size + 10);
    expect(files()).toEqual([first, third].sort());
    pruneIndexes(folder, 3 * size);
    expect(files()).toEqual([first, third].sort());
  });

  it('keeps nothing with ZDCHECK_CACHE_DIR=off', () => {
    process.env['ZDCHECK_CACHE_DIR'] = 'off';
    expect(cacheDir()).toBeNull();
    let builds = 0;
    treeIndexer('git:abc')('sw/1', () => ++builds);
    treeIndexer('git:abc')('sw/1', () => ++builds);
    expect(builds).toBe(2);
  });

  it('defaults to the XDG cache directory', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/zdcheck/tree-index');
    expect(cacheDir({ ZDCHECK_CACHE_DIR: '/y' })).toBe('/y/tree-index');
  });
});
