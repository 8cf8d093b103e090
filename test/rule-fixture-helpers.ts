// Runs one rule's fixtures through the real pipeline, with and without the fixture's base
// tree, and states the expected findings from the X-Expect headers (fixtures/README.md).
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
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
