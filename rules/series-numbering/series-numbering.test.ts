import { describe, expect, it } from 'vitest';
import type { Collection, Patch, Series } from '../../src/types.js';
import { runRules } from '../../test/helpers/run-rules.js';
import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'series-numbering';

testRule(rule, import.meta.dirname);

describe(`${ID}: names missing parts as ranges`, () => {
  const part = (index: number, total: number): Patch => ({
    key: `<p${index}@x>`,
    kind: 'patch',
    subject: `[PATCH ${index}/${total}] x`,
    message: {
      origin: { source: 's', index, line: 1 },
      from: null,
      to: [],
      cc: [],
      subject: `[PATCH ${index}/${total}] x`,
      date: null,
      messageId: `<p${index}@x>`,
      inReplyTo: null,
      references: [],
      body: '',
      headers: new Map(),
      commit: null,
    },
    tags: { prefix: `PATCH ${index}/${total}`, rfc: false, version: 1, index, total, reply: false, title: 'x' },
    author: null,
    date: null,
    commitMessage: '',
    trailers: [],
    diffstat: null,
    files: [],
    baseCommit: null,
    recipients: null,
  });
  const missing = (have: number[], total: number) => {
    const patches = have.map((i) => part(i, total));
    const series: Series = { key: patches[0]!.key, title: 'x', version: 1, total, cover: null, patches, replies: [] };
    const collection: Collection = { series: [series], stray: [], unreadable: [], gitBase: null };
    return runRules([rule], collection, { tree: null, kernel: null }, { base: null }).map((f) => [f.messageId, f.data]);
  };

  it('one part of thirty (a backport carried alone) is one short line', () => {
    expect(missing([28], 30)).toEqual([['partsMissing', { parts: '1-27, 29, 30', total: 30 }]]);
    expect(missing([1, 4, 5], 7)).toEqual([['partsMissing', { parts: '2, 3, 6, 7', total: 7 }]]);
    expect(missing([2], 3)).toEqual([['partsMissing', { parts: '1, 3', total: 3 }]]);
    expect(missing([1, 2], 3)).toEqual([['partMissing', { parts: '3', total: 3 }]]);
  });
});
