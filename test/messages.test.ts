// A finding's message is one line a reader takes in at a glance: at most 160 characters on every
// fixture, with and without its base tree; the evidence and the fix go in `detail` (JSON, SARIF).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import seriesNumbering from '../rules/series-numbering.js';
import { runRules } from './helpers/run-rules.js';
import { check } from '../src/pipeline.js';
import { RULES } from '../src/rules.js';
import type { Collection, Patch, Series } from '../src/types.js';
import { caseTreeOf, casesOf, treeOf } from './helpers/fixtures.js';
import { fixtureDir } from './helpers/rule-paths.js';
import { existsSync } from 'node:fs';

const LIMIT = 160;
/**
 * model-differs-from-tree says in one sentence how the tree differs, a sentence src/model
 * composes (a helper missing from three headers names all three); its location is in the detail.
 */
const OVER_LIMIT_ALLOWED = new Set(['model-differs-from-tree']);

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
            if (f.message.length > LIMIT && !OVER_LIMIT_ALLOWED.has(f.rule)) long.push(`${file}${t ? ' (tree)' : ''}: ${f.rule}: ${f.message.length}: ${f.message}`);
            expect(f.message).not.toContain('\n');
          }
        }
      }
      expect(long).toEqual([]);
    }, 60_000);
  }
});

describe('series-numbering names missing parts as ranges', () => {
  const part = (index: number, total: number): Patch => ({
    key: `<p${index}@x>`, kind: 'patch', subject: `[PATCH ${index}/${total}] x`,
    message: {
      origin: { source: 's', index, line: 1 }, from: null, to: [], cc: [], subject: `[PATCH ${index}/${total}] x`, date: null,
      messageId: `<p${index}@x>`, inReplyTo: null, references: [], body: '', headers: new Map(), commit: null,
    },
    tags: { prefix: `PATCH ${index}/${total}`, rfc: false, version: 1, index, total, reply: false, title: 'x' },
    author: null, date: null, commitMessage: '', trailers: [], diffstat: null, files: [], baseCommit: null, recipients: null,
  });
  const missing = (have: number[], total: number) => {
    const patches = have.map((i) => part(i, total));
    const series: Series = { key: patches[0]!.key, title: 'x', version: 1, total, cover: null, patches, replies: [] };
    const collection: Collection = { series: [series], stray: [], unreadable: [], gitBase: null };
    return runRules([seriesNumbering], collection, { tree: null, kernel: null }, { base: null }).map((f) => f.message);
  };

  it('one part of thirty (a backport carried alone) is one short line', () => {
    expect(missing([28], 30)).toEqual(['parts 1-27, 29, 30 of 30 missing']);
    expect(missing([1, 4, 5], 7)).toEqual(['parts 2, 3, 6, 7 of 7 missing']);
    expect(missing([2], 3)).toEqual(['parts 1, 3 of 3 missing']);
  });
});
