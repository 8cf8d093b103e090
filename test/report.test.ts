import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { formatJson } from '../src/report/json.js';
import { docSummary, formatSarif, pathToUri, toSarifLog } from '../src/report/sarif.js';
import { formatText } from '../src/report/text.js';
import type { Finding } from '../src/types.js';
import { collection, findings, input, p1, rules } from './report-sample.js';

describe('text report', () => {
  it('groups findings per patch under its subject, checkpatch-like, with the total line', () => {
    expect(formatText(input)).toBe(
      [
        'input',
        'WARNING: unreadable-message: message 3 (<bad@x>) could not be decoded: corrupt base64 part',
        '',
        'series "mm: device-private helpers" (v2, 2 patches)',
        'ERROR: series-numbering: a part is missing: 3/2',
        '',
        '[PATCH v2 0/2] mm: device-private helpers',
        'WARNING: cover-diffstat-mismatch: cover letter says 3 files changed; the patches change 3',
        '',
        '[PATCH v2 1/2] mm/memremap: add is_device_foo_page()',
        'ERROR: missing-signoff: no Signed-off-by from the author Ada Dev <ada@example.org>',
        'include/linux/memremap.h: WARNING: stub-missing: no !CONFIG stub for is_device_foo_page()',
        '',
        '[PATCH v2 2/2] mm/migrate: use is_device_foo_page()',
        'mm/migrate.c:94: ERROR: uncalled-predicate: is_device_foo_page is used without being called',
        '',
        'total: 3 errors, 3 warnings, 2 patches checked',
        '',
      ].join('\n'),
    );
  });

  it('puts errors first, then warnings, then info within a patch, each by location', () => {
    const at = (severity: Finding['severity'], rule: string, file: string | null, line: number | null): Finding => ({
      ...findings[0]!,
      severity,
      rule,
      file,
      line,
      message: `${rule} here`,
    });
    const out = formatText({
      ...input,
      findings: [
        at('info', 'i-rule', 'mm/migrate.c', 1),
        at('warning', 'w-rule', 'mm/a.c', 3),
        at('error', 'e-rule', 'mm/migrate.c', 90),
        at('warning', 'w-mail', null, null),
        at('error', 'e-first', 'mm/migrate.c', 5),
      ],
    });
    expect(out.split('\n').slice(1, 6)).toEqual([
      'mm/migrate.c:5: ERROR: e-first: e-first here',
      'mm/migrate.c:90: ERROR: e-rule: e-rule here',
      'WARNING: w-mail: w-mail here',
      'mm/a.c:3: WARNING: w-rule: w-rule here',
      'mm/migrate.c:1: INFO: i-rule: i-rule here',
    ]);
  });

  it('prints only the total line when nothing was found', () => {
    expect(formatText({ ...input, findings: [] })).toBe('total: 0 errors, 0 warnings, 2 patches checked\n');
  });

  it('colours severities and headings only when asked', () => {
    const plain = formatText(input);
    expect(plain).not.toContain('\x1b[');
    const coloured = formatText(input, { color: true });
    expect(coloured).toContain('\x1b[31m\x1b[1mERROR\x1b[0m: series-numbering');
    expect(coloured).toContain('\x1b[33mWARNING\x1b[0m');
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('never passes terminal control sequences from the mail through, and indents continuation lines', () => {
    const hostile = { ...findings[0]!, message: 'bad\x1b]0;owned\x07 title\nsecond line\r' };
    const out = formatText({ ...input, findings: [hostile] });
    expect(out).toContain('mm/migrate.c:94: ERROR: uncalled-predicate: bad\\x1b]0;owned\\x07 title\n  second line\n');
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
  });
});

describe('json report', () => {
  it('keeps the contract keys of every finding, and describes the series and what was unreadable', () => {
    const report = JSON.parse(formatJson(input));
    expect(Object.keys(report)).toEqual(['tool', 'findings', 'summary', 'series', 'unreadable', 'base', 'model']);
    expect(report.findings[0]).toEqual({
      rule: 'uncalled-predicate',
      severity: 'error',
      message: 'is_device_foo_page is used without being called',
      patch: '[PATCH v2 2/2] mm/migrate: use is_device_foo_page()',
      file: 'mm/migrate.c',
      line: 94,
    });
    for (const f of report.findings)
      expect(Object.keys(f)).toEqual(['rule', 'severity', 'message', 'patch', 'file', 'line']);
    expect(report.findings).toHaveLength(findings.length);
    expect(report.summary).toEqual({ errors: 3, warnings: 3, infos: 0, patches: 2, waived: 0 });
    expect(report.series).toEqual([
      {
        key: '<c@x>',
        title: 'mm: device-private helpers',
        version: 2,
        total: 2,
        cover: '[PATCH v2 0/2] mm: device-private helpers',
        patches: [
          {
            key: '<p1@x>',
            subject: p1.subject,
            index: 1,
            author: 'Ada Dev <ada@example.org>',
            commit: null,
            files: ['include/linux/memremap.h', 'mm/memremap.c'],
          },
          {
            key: '<p2@x>',
            subject: '[PATCH v2 2/2] mm/migrate: use is_device_foo_page()',
            index: 2,
            author: 'Ada Dev <ada@example.org>',
            commit: null,
            files: ['mm/migrate.c'],
          },
        ],
        replies: 0,
      },
    ]);
    expect(report.unreadable).toEqual([
      { source: 'series.mbox', index: 3, line: 121, label: '<bad@x>', reason: 'corrupt base64 part' },
    ]);
    expect(report.base).toBeNull();
    expect(report.model).toBeNull();
  });
});

describe("a finding's detail (what does not fit its one line)", () => {
  const detailed = { ...findings[0]!, detail: 'its address is never null, so the test is always true; call it' };

  it('is an added JSON key after the contract keys, only on findings that have one', () => {
    const report = JSON.parse(formatJson({ ...input, findings: [detailed, findings[1]!] }));
    expect(Object.keys(report.findings[0])).toEqual(['rule', 'severity', 'message', 'patch', 'file', 'line', 'detail']);
    expect(report.findings[0].detail).toBe(detailed.detail);
    expect(Object.keys(report.findings[1])).toEqual(['rule', 'severity', 'message', 'patch', 'file', 'line']);
  });

  it('follows the message in SARIF (as its second paragraph and as a property), and stays out of the text report', () => {
    const log = JSON.parse(formatSarif({ ...input, findings: [detailed] }));
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results[0].message.text).toBe(`${detailed.message}\n\n${detailed.detail}`);
    expect(log.runs[0].results[0].properties.detail).toBe(detailed.detail);
    expect(formatText({ ...input, findings: [detailed] })).not.toContain('never null');
  });
});

// The published SARIF 2.1.0 schema (JSON Schema draft-04), as shipped by Microsoft's
// sarif-js-sdk in @microsoft/jest-sarif (lib/schemas/sarif-2.1.0-rtm.5.json; rtm.5 is the
// release the OASIS 2.1.0 standard published).
const require = createRequire(import.meta.url);
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// CommonJS modules: require() gives the same export under vitest and tsc alike.
const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
// unicodeRegExp off: the schema's own `language` pattern has a stray `]` that the u flag rejects.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

describe('sarif report', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    const log = JSON.parse(formatSarif(input));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects what the schema rejects (the validator is really checking)', () => {
    const log = JSON.parse(formatSarif(input));
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  it('has one descriptor per rule with the descriptions and help GitHub requires', () => {
    const log = toSarifLog(input);
    const driver = log.runs[0]!.tool.driver;
    expect(driver.rules!.map((r) => r.id)).toEqual([
      'series-numbering',
      'missing-signoff',
      'uncalled-predicate',
      'stub-missing',
      'cover-diffstat-mismatch',
      'unreadable-message',
    ]);
    for (const r of driver.rules!) {
      expect(r.shortDescription?.text).toBeTruthy();
      expect(r.fullDescription?.text).toBeTruthy();
      expect(r.help?.text).toBeTruthy();
    }
    const numbering = driver.rules![0]!;
    expect(numbering.fullDescription!.text).toBe(
      'Every part 1..N of a series is present once, with one total and one version.',
    );
    expect(numbering.help!.markdown).toBe(rules[0]!.doc);
    expect(numbering.helpUri).toBe('https://example.org/zdcheck/blob/main/rules/series-numbering.md');
    expect(numbering.defaultConfiguration).toEqual({ level: 'error' });
  });

  it('gives file findings a physical location and the others a logical one', () => {
    const results = toSarifLog(input).runs[0]!.results!;
    expect(results[0]).toMatchObject({
      ruleId: 'uncalled-predicate',
      ruleIndex: 2,
      level: 'error',
      message: { text: 'is_device_foo_page is used without being called' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'mm/migrate.c' }, region: { startLine: 94 } } }],
    });
    expect(results[2]!.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'include/linux/memremap.h' } } },
    ]);
    expect(results[1]!.locations).toEqual([{ logicalLocations: [{ name: p1.subject, kind: 'patch' }] }]);
    expect(results[4]!.locations).toEqual([{ logicalLocations: [{ name: '<c@x>', kind: 'series' }] }]);
    expect(results[5]!.locations).toEqual([{ logicalLocations: [{ name: 'input', kind: 'input' }] }]);
    expect(results.map((r) => r.level)).toEqual(['error', 'error', 'warning', 'warning', 'error', 'warning']);
  });

  it('percent-encodes paths into URI references and stays valid for odd paths and empty runs', () => {
    expect(pathToUri('drivers/a b/100%.c')).toBe('drivers/a%20b/100%25.c');
    const odd = { ...findings[0]!, file: 'dir with space/#x?.c', line: 0, severity: 'info' as const };
    const log = JSON.parse(formatSarif({ ...input, findings: [odd] }));
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results[0].locations[0].physicalLocation.region).toBeUndefined();
    expect(log.runs[0].results[0].level).toBe('note');
    expect(
      validate(
        JSON.parse(formatSarif({ ...input, collection: { ...collection, series: [] }, findings: [], rules: [] })),
      ),
    ).toBe(true);
  });

  it('takes the first paragraph after the title as the full description', () => {
    expect(docSummary('# id\n\nFirst line\ncontinued.\n\nSecond.')).toBe('First line continued.');
    expect(docSummary('# only a title\n')).toBeNull();
  });
});
