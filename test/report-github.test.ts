import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ANNOTATIONS_PER_KIND,
  escapeData,
  escapeMarkdown,
  escapeProperty,
  formatGithub,
  workflowCommand,
} from '../src/report/github.js';
import type { Finding } from '../src/types.js';
import { findings, input, p2 } from './report-sample.js';

/** The runner's reading of a line: leading whitespace trimmed, a command starts with `::`. */
const COMMAND_LINE = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/s;
function commands(stdout: string) {
  // The runner splits on CR, LF and CRLF alike.
  return stdout
    .split(/\r\n|\r|\n/)
    .map((l) => l.trimStart())
    .filter((l) => l.startsWith('::'))
    .map((l) => {
      const m = COMMAND_LINE.exec(l);
      if (!m) throw new Error(`unparseable command line: ${l}`);
      const props = new Map(
        (m[2] ?? '')
          .split(',')
          .filter(Boolean)
          .map((p) => {
            const i = p.indexOf('=');
            return [p.slice(0, i), unescapeProperty(p.slice(i + 1))] as const;
          }),
      );
      return { name: m[1]!, props, data: unescapeData(m[3]!) };
    });
}
// As the runner's ActionCommand unescapes.
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

describe('github workflow commands', () => {
  it('annotates each finding with file, line and title', () => {
    const out = formatGithub(input).annotations;
    expect(out.split('\n')).toEqual([
      '::error file=mm/migrate.c,line=94,title=zdcheck uncalled-predicate::is_device_foo_page is used without being called',
      '::error title=zdcheck missing-signoff::[PATCH v2 1/2] mm/memremap: add is_device_foo_page(): no Signed-off-by from the author Ada Dev <ada@example.org>',
      '::warning file=include/linux/memremap.h,title=zdcheck stub-missing::no !CONFIG stub for is_device_foo_page()',
      '::warning title=zdcheck cover-diffstat-mismatch::[PATCH v2 0/2] mm: device-private helpers: cover letter says 3 files changed; the patches change 3',
      '::error title=zdcheck series-numbering::a part is missing: 3/2',
      '::warning title=zdcheck unreadable-message::message 3 (<bad@x>) could not be decoded: corrupt base64 part',
      'zdcheck: total: 3 errors, 3 warnings, 2 patches checked',
      '',
    ]);
  });

  it('escapes data and properties as GitHub requires', () => {
    expect(escapeData('100%\r\nnext')).toBe('100%25%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const hostile: Finding = {
      ...findings[0]!,
      file: 'x,line=1,title=t:y.c',
      message: 'oops\n::error::pwned\r::warning file=a::b',
    };
    const line = workflowCommand(hostile);
    expect(line).toBe(
      '::error file=x%2Cline=1%2Ctitle=t%3Ay.c,line=94,title=zdcheck uncalled-predicate::oops%0A::error::pwned%0D::warning file=a::b',
    );
    const parsed = commands(line);
    expect(parsed).toHaveLength(1);
    expect(parsed[0]!.props.get('file')).toBe('x,line=1,title=t:y.c');
    expect(parsed[0]!.data).toBe(hostile.message);
  });

  it('never lets a message, path, subject or rule id start a command of its own (property)', () => {
    const nasty = fc.constantFrom(
      '\n',
      '\r',
      '\r\n',
      '::',
      '::error::pwned',
      ':',
      ',',
      '%',
      '%0A',
      '%25',
      ' ',
      '=',
      '\u2028',
      '::add-mask::x',
      '::stop-commands::t',
    );
    const text = fc
      .array(fc.oneof(fc.string({ unit: 'binary' }), nasty), { maxLength: 8 })
      .map((parts) => parts.join(''));
    const finding = fc.record({
      rule: text,
      severity: fc.constantFrom('error', 'warning', 'info'),
      message: text,
      patch: fc.option(text),
      file: fc.option(text),
      line: fc.option(fc.integer({ min: 1, max: 100000 })),
      series: fc.constant(null),
      patchKey: fc.constant(null),
    }) as fc.Arbitrary<Finding>;
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 40 }), (fs) => {
        const report = formatGithub({ ...input, findings: fs });
        const got = commands(report.annotations);
        // exactly one command per annotated finding, of the intended kind, carrying the intended text
        expect(got).toHaveLength(report.annotated.length);
        got.forEach((c, i) => {
          const f = report.annotated[i]!;
          expect(c.name).toBe({ error: 'error', warning: 'warning', info: 'notice' }[f.severity]);
          expect(c.props.get('file')).toBe(f.file ?? undefined);
          expect(c.props.get('title')).toBe(`zdcheck ${f.rule}`);
          expect(c.data).toBe(f.patch !== null && f.file === null ? `${f.patch}: ${f.message}` : f.message);
        });
        // the log lines that are not commands come from zdcheck itself
        const plain = report.annotations.split(/\r\n|\r|\n/).filter((l) => l !== '' && !l.trimStart().startsWith('::'));
        for (const l of plain) expect(l.startsWith('zdcheck: ')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('annotates at most 10 of each kind and lists the rest in the summary', () => {
    const many: Finding[] = [];
    for (let i = 0; i < 13; i++) many.push({ ...findings[0]!, line: i + 1, message: `error ${i}` });
    for (let i = 0; i < 11; i++)
      many.push({ ...findings[0]!, severity: 'warning', line: 100 + i, message: `warning ${i}` });
    many.push({ ...findings[0]!, severity: 'info', line: 500, message: 'note' });
    const report = formatGithub({ ...input, findings: many });
    const got = commands(report.annotations);
    expect(got.filter((c) => c.name === 'error')).toHaveLength(ANNOTATIONS_PER_KIND);
    expect(got.filter((c) => c.name === 'warning')).toHaveLength(ANNOTATIONS_PER_KIND);
    expect(got.filter((c) => c.name === 'notice')).toHaveLength(1);
    expect(report.annotations).toContain(
      'zdcheck: 4 more findings are not annotated (GitHub shows 10 of each kind per step); see the step summary',
    );
    expect(report.summary.match(/\(not annotated\)/g)).toHaveLength(4);
    expect(report.summary).toContain('| error (not annotated) | uncalled\\-predicate | mm/migrate\\.c:13 | error 12 |');
    const listed = formatGithub({ ...input, findings: many }, { listOverflow: true }).annotations;
    expect(listed).toContain('zdcheck: not annotated: error: mm/migrate.c:11: uncalled-predicate: error 10\n');
  });
});

describe('github annotations with a detail', () => {
  it('put the detail on the lines below the message, escaped like it', () => {
    const f: Finding = { ...findings[0]!, detail: 'why: 100%\nthe rest' };
    expect(workflowCommand(f)).toBe(
      `::error file=mm/migrate.c,line=94,title=zdcheck uncalled-predicate::${f.message}%0Awhy: 100%25%0Athe rest`,
    );
  });
});

describe('github step summary', () => {
  it('is a table of findings per patch', () => {
    const { summary } = formatGithub(input);
    expect(summary).toContain('## zdcheck\n\n3 errors, 3 warnings, 0 notices in 2 patches checked.\n');
    expect(summary).toContain(
      [
        `### \\[PATCH v2 2/2\\] mm/migrate: use is\\_device\\_foo\\_page\\(\\)`,
        '',
        '| severity | rule | location | message |',
        '| --- | --- | --- | --- |',
        '| error | uncalled\\-predicate | mm/migrate\\.c:94 | is\\_device\\_foo\\_page is used without being called |',
      ].join('\n'),
    );
    expect(summary).toContain(`### ${escapeMarkdown(p2.subject)}`);
  });

  it('escapes table cells so a message cannot break the table or inject markup', () => {
    expect(escapeMarkdown('a|b\nc<script>&`x`*y*')).toBe('a\\|b<br>c&lt;script&gt;&amp;\\`x\\`\\*y\\*');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const cell = escapeMarkdown(s);
        const outsideBreaks = cell.replace(/<br>/g, '');
        expect(outsideBreaks).not.toMatch(/[\r\n<>]/);
        // every pipe is escaped
        expect(/(^|[^\\])(\\\\)*\|/.test(cell)).toBe(false);
      }),
    );
  });
});

describe('github output of waived findings', () => {
  const waived = [
    {
      ...findings[0]!,
      waived: { reason: 'known | accepted <b>', origin: 'git notes (zdcheck) of 1a2b3c4d line 2' },
    },
  ];

  it('annotates none of them, says how many on a plain line, and lists them with their reasons in the summary', () => {
    const { annotations, summary } = formatGithub({ ...input, findings: [], waived });
    expect(commands(annotations)).toEqual([]);
    expect(annotations).toContain(
      'zdcheck: 1 findings waived, not annotated (uncalled-predicate); the step summary lists them with their reasons\n',
    );
    expect(summary).toContain(
      [
        '### Waived (1)',
        '',
        '| rule | location | reason | waiver |',
        '| --- | --- | --- | --- |',
        '| uncalled\\-predicate | mm/migrate\\.c:94 | known \\| accepted &lt;b&gt; | git notes \\(zdcheck\\) of 1a2b3c4d line 2 |',
      ].join('\n'),
    );
  });

  it('says nothing about waivers when none matched', () => {
    const { annotations, summary } = formatGithub(input);
    expect(annotations).not.toContain('waived');
    expect(summary).not.toContain('Waived');
  });
});
