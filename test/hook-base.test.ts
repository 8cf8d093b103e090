// The base the send-email hook checks patches against (src/hook/base.ts): the parent of the
// series' first patch commit when the repository has it (a cover letter names the LAST commit
// and is skipped), else the first of base-commit / HEAD / the upstream merge base the patches
// apply to, said in a note; the mail alone when none takes them.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliesTo, resolveHookBase, workTree, workTreeTop } from '../src/hook/base.js';
import { collect } from '../src/pipeline.js';
import type { Patch } from '../src/types.js';
import { makeRepo, type TempRepo } from './helpers/gitrepo.js';

const SOB = 'Signed-off-by: Test Author <author@example.invalid>';

/** The patches of a format-patch text as the hook reads them (a buffer: From_ lines name commits). */
async function read(text: string): Promise<{ patches: Patch[]; cover: Patch | null }> {
  const c = await collect([{ kind: 'buffer', source: 'test', data: Buffer.from(text) }]);
  return { patches: c.series.flatMap((s) => s.patches), cover: c.series[0]?.cover ?? null };
}

let r: TempRepo;
const ids = { base: '', one: '', two: '', three: '' };
beforeAll(() => {
  r = makeRepo({ prefix: 'zdcheck-hookbase-' });
  ids.base = r.commit(`base\n\n${SOB}`, { 'mm/a.c': 'int a;\n', 'mm/b.c': 'int b;\n' });
  r.git('checkout', '-q', '-b', 'topic');
  ids.one = r.commit(`mm: change a\n\n${SOB}`, { 'mm/a.c': 'int a = 1;\n' });
  ids.two = r.commit(`mm: change a again\n\n${SOB}`, { 'mm/a.c': 'int a = 2;\n' });
  ids.three = r.commit(`mm: change b\n\n${SOB}`, { 'mm/b.c': 'int b = 3;\n' });
});
afterAll(() => r.cleanup());

