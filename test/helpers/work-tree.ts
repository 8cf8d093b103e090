// A rule's cases against their base tree as a git work tree. `--tree` at a folder with a `.git`
// lists and greps through git's index (git ls-files, git grep without --no-index: src/tree/dir.ts),
// not the file system, so a rule that searches the tree is run both ways: the rule tester's `tree`
// mode takes the plain folder, this the same folder committed, with the same expectations.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Rule } from '../../src/engine/rule.js';
import { casesIn, runCase } from '../rule-tester.js';

/** Every case of `dir/fixtures/` that declares the `tree` mode, run once more with its tree as a git work tree. */
export function testWorkTree(rule: Rule, dir: string): void {
  const id = rule.meta.id;
  const cases = casesIn(dir).filter((c) => c.modes.includes('tree'));
  const root = mkdtempSync(join(tmpdir(), 'zdcheck-work-tree-'));
  const repos = new Map<string, string>();
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** The tree copied and committed, once per tree. */
  const repoOf = (tree: string): string => {
    let repo = repos.get(tree);
    if (repo) return repo;
    repo = join(root, String(repos.size));
    cpSync(tree, repo, { recursive: true });
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.org',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.org',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
    };
    for (const args of [
      ['init', '-q', '-b', 'main'],
      ['add', '-A'],
      ['commit', '-q', '-m', 'base'],
    ])
      execFileSync('git', args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    repos.set(tree, repo);
    return repo;
  };

  describe(`${id}: fixtures with a git work tree`, () => {
    it('has cases in tree mode', () => expect(cases.length).toBeGreaterThan(0));
    for (const kase of cases) {
      it(`${kase.file.slice(kase.file.indexOf('fixtures/'))} (work tree)`, async () => {
        const r = await runCase({ ...kase, tree: repoOf(kase.tree!) }, 'tree', [rule], new Set([id]));
        expect(r.actual).toEqual(r.expected);
        expect(r.findings.filter((f) => f.rule === 'internal-error').map((f) => f.message)).toEqual([]);
      }, 30_000);
    }
  });
}
