import { describe, expect, it } from 'vitest';
import { testRule } from '../../test/rule-tester.js';
import { danglingOperator, newState, scan } from './balance.js';
import rule from './index.js';

testRule(rule, import.meta.dirname);

describe('hunk-breaks-syntax: the lexical count', () => {
  it('counts code, not comments, strings, directives or #else branches', () => {
    expect(
      scan(['\tif (a) { /* ( */', '\t\tf("{", \'(\');', '#ifdef X', '\tif (b) {', '#else', '\tif (c) {', '#endif'])
        .total,
    ).toEqual([0, 0, 2]);
    expect(scan(['#define M(x) \\', '\tdo { \\', '\t\tf(x); \\', '\t} while (0']).total).toEqual([0, 0, 0]);
    expect(
      scan([
        '#define M(x) \\',
        '\tdo { \\',
        '\t\t/*',
        '\t\t * a comment needs no backslash',
        '\t\t */ \\',
        '\t} while (0)',
        '\tf(x);',
      ]).total,
    ).toEqual([0, 0, 0]);
    expect(scan(['\tcodegen("\\', '#ifdef X\\n\\', '", name);']).total).toEqual([0, 0, 0]);
    expect(scan(['struct a {', '#define X 1\t/* a comment (that goes', '\t * on below */', '};']).total).toEqual([
      0, 0, 0,
    ]);
    expect(scan(['\tA = (1 |\t\\', '\t     2),']).total).toEqual([0, 0, 0]);
    expect(scan(['\tx = f((void *)"\\', '\\x20(\\x20{\\', '\\x20\\0", 4096);']).total).toEqual([0, 0, 0]);
  });
  it('starts inside a comment when the stretch closes one it never saw open', () => {
    expect(scan(['   the rest (of it', '   runs on */', '\tf(x);']).total).toEqual([0, 0, 0]);
    expect(scan([' * the rest (of it', ' */', '\tf(x);']).total).toEqual([0, 0, 0]);
  });
  it('carries #if groups from one hunk to the next', () => {
    const state = newState();
    scan(['#ifdef X', '\tf();', '#else', '    {'], state);
    expect(scan(['    }', '#endif'], state).total).toEqual([0, 0, 0]);
  });
  it('finds operators without a right operand, not operators passed as macro arguments', () => {
    expect(danglingOperator(['\tVM_BUG_ON(a ||);'], 0)).toBe('||');
    expect(danglingOperator(['\tif (a &&', '\t)'], 0)).toBe('&&');
    expect(danglingOperator(['\tKUNIT_EXPECT(test, a, ==, b);'], 0)).toBeNull();
    expect(danglingOperator(['\tif (a &&', '\t    b)'], 0)).toBeNull();
    expect(danglingOperator(['\tif ( DEB( debugging || ) !inited)'], 0)).toBeNull();
    const code = scan(['\tif (a &&', '#if 0', '\t    b)', '#else', '\t    c)', '#endif']).code;
    expect(danglingOperator(code, 0)).toBeNull();
  });
});
