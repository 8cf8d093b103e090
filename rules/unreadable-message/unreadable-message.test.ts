import { describe, expect, it } from 'vitest';
import type { Collection } from '../../src/types.js';
import { runRules } from '../../test/helpers/run-rules.js';
import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'unreadable-message';

// Every case in mail mode: what could not be decoded is a property of the input alone.
testRule(rule, import.meta.dirname);

describe(`${ID}: which message and why`, () => {
  it('puts the message and the reason on the line, the label and the particulars in the detail', () => {
    const collection: Collection = {
      series: [],
      stray: [],
      gitBase: null,
      unreadable: [
        {
          origin: { source: 'thread.mbox', index: 2, line: 77 },
          label: '<p2@example.org>',
          reason: 'body decodes to binary data (471 control characters)',
        },
      ],
    };
    const found = runRules([rule], collection, { tree: null, kernel: null });
    expect(found.map((f) => [f.messageId, f.data, f.detail, f.patch, f.series])).toEqual([
      [
        'skipped',
        { source: 'thread.mbox', number: 3, line: 77, reason: 'body decodes to binary data' },
        '<p2@example.org>: body decodes to binary data (471 control characters)',
        null,
        null,
      ],
    ]);
  });
});
