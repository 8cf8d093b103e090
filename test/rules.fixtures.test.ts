// fixtures/examples must match the expectations of every registered rule; fixtures/clean must stay
// clean. Each rule's own cases run from its own test (rules/<id>/<id>.test.ts, test/rule-tester.ts).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../src/rules.js';
import { readCase, runCase } from './rule-tester.js';

const ALL_IDS = new Set(RULES.map((r) => r.meta.id));
const casesIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /\.(mbox|patch|eml)$/.test(f))
    .sort()
    .map((f) => join(dir, f));

describe('examples and clean fixtures', () => {
  for (const file of casesIn(join('fixtures', 'examples'))) {
    it(`${file} shows exactly its X-Expect findings`, async () => {
      const run = await runCase(readCase(file), 'mail', RULES, ALL_IDS);
      expect(run.actual).toEqual(run.expected);
    }, 20_000);
  }
  for (const file of casesIn(join('fixtures', 'clean'))) {
    it(`${file} has no warning or error`, async () => {
      const run = await runCase(readCase(file), 'mail', RULES, ALL_IDS);
      expect(run.findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
    }, 20_000);
  }
});
