// The architecture rules on their fixtures in every input mode the issue
// names: mail without a tree (also in rules.fixtures.test.ts), mail with a plain tree, mail with
// a git work tree, and a git range whose base is the tree. The tree is the fixtures' own mini
// kernel (rules/zone-device-without-devmap/fixtures/tree), or a case's own `<case>.tree/`, copied
// into a temporary directory. The rules moved to rules/<id>/ run their cases so from their own tests.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/pipeline.js';
import { readGitRange } from '../src/input/git.js';
import { findRule } from '../src/rules.js';
import type { Finding } from '../src/types.js';
import { caseTreeOf, casesOf, readExpectations } from './helpers/fixtures.js';
import { gitEnv } from './helpers/gitrepo.js';
import { splitMbox } from '../src/mail/split.js';

const IDS = ['arch-hook-signature-drift'];
const BASE = 'rules/zone-device-without-devmap/fixtures/tree';

let tmp: string;
let plain: string;
let repo: string;
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();

/** A plain copy and a git repository of `base` under `name` in the temporary directory. */
function setUp(base: string, name: string): { plain: string; repo: string } {
  const trees = { plain: join(tmp, `${name}-plain`), repo: join(tmp, `${name}-repo`) };
  cpSync(base, trees.plain, { recursive: true });
  cpSync(base, trees.repo, { recursive: true });
  git(trees.repo, 'init', '-q', '-b', 'master');
  git(trees.repo, 'add', '.');
  git(trees.repo, 'commit', '-qm', 'base');
  git(trees.repo, 'tag', 'base');
  return trees;
}

const caseTrees = new Map<string, { plain: string; repo: string }>();
/** The trees a case is checked against: its own `<case>.tree/`, else the shared base. */
function treesOf(file: string): { plain: string; repo: string } {
  const own = caseTreeOf(file);
  if (!own) return { plain, repo };
  let t = caseTrees.get(own);
  if (!t) caseTrees.set(own, (t = setUp(own, own.replace(/\W+/g, '_'))));
  return t;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'zdarch-'));
  ({ plain, repo } = setUp(BASE, 'base'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `<rule> <patch title> <where>`: comparable across modes (a git range has no cover letter, so indices shift). */
function expected(file: string, id: string, mode: 'mail' | 'git'): string[] {
  const titles = splitMbox(readFileSync(file)).map((raw) => /^Subject: (?:\[[^\]]*\] )?(.*)$/m.exec(raw.data.toString('utf8').replace(/\n[ \t]+/g, ' '))?.[1] ?? '');
  return readExpectations(file).filter((e) => e.rule === id).map((e) => `${e.rule} ${titles[e.index]} ${e.where}`.trim()).sort();
}
/** What a finding says: its one-line message, then the detail behind it. */
const said = (f: Finding): string => `${f.message}\n${f.detail ?? ''}`;

function actual(findings: Finding[], id: string): string[] {
  return findings.filter((f) => f.rule === id)
    .map((f) => `${f.rule} ${(f.patch ?? '').replace(/^\[[^\]]*\] /, '')} ${f.file ? `${f.file}${f.line !== null ? `:${f.line}` : ''}` : ''}`.trim()).sort();
}

for (const id of IDS) {
  const rule = findRule(id)!;
  describe(id, () => {
    for (const file of casesOf(join('fixtures', id))) {
      it(`${file}: with a plain tree`, async () => {
        const { findings } = await check([{ kind: 'path', path: file }], { tree: treesOf(file).plain, kernel: null, rules: [rule] });
        expect(findings.filter((f) => f.rule === 'internal-error')).toEqual([]);
        expect(actual(findings, id)).toEqual(expected(file, id, 'mail'));
        if (id === 'arch-hook-signature-drift')
          for (const f of findings.filter((x) => x.rule === id)) expect(said(f)).toContain('base tree');
      });
      it(`${file}: with a git work tree`, async () => {
        const { findings } = await check([{ kind: 'path', path: file }], { tree: treesOf(file).repo, kernel: null, rules: [rule] });
        expect(actual(findings, id)).toEqual(expected(file, id, 'mail'));
      });
      it(`${file}: as a git range (git am, then --git base..HEAD)`, async () => {
        const work = join(tmp, `am-${id}-${file.split('/').pop()}`);
        git(tmp, 'clone', '-q', treesOf(file).repo, work);
        // git am stops at a cover letter (no diff): feed it the patches only.
        const patches = splitMbox(readFileSync(file)).map((raw) => raw.data.toString('utf8')).filter((m) => m.includes('\ndiff --git '));
        const mbox = join(work, '..', `${file.split('/').pop()}.am`);
        writeFileSync(mbox, patches.map((m) => `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n${m}${m.endsWith('\n') ? '' : '\n'}`).join(''));
        git(work, 'am', '-q', mbox);
        const spec = await readGitRange('origin/master..HEAD', work);
        const { findings } = await check([spec], { tree: null, kernel: null, rules: [rule] });
        expect(findings.filter((f) => f.rule === 'internal-error')).toEqual([]);
        expect(actual(findings, id)).toEqual(expected(file, id, 'git'));
      });
    }
  });
}

describe('messages say what they were judged from', () => {
  const run = async (file: string, id: string, tree: string | null) =>
    (await check([{ kind: 'path', path: file }], { tree, kernel: null, rules: [findRule(id)!] })).findings.filter((f) => f.rule === id);

  it('arch-hook-signature-drift names every definition left behind, with base-tree lines', async () => {
    const [f] = await run('fixtures/arch-hook-signature-drift/bad-only-x86-updated.mbox', 'arch-hook-signature-drift', plain);
    expect(said(f!)).toContain('arch_add_memory() changes from int (int, u64, u64, struct mhp_params*) to int (int, u64, u64, struct mhp_params*, struct memory_group*)');
    for (const where of ['arch/arm64/mm/mmu.c:4', 'arch/ia64/mm/init.c:4', 'arch/loongarch/mm/init.c:4', 'arch/powerpc/mm/mem.c:4', 'arch/s390/mm/init.c:4', 'arch/sh/mm/init.c:4'])
      expect(said(f!)).toContain(where);
    expect(said(f!)).not.toContain('arch/x86');
    const [m] = await run('fixtures/arch-hook-signature-drift/bad-only-x86-updated.mbox', 'arch-hook-signature-drift', null);
    expect(said(m!)).toContain("no base tree: the definitions are those zdcheck's model lists");
    expect(said(m!)).toContain('arch/sh/mm/init.c');
  });

  it('arch-hook-signature-drift flags definitions fixed only by a later patch (bisection)', async () => {
    for (const tree of [plain, null]) {
      const [f] = await run('fixtures/arch-hook-signature-drift/bad-arches-updated-later.mbox', 'arch-hook-signature-drift', tree);
      expect(f!.patch).toContain('1/2');
      expect(said(f!)).toContain('updated only in patch 2/2');
      expect(said(f!)).toContain('arch/sh/mm/init.c');
    }
  });
});
