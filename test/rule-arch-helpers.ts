// Builds Patch / Series / Collection values straight from unified diffs, so rule logic
// can be tested without the mail stages. Fixture tests cover the full pipeline.
import type { Collection, Patch, Person, Series } from '../src/types.js';
import type { CheckOptions, Rule } from '../src/engine/rule.js';
import { parseDiffText } from '../src/patch/index.js';
import { runRules } from './helpers/run-rules.js';

const addr = (a: string): Person => ({ name: '', address: a });

export function makePatch(subject: string, diff: string, recipients: string[] | null = null, i = 1, n = 1): Patch {
  return {
    key: `k${i}`,
    kind: 'patch',
    message: {
      origin: { source: 'test', index: i - 1, line: 1 },
      from: addr('dev@example.org'),
      to: [],
      cc: [],
      subject,
      date: null,
      messageId: null,
      inReplyTo: null,
      references: [],
      body: diff,
      headers: new Map(),
      commit: null,
    },
    subject: n > 1 ? `[PATCH ${i}/${n}] ${subject}` : `[PATCH] ${subject}`,
    tags: {
      prefix: 'PATCH',
      rfc: false,
      version: 1,
      index: n > 1 ? i : null,
      total: n > 1 ? n : null,
      reply: false,
      title: subject,
    },
    author: addr('dev@example.org'),
    date: null,
    commitMessage: subject,
    trailers: [],
    diffstat: null,
    files: parseDiffText(diff),
    baseCommit: null,
    recipients: recipients ? recipients.map(addr) : null,
  };
}

export function makeSeries(patches: Patch[]): Series {
  return {
    key: 's',
    title: 't',
    version: 1,
    total: patches.length > 1 ? patches.length : null,
    cover: null,
    patches,
    replies: [],
  };
}

export function run(
  rule: Rule,
  patches: Patch[],
  options: Partial<CheckOptions> = {},
  gitBase: Collection['gitBase'] = null,
) {
  const collection: Collection = { series: [makeSeries(patches)], stray: [], unreadable: [], gitBase };
  return runRules([rule], collection, { tree: null, kernel: null, ...options });
}
