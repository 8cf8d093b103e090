// Every C view rules read, over input nested 5,000 deep: parentheses, braces, calls, && chains,
// ?: chains, switches, #if stacks, #if/#elif chains, and unclosed code. tree-sitter's query
// cursor is quadratic in nesting and asking a node for its parent costs a descent from the root,
// so each view is either a query that gives up past a budget for a linear walk or a walk itself.
// The answers are checked; the timeout only keeps a regression from hanging the suite.
import { describe, expect, it } from 'vitest';
import { buildSource } from '../src/source/index.js';
import {
  calls,
  comments,
  enumBodies,
  functionNames,
  identifiers,
  inError,
  parseCImage,
  switches,
  truthOperands,
  type CFile,
} from '../src/syntax/index.js';
import { patchOf, seriesOf } from './source-helpers.js';

const N = 5_000;

function cFile(lines: string[]): CFile {
  const diff = `--- /dev/null\n+++ b/mm/deep.c\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => '+' + l).join('\n')}\n`;
  return parseCImage(buildSource(seriesOf(patchOf('p', diff)), null).steps()[0]!.post);
}

/** Every view, both scopes: the work a rule run does on the file. */
function everyView(c: CFile) {
  const both = <T>(f: (scope: 'all' | 'added') => T[]) => {
    const all = f('all');
    expect(f('added')).toHaveLength(all.length); // the whole file is added
    return all;
  };
  return {
    functions: functionNames(c),
    enums: both((s) => enumBodies(c, s)),
    switches: both((s) => switches(c, s)),
    comments: both((s) => comments(c, s)),
    calls: both((s) => calls(c, s)),
    truth: both((s) => truthOperands(c, s)),
    identifiers: identifiers(c),
  };
}

describe('C views over 5,000-deep nesting', () => {
  it('nested calls: every call, outermost first', () => {
    const v = everyView(cFile([`int c = ${'f('.repeat(N)}1${')'.repeat(N)};`]));
    expect(v.calls).toHaveLength(N);
    expect(v.calls.every((x) => x.callee === 'f')).toBe(true);
    expect(v.calls.map((x) => x.node.startIndex)).toEqual(
      [...v.calls.map((x) => x.node.startIndex)].sort((a, b) => a - b),
    );
  }, 120_000);

  it('a && chain, a ?: chain and nested parentheses', () => {
    expect(everyView(cFile([`int a(void) { return ${'x && '.repeat(N)}1; }`])).truth.length).toBeGreaterThanOrEqual(N);
    expect(everyView(cFile([`int t = ${'x ? 1 : '.repeat(N)}0;`])).truth).toHaveLength(N);
    expect(everyView(cFile([`int g = ${'('.repeat(N)}h(1)${')'.repeat(N)};`])).calls.map((x) => x.callee)).toEqual([
      'h',
    ]);
  }, 120_000);

  it('nested switches: each keeps its own case', () => {
    const v = everyView(
      cFile([
        'void s(int x)',
        '{',
        ...Array.from({ length: N }, () => 'switch (x) { case 1:'),
        'y();',
        ...Array<string>(N).fill('}'),
        '}',
      ]),
    );
    expect(v.switches).toHaveLength(N);
    expect(v.switches.every((s) => s.cases.length === 1 && !s.hasDefault)).toBe(true);
  }, 120_000);

  it('an enum in an #if/#elif chain: one enumerator per arm, none in error', () => {
    const arms = Array.from({ length: N }, (_, i) => [i ? `#elif C${i}` : `#if C${i}`, `\tX${i} = 1,`]).flat();
    const c = cFile(['enum e {', ...arms, '#endif', '};']);
    const [e] = everyView(c).enums;
    expect(e!.enumerators.map((x) => x.name)).toEqual(Array.from({ length: N }, (_, i) => `X${i}`));
    expect(e!.enumerators.some((x) => inError(x.node))).toBe(false);
  }, 120_000);

  it('#if stacks, braces, comments and unclosed code', () => {
    const ifs = everyView(
      cFile([
        ...Array.from({ length: N }, (_, i) => `#if C${i}`),
        'int h(void) { return a && b(); }',
        ...Array<string>(N).fill('#endif'),
      ]),
    );
    expect(ifs.functions.map((f) => f.name)).toEqual(['h']);
    expect(ifs.calls.map((x) => x.callee)).toEqual(['b']);
    everyView(cFile(['void f(void)', ...Array<string>(N).fill('{'), 'x;', ...Array<string>(N).fill('}')]));
    expect(
      everyView(cFile([...Array.from({ length: N }, () => '{ /* c */'), ...Array<string>(N).fill('}')])).comments,
    ).toHaveLength(N);
    const unclosed = cFile([
      'void u(void)',
      ...Array.from({ length: N }, () => '{ if (x) ('),
      ...Array<string>(N).fill('#ifdef Y'),
    ]);
    everyView(unclosed);
    // broken code: every identifier of it stands in or on an error
    expect(identifiers(unclosed).every((x) => inError(x.node))).toBe(true);
  }, 120_000);
});
