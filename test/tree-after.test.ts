// The tree as a series leaves it (src/tree/after.ts): what every tree question answers once the
// series is applied, in a plain directory and at a git commit. The tree-mode fixtures of the rules
// that judge against it run as git ranges from their own tests (X-Modes: tree git).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSource, readBaseSync } from '../src/source/index.js';
import { afterSeries, lineMatcher, looseApply, overlayOf } from '../src/tree/after.js';
import { dirTree, gitTree, type KernelTree } from '../src/tree/index.js';
import { makePatch, makeSeries } from './rule-arch-helpers.js';

const FILES: Record<string, string> = {
  'include/linux/memremap.h': 'enum memory_type {\n\tMEMORY_DEVICE_PRIVATE = 1,\n\tMEMORY_DEVICE_FS_DAX,\n};\n',
  'include/linux/old.h': '#define OLD_FLAGS 0\n',
  'mm/memory.c': 'int a;\nint b;\nint c;\n',
  'mm/moved.c': 'int moved;\n',
};

// One series: a type added to memremap.h, old.h deleted, a header added, mm/moved.c renamed.
const DIFF = `diff --git a/include/linux/memremap.h b/include/linux/memremap.h
--- a/include/linux/memremap.h
+++ b/include/linux/memremap.h
@@ -1,4 +1,5 @@
 enum memory_type {
 \tMEMORY_DEVICE_PRIVATE = 1,
 \tMEMORY_DEVICE_FS_DAX,
+\tMEMORY_DEVICE_PUBLIC,
 };
diff --git a/include/linux/old.h b/include/linux/old.h
deleted file mode 100644
--- a/include/linux/old.h
+++ /dev/null
@@ -1 +0,0 @@
-#define OLD_FLAGS 0
diff --git a/include/linux/new.h b/include/linux/new.h
new file mode 100644
--- /dev/null
+++ b/include/linux/new.h
@@ -0,0 +1 @@
+#define NEW_FLAGS MEMORY_DEVICE_PUBLIC
`;

let dir: string;
let plain: string;
let repo: string;
let commit: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zdafter-'));
  plain = join(dir, 'plain');
  repo = join(dir, 'repo');
  for (const root of [plain, repo]) {
    for (const [p, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), text);
    }
  }
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@t',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@t',
  };
  for (const args of [
    ['init', '-q'],
    ['add', '.'],
    ['commit', '-qm', 'base'],
  ])
    execFileSync('git', args, { cwd: repo, env });
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo }).toString().trim();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function viewOf(base: KernelTree) {
  const rename = makePatch(
    'mm: rename',
    'diff --git a/mm/moved.c b/mm/renamed.c\n--- a/mm/moved.c\n+++ b/mm/renamed.c\n@@ -1 +1 @@\n-int moved;\n+int renamed;\n',
    null,
    2,
    2,
  );
  // makePatch reads rename diffs as modifications; say what git says.
  rename.files[0]!.status = 'renamed';
  const series = makeSeries([makePatch('mm: add MEMORY_DEVICE_PUBLIC', DIFF, null, 1, 2), rename]);
  return afterSeries(base, overlayOf(buildSource(series, readBaseSync([series], base)), base));
}

describe.each([
  ['plain directory', () => dirTree(plain)],
  ['git commit', () => gitTree(repo, commit)],
])('the tree after the series, %s', (_name, open) => {
  it("reads the series' last image of the files it touches, the base for the rest", () => {
    const view = viewOf(open());
    expect(view.readSync('include/linux/memremap.h')).toContain('MEMORY_DEVICE_PUBLIC');
    expect(view.base.readSync('include/linux/memremap.h')).not.toContain('MEMORY_DEVICE_PUBLIC');
    expect(view.readSync('include/linux/new.h')).toBe('#define NEW_FLAGS MEMORY_DEVICE_PUBLIC\n');
    expect(view.readSync('mm/memory.c')).toBe(FILES['mm/memory.c']);
    expect(view.readMany(['include/linux/old.h', 'mm/memory.c', 'mm/renamed.c'])).toEqual(
      new Map([
        ['include/linux/old.h', null],
        ['mm/memory.c', FILES['mm/memory.c']],
        ['mm/renamed.c', 'int renamed;\n'],
      ]),
    );
  });

  it('has the files the series adds and not those it deletes or renames away', () => {
    const view = viewOf(open());
    expect([
      view.exists('include/linux/new.h'),
      view.exists('include/linux/old.h'),
      view.exists('mm/moved.c'),
      view.exists('mm/renamed.c'),
    ]).toEqual([true, false, false, true]);
    expect(view.list(['include/'])).toEqual(['include/linux/memremap.h', 'include/linux/new.h']);
    expect(view.list(['mm/'])).toEqual(['mm/memory.c', 'mm/renamed.c']);
    expect(view.changes('include/linux/old.h')).toBe(true);
    expect(view.changes('mm/memory.c')).toBe(false);
  });

  it('searches see the lines the series adds and not those it removes', () => {
    const view = viewOf(open());
    expect(view.grep('\\bMEMORY_DEVICE_PUBLIC\\b', ['include/'])).toEqual([
      { path: 'include/linux/memremap.h', line: 4, text: '\tMEMORY_DEVICE_PUBLIC,' },
      { path: 'include/linux/new.h', line: 1, text: '#define NEW_FLAGS MEMORY_DEVICE_PUBLIC' },
    ]);
    expect(view.grep('FLAGS', ['include/'], { fixed: true }).map((h) => h.path)).toEqual(['include/linux/new.h']);
    expect(view.grep('moved', ['mm/'], { fixed: true })).toEqual([]);
    // The base alone still answers as before.
    expect(view.base.grep('OLD_FLAGS', ['include/'], { fixed: true })).toHaveLength(1);
  });
});

describe('pieces', () => {
  it("lineMatcher reads git grep's EREs and fixed strings", () => {
    expect(lineMatcher(['^[[:space:]]*config[[:space:]]+FOO\\b'], false).test('\tconfig  FOO')).toBe(true);
    expect(lineMatcher(['a.b'], true).test('axb')).toBe(false);
    expect(lineMatcher(['a.b', 'c(d'], true).test('c(d')).toBe(true);
  });

  it('looseApply puts a hunk whose context no longer matches where its header says', () => {
    const hunk = {
      header: '',
      oldStart: 2,
      oldLines: 2,
      newStart: 2,
      newLines: 2,
      lines: [
        { kind: 'context' as const, text: 'changed context', oldLine: 2, newLine: 2 },
        { kind: 'del' as const, text: 'int b;', oldLine: 3, newLine: null },
        { kind: 'add' as const, text: 'int B;', oldLine: null, newLine: 3 },
      ],
    };
    expect(looseApply(['int a;', 'int x;', 'int b;', 'int c;'], [hunk])).toEqual([
      'int a;',
      'int B;',
      'int x;',
      'int c;',
    ]);
    const fits = { ...hunk, lines: [{ ...hunk.lines[0]!, text: 'int x;' }, hunk.lines[1]!, hunk.lines[2]!] };
    expect(looseApply(['int a;', 'int x;', 'int b;', 'int c;'], [fits])).toEqual([
      'int a;',
      'int x;',
      'int B;',
      'int c;',
    ]);
  });
});