describe('hook base', () => {
  it('is the parent of the first patch commit, skipping the cover letter that names the last one', async () => {
    expect(workTreeTop(r.dir)).toBe(r.dir);
    const text = r.git('format-patch', '--stdout', '--cover-letter', `${ids.base}..${ids.three}`);
    expect(text.split('\n')[0]).toBe(`From ${ids.three} Mon Sep 17 00:00:00 2001`);
    const { patches, cover } = await read(text);
    expect(cover).not.toBeNull();
    expect(patches.map((p) => p.message.commit)).toEqual([ids.one, ids.two, ids.three]);
    expect(resolveHookBase(r.dir, patches)).toEqual({
      base: { commit: ids.base, how: 'parent-of-first-patch' },
      note: null,
      hasNotes: false,
    });
    // One patch of the series alone: its own parent.
    const lone = await read(r.git('format-patch', '--stdout', '-1', ids.three));
    expect(resolveHookBase(r.dir, lone.patches)).toEqual({
      base: { commit: ids.two, how: 'parent-of-first-patch' },
      note: null,
      hasNotes: false,
    });
  });

  it('a cover letter alone needs no base and says nothing', async () => {
    const { patches, cover } = await read(
      r
        .git('format-patch', '--stdout', '--cover-letter', `${ids.base}..${ids.one}`)
        .split(/^(?=From [0-9a-f]{40} )/m)[0]!,
    );
    expect(cover).not.toBeNull();
    expect(patches).toEqual([]);
    expect(resolveHookBase(r.dir, patches)).toEqual({
      base: { commit: ids.three, how: 'HEAD' },
      note: null,
      hasNotes: false,
    });
  });

  it('commits from elsewhere: HEAD when the patches apply to it, with a note', async () => {
    // mm/b.c's change applies to HEAD (mm/b.c is untouched there until 3/3): check on a branch at 2/3.
    r.git('checkout', '-q', '-b', 'at-two', ids.two);
    try {
      const text = r
        .git('format-patch', '--stdout', '-1', ids.three)
        .replace(/^From [0-9a-f]{40}/, `From ${'1'.repeat(40)}`);
      const { patches } = await read(text);
      expect(patches[0]!.message.commit).toBe('1'.repeat(40));
      const got = resolveHookBase(r.dir, patches);
      expect(got.base).toEqual({ commit: ids.two, how: 'HEAD' });
      expect(got.note).toBe(
        `its commits are not in this repository; checked against HEAD (${ids.two.slice(0, 12)}), which it applies to`,
      );
    } finally {
      r.git('checkout', '-q', 'topic');
    }
  });

  it('commits from elsewhere that do not apply to HEAD but to the merge base with the upstream', async () => {
    // A branch tracking `topic` whose own commit rewrote mm/a.c: 1/3 no longer applies to HEAD.
    r.git('checkout', '-q', '-b', 'local', ids.base);
    r.git('branch', '-q', '--set-upstream-to=topic');
    const local = r.commit(`mm: local change\n\n${SOB}`, { 'mm/a.c': 'int a = 9;\n' });
    try {
      const text = r
        .git('format-patch', '--stdout', '-1', ids.one)
        .replace(/^From [0-9a-f]{40}/, `From ${'2'.repeat(40)}`);
      const { patches } = await read(text);
      const got = resolveHookBase(r.dir, patches);
      expect(got.base).toEqual({ commit: ids.base, how: 'upstream-merge-base' });
      expect(got.note).toBe(
        `its commits are not in this repository; checked against the merge base of HEAD and topic (${ids.base.slice(0, 12)}), which it applies to`,
      );
      expect(appliesTo(r.dir, local, patches)).toBe(false);
      expect(appliesTo(r.dir, ids.base, patches)).toBe(true);
    } finally {
      r.git('checkout', '-q', 'topic');
    }
  });

  it('a base-commit the series names comes first', async () => {
    const text = r
      .git('format-patch', '--stdout', `--base=${ids.one}`, '-1', ids.two)
      .replace(/^From [0-9a-f]{40}/, `From ${'3'.repeat(40)}`);
    const { patches } = await read(text);
    expect(patches[0]!.baseCommit).toBe(ids.one);
    const got = resolveHookBase(r.dir, patches, patches[0]!.baseCommit);
    expect(got.base).toEqual({ commit: ids.one, how: 'base-commit' });
    expect(got.note).toContain(`checked against the base-commit it names (${ids.one.slice(0, 12)})`);
  });

  it('applies nowhere: the mail alone, and the note names what was tried', async () => {
    // 2/3's change of mm/a.c (a = 1 -> a = 2) from elsewhere, at HEAD (a = 2) and without an upstream.
    const text = r
      .git('format-patch', '--stdout', '-1', ids.two)
      .replace(/^From [0-9a-f]{40}/, `From ${'4'.repeat(40)}`);
    const { patches } = await read(text);
    const got = resolveHookBase(r.dir, patches);
    expect(got.base).toBeNull();
    expect(got.note).toBe(
      `its commits are not in this repository, and it does not apply to HEAD (${ids.three.slice(0, 12)}); checked from the mail alone`,
    );
  });

  it('for patches no rule reads the tree for (outside the ZONE_DEVICE world): HEAD, without trying to apply them', async () => {
    // The same patch that applies nowhere: asked without a reader of the tree, nothing is tried.
    const text = r
      .git('format-patch', '--stdout', '-1', ids.two)
      .replace(/^From [0-9a-f]{40}/, `From ${'5'.repeat(40)}`);
    const { patches } = await read(text);
    expect(resolveHookBase(r.dir, patches, null, false)).toEqual({
      base: { commit: ids.three, how: 'HEAD' },
      note: null,
      hasNotes: false,
    });
    // Commits the repository has keep their exact base either way.
    const own = await read(r.git('format-patch', '--stdout', '-1', ids.three));
    expect(resolveHookBase(r.dir, own.patches, null, false)).toEqual({
      base: { commit: ids.two, how: 'parent-of-first-patch' },
      note: null,
      hasNotes: false,
    });
  });

  it('says whether the repository has zdcheck notes (none: no note is listed)', async () => {
    const lone = await read(r.git('format-patch', '--stdout', '-1', ids.three));
    expect(resolveHookBase(r.dir, lone.patches).hasNotes).toBe(false);
    // Notes of another ref are not zdcheck's.
    r.git('notes', 'add', '-m', 'reviewed', ids.three);
    expect(resolveHookBase(r.dir, lone.patches).hasNotes).toBe(false);
    r.git('notes', '--ref=zdcheck', 'add', '-m', 'waive uncalled-predicate -- fixed later', ids.one);
    try {
      expect(resolveHookBase(r.dir, lone.patches)).toEqual({
        base: { commit: ids.two, how: 'parent-of-first-patch' },
        note: null,
        hasNotes: true,
      });
      // Whatever the base: commits from elsewhere, checked from the mail alone.
      const elsewhere = await read(
        r.git('format-patch', '--stdout', '-1', ids.two).replace(/^From [0-9a-f]{40}/, `From ${'6'.repeat(40)}`),
      );
      expect(resolveHookBase(r.dir, elsewhere.patches).hasNotes).toBe(true);
    } finally {
      r.git('notes', '--ref=zdcheck', 'remove', ids.one);
      r.git('update-ref', '-d', 'refs/notes/zdcheck');
      r.git('notes', 'remove', ids.three);
    }
  });

  it('finds the work tree and git directory as git rev-parse does: from .git at the top, else with git', () => {
    const asGit = (cwd: string) => {
      const [top, gitDir] = r.git('-C', cwd, 'rev-parse', '--show-toplevel', '--absolute-git-dir').trim().split('\n');
      return { top, gitDir };
    };
    expect(workTree(r.dir, {})).toEqual(asGit(r.dir));
    expect(workTree(join(r.dir, 'mm'), {})).toEqual(asGit(join(r.dir, 'mm')));
    // A linked work tree: its .git is a file naming its own git directory.
    const linked = `${r.dir}-linked`;
    r.git('worktree', 'add', '-q', '--detach', linked, ids.one);
    try {
      expect(workTree(linked, {})).toEqual(asGit(linked));
      expect(workTree(linked, {})!.gitDir).toContain(join('.git', 'worktrees'));
      // The environment pointing git elsewhere is git's to read.
      expect(workTree(linked, { ...process.env, GIT_DIR: join(r.dir, '.git') })!.gitDir).toBe(join(r.dir, '.git'));
    } finally {
      r.git('worktree', 'remove', '--force', linked);
    }
    expect(workTree(tmpdir(), {})).toBeNull();
  });

  it('has no base in a repository without commits', async () => {
    const empty = makeRepo({ prefix: 'zdcheck-hookbase-' });
    try {
      const { patches } = await read(r.git('format-patch', '--stdout', '-1', ids.one));
      expect(resolveHookBase(empty.dir, patches)).toEqual({
        base: null,
        note: 'its commits are not in this repository, which has no commit to apply it to; checked from the mail alone',
        hasNotes: false,
      });
    } finally {
      empty.cleanup();
    }
  });
});
