import { describe, expect, it } from 'vitest';
import { buildSource, placeHunks, readBase, memoryTree } from '../src/source/index.js';
import { parseDiffText } from '../src/patch/index.js';
import { patchOf, seriesOf, show } from './source-helpers.js';

const BASE = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join('\n') + '\n';

const P1 = `diff --git a/x.c b/x.c
--- a/x.c
+++ b/x.c
@@ -2,3 +2,4 @@ ctx
 b
 c
+c2
 d
@@ -8,2 +9,2 @@ ctx
 h
-i
+I
`;
// Written against the file after P1.
const P2 = `diff --git a/x.c b/x.c
--- a/x.c
+++ b/x.c
@@ -3,2 +3,3 @@
 c
+c1
 c2
`;

describe('source: whole files from a base tree', () => {
  it('applies patches in order and keeps line origins', async () => {
    const s = seriesOf(patchOf('p1', P1), patchOf('p2', P2));
    const base = await readBase([s], memoryTree({ 'x.c': BASE }));
    const src = buildSource(s, base);
    expect(src.failures).toEqual([]);
    const [h] = src.files;
    expect(h!.path).toBe('x.c');
    expect(h!.steps).toHaveLength(2);
    const [s1, s2] = h!.steps;
    expect(s1!.pre.lines.join('')).toBe('abcdefghij');
    expect(show(s1!.post)).toEqual(['1 a', '2 b', '3 c', '4+c2', '5 d', '6 e', '7 f', '8 g', '9 h', '10+I', '11 j']);
    expect(s1!.removed).toEqual([8]);
    // p2's image: c2 came from p1 (added, but not here), c1 from p2.
    expect(show(s2!.post)).toEqual([
      '1 a',
      '2 b',
      '3 c',
      '4+c1',
      '5 c2',
      '6 d',
      '7 e',
      '8 f',
      '9 g',
      '10 h',
      '11 I',
      '12 j',
    ]);
    expect(s2!.post.origins[4]).toMatchObject({ kind: 'added', patchKey: 'p1', hunk: 0 });
    expect(s2!.post.origins[0]).toMatchObject({ kind: 'base', patchKey: null });
    expect(s2!.post.origins[2]).toMatchObject({ kind: 'context', patchKey: 'p1' });
    expect(src.step(s.patches[1]!, 'x.c')).toBe(s2);
    expect(src.steps()).toHaveLength(2);
  });

  it('finds a hunk that moved (offset), nearest match first', () => {
    const lines = ['x', 'x', 'b', 'c', 'x', 'b', 'c'];
    const [hunk] = parseDiffText(`--- a/f\n+++ b/f\n@@ -5,2 +5,2 @@\n b\n-c\n+C\n`)[0]!.hunks;
    const r = placeHunks(lines, [hunk!]);
    expect(r).toEqual({ ok: true, placements: [{ at: 5, offset: 1 }] });
    const [far] = parseDiffText(`--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n b\n-c\n+C\n`)[0]!.hunks;
    expect(placeHunks(lines, [far!])).toEqual({ ok: true, placements: [{ at: 2, offset: 2 }] });
  });

  it('a hunk that does not apply is a failure and the file falls back to fragments', async () => {
    const bad = `diff --git a/x.c b/x.c
--- a/x.c
+++ b/x.c
@@ -2,2 +2,3 @@ ctx
 b
+new
 NOT-THERE
`;
    const s = seriesOf(patchOf('p1', bad), patchOf('p2', P2));
    const src = buildSource(s, await readBase([s], memoryTree({ 'x.c': BASE })));
    expect(src.failures).toHaveLength(1);
    expect(src.failures[0]).toMatchObject({
      path: 'x.c',
      hunkIndex: 0,
      hunk: { header: '@@ -2,2 +2,3 @@ ctx' },
      cause: { kind: 'no-match', oldLines: 2, from: 1 },
    });
    const [s1, s2] = src.files[0]!.steps;
    expect(s1!.post.mode).toBe('fragments');
    expect(show(s1!.post)).toEqual(['2 b', '3+new', '4 NOT-THERE']);
    expect(s2!.post.mode).toBe('fragments');
  });

  it('a file missing from the tree is a failure; a new file needs no base', async () => {
    const added = `diff --git a/n.c b/n.c
new file mode 100644
--- /dev/null
+++ b/n.c
@@ -0,0 +1,2 @@
+one
+two
`;
    const s = seriesOf(patchOf('p1', P1 + added));
    const src = buildSource(s, await readBase([s], memoryTree({})));
    expect(src.failures.map((f) => [f.path, f.cause])).toEqual([['x.c', { kind: 'no-file' }]]);
    const n = src.files.find((f) => f.path === 'n.c')!;
    expect(n.steps[0]!.post.mode).toBe('whole');
    expect(show(n.steps[0]!.post)).toEqual(['1+one', '2+two']);
  });

  it('follows a rename', async () => {
    const ren = `diff --git a/x.c b/y.c
similarity index 90%
rename from x.c
rename to y.c
--- a/x.c
+++ b/y.c
@@ -1,2 +1,2 @@
-a
+A
 b
`;
    const s = seriesOf(patchOf('p1', ren), patchOf('p2', P2.replaceAll('x.c', 'y.c').replace(' c2', ' d')));
    const src = buildSource(s, await readBase([s], memoryTree({ 'x.c': BASE })));
    expect(src.failures).toEqual([]);
    expect(src.files).toHaveLength(1);
    expect(src.files[0]!.path).toBe('y.c');
    expect(src.files[0]!.steps[1]!.post.lines.slice(0, 4)).toEqual(['A', 'b', 'c', 'c1']);
  });
});

describe('source: zero-context hunks and deletions', () => {
  it('inserts after the stated line for -N,0 and empties a deleted file', async () => {
    const ins = `diff --git a/x.c b/x.c
--- a/x.c
+++ b/x.c
@@ -3,0 +4,2 @@
+c1
+c2
@@ -10 +12,0 @@
-j
`;
    const del = `diff --git a/y.c b/y.c
deleted file mode 100644
--- a/y.c
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
`;
    const s = seriesOf(patchOf('p1', ins + del));
    const src = buildSource(s, await readBase([s], memoryTree({ 'x.c': BASE, 'y.c': 'a\nb\n' })));
    expect(src.failures).toEqual([]);
    expect(show(src.files[0]!.steps[0]!.post)).toEqual([
      '1 a',
      '2 b',
      '3 c',
      '4+c1',
      '5+c2',
      '6 d',
      '7 e',
      '8 f',
      '9 g',
      '10 h',
      '11 i',
    ]);
    expect(src.files[1]!.steps[0]!.post.lines).toEqual([]);
    expect(src.files[1]!.steps[0]!.pre.lines).toEqual(['a', 'b']);
  });
});

describe('source: fragments without a tree', () => {
  it('carries context and added lines with their post-image numbers, one segment per hunk', () => {
    const s = seriesOf(patchOf('p1', P1));
    const src = buildSource(s, null);
    expect(src.tree).toBe(false);
    const step = src.files[0]!.steps[0]!;
    expect(show(step.post)).toEqual(['2 b', '3 c', '4+c2', '5 d', '9 h', '10+I']);
    expect(step.post.segments.map((g) => [g.start, g.end])).toEqual([
      [0, 4],
      [4, 6],
    ]);
    expect(show(step.pre)).toEqual(['2 b', '3 c', '4 d', '8 h', '9 i']);
    expect(step.removed).toEqual([4]);
  });
});
