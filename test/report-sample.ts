// Hand-built results for the reporter tests: a two-patch series with a cover letter, one
// unreadable message, and findings at every level (file+line, file, patch, series, input).
import type { Collection, Finding, MailMessage, Patch, Series } from '../src/types.js';
import type { ReportInput, RuleDoc } from '../src/report/types.js';

function message(subject: string, index: number): MailMessage {
  return {
    origin: { source: 'series.mbox', index, line: 1 + index * 40 },
    from: { name: 'Ada Dev', address: 'ada@example.org' },
    to: [],
    cc: [],
    subject,
    date: null,
    messageId: `<m${index}@example.org>`,
    inReplyTo: null,
    references: [],
    body: '',
    headers: new Map(),
    commit: null,
  };
}

export function patch(
  key: string,
  subject: string,
  index: number | null,
  files: string[],
  kind: Patch['kind'] = 'patch',
): Patch {
  return {
    key,
    kind,
    message: message(subject, index ?? 0),
    subject,
    tags: {
      prefix: 'PATCH',
      rfc: false,
      version: 2,
      index,
      total: 2,
      reply: false,
      title: subject.replace(/^\[[^\]]*\]\s*/, ''),
    },
    author: { name: 'Ada Dev', address: 'ada@example.org' },
    date: null,
    commitMessage: '',
    trailers: [],
    diffstat: null,
    files: files.map((f) => ({
      oldPath: f,
      newPath: f,
      status: 'modified' as const,
      binary: false,
      oldMode: null,
      newMode: null,
      hunks: [],
      additions: 1,
      deletions: 0,
    })),
    baseCommit: null,
    recipients: null,
  };
}

export const cover = patch('<c@x>', '[PATCH v2 0/2] mm: device-private helpers', 0, [], 'cover');
export const p1 = patch('<p1@x>', '[PATCH v2 1/2] mm/memremap: add is_device_foo_page()', 1, [
  'include/linux/memremap.h',
  'mm/memremap.c',
]);
export const p2 = patch('<p2@x>', '[PATCH v2 2/2] mm/migrate: use is_device_foo_page()', 2, ['mm/migrate.c']);

export const series: Series = {
  key: '<c@x>',
  title: 'mm: device-private helpers',
  version: 2,
  total: 2,
  cover,
  patches: [p1, p2],
  replies: [],
};

export const collection: Collection = {
  series: [series],
  stray: [],
  unreadable: [
    { origin: { source: 'series.mbox', index: 3, line: 121 }, label: '<bad@x>', reason: 'corrupt base64 part' },
  ],
  gitBase: null,
};

const f = (
  rule: string,
  severity: Finding['severity'],
  message: string,
  p: Patch | null,
  file: string | null,
  line: number | null,
  seriesKey: string | null = series.key,
): Finding => ({
  rule,
  severity,
  message,
  patch: p ? p.subject : null,
  file,
  line,
  series: seriesKey,
  patchKey: p ? p.key : null,
});

export const findings: Finding[] = [
  f('uncalled-predicate', 'error', 'is_device_foo_page is used without being called', p2, 'mm/migrate.c', 94),
  f('missing-signoff', 'error', 'no Signed-off-by from the author Ada Dev <ada@example.org>', p1, null, null),
  f('stub-missing', 'warning', 'no !CONFIG stub for is_device_foo_page()', p1, 'include/linux/memremap.h', null),
  f('cover-diffstat-mismatch', 'warning', 'cover letter says 3 files changed; the patches change 3', cover, null, null),
  f('series-numbering', 'error', 'a part is missing: 3/2', null, null, null),
  f(
    'unreadable-message',
    'warning',
    'message 3 (<bad@x>) could not be decoded: corrupt base64 part',
    null,
    null,
    null,
    null,
  ),
];

export const rules: RuleDoc[] = [
  {
    id: 'series-numbering',
    severity: 'error',
    description: 'Parts of a series are missing, duplicated or mixed',
    docPath: 'rules/series-numbering.md',
    doc: '# series-numbering\n\nEvery part 1..N of a series is present once, with one total and one version.\n\n## Why\n\nReviewers...\n',
    helpUri: 'https://example.org/zdcheck/blob/main/rules/series-numbering.md',
  },
  {
    id: 'missing-signoff',
    severity: 'error',
    description: 'No Signed-off-by from the patch author',
    docPath: 'rules/missing-signoff.md',
    doc: null,
    helpUri: null,
  },
];

export const input: ReportInput = { collection, findings, rules, tool: { name: 'zdcheck', version: '0.1.0' } };
