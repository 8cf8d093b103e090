// Runs one rule's fixtures through the real pipeline, with and without the fixture's base
// tree, and states the expected findings from the X-Expect headers (fixtures/README.md).
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { check } from '../src/pipeline.js';
import type { Rule } from '../src/engine/rule.js';
import type { Finding } from '../src/types.js';

export interface FixtureRun {
  expected: string[];
  actual: string[];
  findings: Finding[];
}

export function fixtureFiles(ruleId: string): string[] {
  const dir = join('fixtures', ruleId);
  return readdirSync(dir).filter((f) => /^(bad|good)-.*\.(mbox|patch)$/.test(f)).sort().map((f) => join(dir, f));
}

export function fixtureTree(ruleId: string): string | null {
  const dir = join('fixtures', ruleId, 'tree');
  return existsSync(dir) ? dir : null;
}

export async function runFixture(path: string, rule: Rule, tree: string | null): Promise<FixtureRun> {
  const { collection, findings } = await check([{ kind: 'path', path }], { tree, kernel: null, rules: [rule] });
  const expected: string[] = [];
  for (const s of collection.series) {
    for (const p of [...(s.cover ? [s.cover] : []), ...s.patches]) {
      for (const e of p.message.headers.get('x-expect') ?? []) {
        const [id, where] = e.trim().split(/\s+/);
        if (id !== rule.meta.id) continue;
        expected.push(where === 'series' ? `${id} series` : `${id} ${p.subject} ${where ?? ''}`.trim());
      }
    }
  }
  const mine = findings.filter((f) => f.rule === rule.meta.id);
  const actual = mine.map((f) => {
    if (f.patch === null) return `${f.rule} series`;
    const where = f.file ? `${f.file}${f.line !== null ? `:${f.line}` : ''}` : '';
    return `${f.rule} ${f.patch} ${where}`.trim();
  });
  return { expected: expected.sort(), actual: actual.sort(), findings: [...findings] };
}

/**
 * The fixture replayed as a git range: the fixture's tree committed in a scratch repository,
 * the mbox applied with `git am`, and the range base..HEAD checked (its base is the base tree).
 * Returns the rule's findings as `subject-title file:line`, comparable with the mail run's.
 */
export async function runAsGitRange(path: string, rule: Rule, tree: string): Promise<string[]> {
  const { cpSync, mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { execFileSync } = await import('node:child_process');
  const { readGitRange } = await import('../src/input/git.js');
  const repo = mkdtempSync(join(tmpdir(), 'zdcheck-range-'));
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.org', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  try {
    cpSync(tree, repo, { recursive: true });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    git('tag', 'base');
    git('am', '-q', join(process.cwd(), path));
    const spec = await readGitRange('base..HEAD', repo);
    const { findings } = await check([spec], { tree: null, kernel: null, rules: [rule] });
    return findings.filter((f) => f.rule === rule.meta.id).map((f) => `${titleOf(f.patch)} ${f.file}:${f.line}`).sort();
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

/** `[PATCH 2/2] mm: x` -> `mm: x`: git am keeps the title, format-patch renumbers the tags. */
export function titleOf(subject: string | null): string {
  return (subject ?? '').replace(/^(\[[^\]]*\]\s*)+/, '');
}

/**
 * One test per fixture of the rule (no base tree): its findings are exactly the X-Expect
 * headers, a bad-* case expects at least one, and nothing ends in an internal error.
 */
export function itMatchesItsFixtures(ruleId: string, rule: Rule): void {
  for (const file of fixtureFiles(ruleId)) {
    it(file, async () => {
      const run = await runFixture(file, rule, null);
      expect(run.actual).toEqual(run.expected);
      if (file.includes('/bad-')) expect(run.expected.length).toBeGreaterThan(0);
      expect(run.findings.filter((f) => f.rule === 'internal-error')).toEqual([]);
    });
  }
}
