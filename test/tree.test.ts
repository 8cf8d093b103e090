import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirTree, gitTree, treeVersion, TreeError, type KernelTree } from '../src/tree/index.js';
import { parseBatch } from '../src/tree/git.js';
import { pathspecMatcher, staticPrefix } from '../src/tree/run.js';

const FILES: Record<string, string> = {
  Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 4\nEXTRAVERSION =\n',
  'arch/arm64/Kconfig': 'config ARM64\n\tdef_bool y\n\tselect ARCH_HAS_PTE_DEVMAP\n',
  'arch/foo/Kconfig': 'config FOO\n\tdef_bool y\n',
  'arch/foo/mm/init.c': 'int arch_add_memory(int nid, u64 start, u64 size)\n{\n\treturn 0;\n}\n',
  'arch/arm64/include/asm/pgtable.h': '#define pte_devmap(pte) (!!(pte_val(pte) & PTE_DEVMAP))\n',
  'mm/a b:c.c': 'weird name\n',
};

let base: string;
let plain: string;
let repo: string;
let commit: string;

const sh = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  })
    .toString()
    .trim();

function write(root: string, files: Record<string, string>) {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'zdtree-'));
  plain = join(base, 'plain');
  repo = join(base, 'repo');
  write(plain, FILES);
  write(repo, FILES);
  sh(repo, 'init', '-q');
  sh(repo, 'add', '.');
  sh(repo, 'commit', '-qm', 'base');
  commit = sh(repo, 'rev-parse', 'HEAD');
  // Later work must not show through a tree pinned at `commit`.
  write(repo, { 'arch/foo/Kconfig': 'config FOO\n\tselect ARCH_HAS_PTE_DEVMAP\n' });
  sh(repo, 'commit', '-qam', 'later');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const kinds: [string, () => KernelTree][] = [
  ['plain directory', () => dirTree(plain)],
  ['git commit', () => gitTree(repo, commit)],
  ['git work tree as a directory', () => dirTree(repo)],
];

describe.each(kinds)('%s', (name, open) => {
  it('reads files, and null for absent ones and escapes', async () => {
    const t = open();
    expect(t.readSync('arch/foo/mm/init.c')).toContain('arch_add_memory');
    expect(await t.read('arch/foo/mm/init.c')).toContain('arch_add_memory');
    expect(t.readSync('nope.c')).toBeNull();
    expect(await t.read('nope.c')).toBeNull();
    expect(t.readSync('../etc/passwd')).toBeNull();
    expect(t.readSync('arch/foo')).toBeNull();
    expect(t.exists('arch/foo/Kconfig')).toBe(true);
    expect(t.exists('arch/foo')).toBe(false);
    const many = t.readMany(['Makefile', 'nope', 'mm/a b:c.c']);
    expect(many.get('nope')).toBeNull();
    expect(many.get('mm/a b:c.c')).toBe('weird name\n');
    expect(treeVersion(t)).toBe('6.1.4');
  });

  it('greps with pathspecs and reports path and line', () => {
    const t = open();
    expect(t.grep('select ARCH_HAS_PTE_DEVMAP', ['arch/*/Kconfig'])).toEqual(
      name === 'git work tree as a directory'
        ? [
            { path: 'arch/arm64/Kconfig', line: 3, text: '\tselect ARCH_HAS_PTE_DEVMAP' },
            { path: 'arch/foo/Kconfig', line: 2, text: '\tselect ARCH_HAS_PTE_DEVMAP' },
          ]
        : [{ path: 'arch/arm64/Kconfig', line: 3, text: '\tselect ARCH_HAS_PTE_DEVMAP' }],
    );
    expect(t.grep('^int arch_add_memory\\(', ['arch/'])).toEqual([
      { path: 'arch/foo/mm/init.c', line: 1, text: 'int arch_add_memory(int nid, u64 start, u64 size)' },
    ]);
    expect(t.grep('no such text', ['arch/'])).toEqual([]);
    expect(t.grep('weird', ['mm/'])).toEqual([{ path: 'mm/a b:c.c', line: 1, text: 'weird name' }]);
  });

  it('lists files by directory and glob', () => {
    const t = open();
    expect(t.list(['arch/*/Kconfig'])).toEqual(['arch/arm64/Kconfig', 'arch/foo/Kconfig']);
    expect(t.list(['arch/foo/'])).toEqual(['arch/foo/Kconfig', 'arch/foo/mm/init.c']);
  });

  it('never takes a pattern or pathspec for an option', () => {
    const t = open();
    expect(t.grep('--version', ['arch/'])).toEqual([]);
    expect(t.grep('x', ['--output=/tmp/zd-pwned'])).toEqual([]);
  });
});

describe('git tree', () => {
  it('refuses commits that could be options or ranges', () => {
    for (const bad of ['--output=x', '-p', 'a..b', 'HEAD:path', ''])
      expect(() => gitTree(repo, bad)).toThrow(TreeError);
  });
  it('says when the commit does not exist', () => {
    expect(() => gitTree(repo, 'deadbeef')).toThrow(/no commit deadbeef/);
  });
  it('accepts a ref and pins it', () => {
    const t = gitTree(repo, 'HEAD~1');
    expect(t.readSync('arch/foo/Kconfig')).toBe(FILES['arch/foo/Kconfig']);
    expect(t.label).toContain(commit.slice(0, 12));
  });
});

describe('helpers', () => {
  it('matches pathspecs the way git does by default', () => {
    const m = pathspecMatcher(['arch/*/include/', 'mm/']);
    expect(m('arch/x86/include/asm/pgtable.h')).toBe(true);
    expect(m('arch/x86/mm/init.c')).toBe(false);
    expect(m('mm/memremap.c')).toBe(true);
    expect(m('mmx/a.c')).toBe(false);
    expect(staticPrefix('arch/*/Kconfig')).toBe('arch');
    expect(staticPrefix('mm/')).toBe('mm');
  });
  it('parses cat-file batch output with missing objects between blobs', () => {
    const buf = Buffer.from('a blob 4\nhé\n\nx missing\nb tree 5\n12345\n');
    expect(parseBatch(buf, 3)).toEqual(['hé\n', null, null]);
  });
  it('refuses a directory that is not there', () => {
    expect(() => dirTree(join(base, 'nothing'))).toThrow(TreeError);
  });
});

describe.each(kinds)('%s: fixed-string grep', (_name, open) => {
  it('matches any of several strings literally', () => {
    const t = open();
    const hits = t.grep(['arch_add_memory(', 'pte_devmap('], ['arch/'], { fixed: true });
    expect(hits.map((h) => `${h.path}:${h.line}`).sort()).toEqual([
      'arch/arm64/include/asm/pgtable.h:1',
      'arch/foo/mm/init.c:1',
    ]);
    expect(t.grep(['.*'], ['arch/'], { fixed: true })).toEqual([]);
  });
});
