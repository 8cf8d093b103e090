// Every rule with a folder under fixtures/: its bad-* cases must produce exactly the
// findings their X-Expect headers state, its good-* cases none of its own. fixtures/examples
// must match the expectations of every registered rule; fixtures/clean must stay clean.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { RULES } from '../src/rules.js';
import { hasFolder } from './helpers/rule-paths.js';
import { FIXTURES, caseTreeOf, casesOf, readExpectations, ruleFolders, runFixtureFile, treeOf } from './helpers/fixtures.js';

const ALL_IDS = RULES.map((r) => r.meta.id);

// Rules in a folder of their own run their cases from their own test (rules/<id>/<id>.test.ts).
describe('rule fixtures', () => {
  for (const id of ruleFolders(RULES).filter((x) => !hasFolder(x))) {
    const rule = RULES.find((r) => r.meta.id === id)!;
    const dir = join(FIXTURES, id);
    const tree = treeOf(dir);
    for (const file of casesOf(dir)) {
      it(`${file}`, async () => {
        const run = await runFixtureFile(file, [rule], [id], caseTreeOf(file) ?? tree);
        expect(run.actual).toEqual(run.expected);
        if (file.includes('/bad-')) expect(run.expected.length).toBeGreaterThan(0);
        else expect(readExpectations(file).filter((e) => e.rule === id)).toEqual([]);
        expect(run.findings.filter((f) => f.rule === 'internal-error')).toEqual([]);
      }, 20_000);
    }
  }
});

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
