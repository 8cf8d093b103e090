// fixtures/examples must match the expectations of every registered rule; fixtures/clean must stay
// clean. Each rule's own cases run from its own test (rules/<id>/<id>.test.ts, test/rule-tester.ts).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { RULES } from '../src/rules.js';
import { FIXTURES, casesOf, runFixtureFile } from './helpers/fixtures.js';

const ALL_IDS = RULES.map((r) => r.meta.id);

describe('examples and clean fixtures', () => {
  for (const file of casesOf(join(FIXTURES, 'examples'), /\.(mbox|patch|eml)$/)) {
    it(`${file} shows exactly its X-Expect findings`, async () => {
      const run = await runFixtureFile(file, RULES, ALL_IDS);
      expect(run.actual).toEqual(run.expected);
    }, 20_000);
  }
  for (const file of casesOf(join(FIXTURES, 'clean'), /\.(mbox|patch|eml)$/)) {
    it(`${file} has no warning or error`, async () => {
      const run = await runFixtureFile(file, RULES, ALL_IDS);
      expect(run.findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
    }, 20_000);
  }
});
