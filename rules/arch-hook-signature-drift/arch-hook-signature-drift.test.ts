// arch-hook-signature-drift: its cases in mail, tree and git modes (each declares X-Modes), and with
// the tree as a git work tree; then what a finding names: every definition left behind, where they
// were looked up, and a definition fixed only by a later patch of the series.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline.js';
import { testWorkTree } from '../../test/helpers/work-tree.js';
import { casesIn, testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'arch-hook-signature-drift';
const FIXTURES = join(import.meta.dirname, 'fixtures');
/** zone-device-without-devmap's mini kernel: arch_add_memory defined by arm64, ia64, loongarch, powerpc, s390, sh and x86. */
const BASE = join(FIXTURES, 'tree');

testRule(rule, import.meta.dirname);
testWorkTree(rule, import.meta.dirname);

const findings = async (path: string, tree: string | null) =>
  (await check([{ kind: 'path', path }], { tree, kernel: null, rules: [rule] })).findings.filter((f) => f.rule === ID);

describe(`${ID}: what a finding names`, () => {
  it('with a base tree, every finding of every bad case says the definitions were found there', async () => {
    const bad = casesIn(import.meta.dirname).filter((c) => /\/bad-[^/]*$/.test(c.file));
    expect(bad.length).toBeGreaterThan(0);
    for (const kase of bad) {
      const found = await findings(kase.file, BASE);
      expect(found.length, kase.file).toBeGreaterThan(0);
      for (const f of found) expect(f.detail, kase.file).toContain(`definitions found in the base tree ${BASE}`);
    }
  });

  it('names every definition left behind, with base-tree lines', async () => {
    const [f, ...rest] = await findings(join(FIXTURES, 'bad-only-x86-updated.mbox'), BASE);
    expect(rest).toEqual([]);
    expect([f!.messageId, f!.data]).toEqual([
      'definitionsLeftBehind',
      { name: 'arch_add_memory', count: 6, arches: 'arm64, ia64, loongarch, powerpc, ...' },
    ]);
    expect(f!.detail).toContain(
      'arch_add_memory() changes from int (int, u64, u64, struct mhp_params*) to int (int, u64, u64, struct mhp_params*, struct memory_group*)',
    );
    for (const where of [
      'arch/arm64/mm/mmu.c:4',
      'arch/ia64/mm/init.c:4',
      'arch/loongarch/mm/init.c:4',
      'arch/powerpc/mm/mem.c:4',
      'arch/s390/mm/init.c:4',
      'arch/sh/mm/init.c:4',
    ])
      expect(f!.detail).toContain(where);
    expect(f!.detail).not.toContain('arch/x86');
    const [m] = await findings(join(FIXTURES, 'bad-only-x86-updated.mbox'), null);
    expect(m!.messageId).toBe('definitionsLeftBehind');
    expect(m!.detail).toContain("no base tree: the definitions are those zdcheck's model lists");
    expect(m!.detail).toContain('arch/sh/mm/init.c');
  });

  it('flags definitions fixed only by a later patch (bisection)', async () => {
    for (const tree of [BASE, null]) {
      const [f] = await findings(join(FIXTURES, 'bad-arches-updated-later.mbox'), tree);
      expect(f!.patch).toContain('1/2');
      expect(f!.detail).toContain('updated only in patch 2/2');
      expect(f!.detail).toContain('arch/sh/mm/init.c');
    }
  });

  it('one definition left behind is one, by its architecture', async () => {
    // Every architecture updated but sh: the good case with sh's file left out.
    const good = readFileSync(join(FIXTURES, 'good-every-arch-updated.mbox'), 'utf8');
    const sh = /^diff --git a\/arch\/sh\/.*?(?=^diff --git )/ms.exec(good)![0];
    const dir = mkdtempSync(join(tmpdir(), 'zdcheck-drift-'));
    try {
      const mbox = join(dir, 'all-but-sh.mbox');
      writeFileSync(mbox, good.replace(sh, ''));
      const [f, ...rest] = await findings(mbox, BASE);
      expect(rest).toEqual([]);
      expect([f!.messageId, f!.data]).toEqual(['definitionLeftBehind', { name: 'arch_add_memory', arches: 'sh' }]);
      expect(f!.message).toBe(
        'arch_add_memory() changes its parameter list, but 1 definition under arch/ (sh) keeps the old one',
      );
      expect(f!.detail).toContain('left behind: arch/sh/mm/init.c:4 (int (int, u64, u64, struct mhp_params*))');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`${ID}: never another era's list`, () => {
  const at = async (kernel: string) =>
    (
      await check([{ kind: 'path', path: join(FIXTURES, 'bad-only-x86-updated.mbox') }], {
        tree: null,
        kernel,
        rules: [rule],
      })
    ).findings.filter((f) => f.rule === ID);

  it('before the first list zdcheck read (4.11), names no architecture as left behind: not checked', async () => {
    const found = await at('4.11');
    expect(found.map((f) => f.messageId)).toEqual(['definitionsNotChecked']);
    expect(found[0]!.severity).toBe('info');
    expect(found[0]!.message).not.toContain('riscv');
  });

  it('between two lists (6.5), asserts only what both have and names the rest as not checked', async () => {
    const found = await at('6.5');
    const left = found.find((f) => f.messageId === 'definitionsLeftBehind')!;
    expect(left.detail).not.toMatch(/riscv|arch\/sh|ia64/);
    expect(left.detail).toContain('arch/loongarch/mm/init.c');
    const unknown = found.find((f) => f.messageId === 'definitionsNotChecked')!;
    expect(unknown.data).toMatchObject({ kernel: '6.5' });
    expect(String(unknown.data?.['arches'])).toMatch(/riscv/);
  });
});
