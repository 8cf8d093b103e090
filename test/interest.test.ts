// The prefilter (RuleMeta.interest, src/engine/interest.ts) only skips work: over every rule's
// fixtures, in mail mode and with the base tree where a case has one, all the rules give the same
// findings with it and without it. A rule whose interest misses a case it reports on fails here.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckOptionsFull } from '../src/pipeline.js';
import { check } from '../src/pipeline.js';
import { RULES } from '../src/rules.js';
import { casesIn } from './rule-tester.js';

const root = resolve(import.meta.dirname, '..');
const dirs = readdirSync(join(root, 'rules'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'lib' && d.name !== 'model' && d.name !== 'queries')
  .map((d) => join(root, 'rules', d.name));
const cases = dirs.flatMap((dir) => casesIn(dir));

async function findings(file: string, tree: string | null, prefilter: boolean): Promise<string> {
  const options: CheckOptionsFull = { tree, kernel: null, rules: RULES, jobs: 1, prefilter };
  const r = await check([{ kind: 'path', path: file }], options);
  return JSON.stringify({ findings: r.findings, model: r.model });
}

describe('the prefilter changes no finding', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(20));
  for (const kase of cases) {
    const name = kase.file.slice(root.length + 1);
    it(name, async () => {
      expect(await findings(kase.file, null, true)).toBe(await findings(kase.file, null, false));
      if (kase.tree)
        expect(await findings(kase.file, kase.tree, true)).toBe(await findings(kase.file, kase.tree, false));
    });
  }
});
