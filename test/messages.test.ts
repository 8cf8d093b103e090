// A finding's message is one line a reader takes in at a glance: at most 160 characters on every
// fixture, with and without its base tree; the evidence and the fix go in `detail` (JSON, SARIF).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/pipeline.js';
import { RULES } from '../src/rules.js';
import { caseTreeOf, casesOf, treeOf } from './helpers/fixtures.js';
import { fixtureDir } from './helpers/rule-paths.js';
import { existsSync } from 'node:fs';

const LIMIT = 160;

describe('messages fit one line', () => {
  for (const id of RULES.map((r) => r.meta.id).filter((x) => existsSync(fixtureDir(x))).sort()) {
    const dir = fixtureDir(id);
    it(`${id}: every finding of every fixture, hunks only and with the tree`, async () => {
      const long: string[] = [];
      for (const file of casesOf(dir)) {
        const tree = caseTreeOf(file) ?? treeOf(dir);
        for (const t of tree ? [null, tree] : [null]) {
          const { findings } = await check([{ kind: 'path', path: file }], { tree: t, kernel: null, rules: RULES });
          for (const f of findings) {
            if (f.message.length > LIMIT) long.push(`${file}${t ? ' (tree)' : ''}: ${f.rule}: ${f.message.length}: ${f.message}`);
            expect(f.message).not.toContain('\n');
          }
        }
      }
      expect(long).toEqual([]);
    }, 60_000);
  }
});
