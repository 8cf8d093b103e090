import { describe, expect, it } from 'vitest';
import { definesName, usesName, codeOf } from '../lib/steps.js';
import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

// Every case in mail, tree and git modes (each declares X-Modes): the same findings in all three.
testRule(rule, import.meta.dirname);

describe('breaks-bisection: what a line defines and uses', () => {
  it('a macro call at file scope is no definition; prototypes, #defines and DEFINE_ macros are', () => {
    expect(definesName('EXPORT_SYMBOL(foo);', 'EXPORT_SYMBOL')).toBe(false);
    expect(definesName('void foo(struct page *page);', 'foo')).toBe(true);
    expect(definesName('#define foo(x) bar(x)', 'foo')).toBe(true);
    expect(definesName('DEFINE_STATIC_KEY_FALSE(foo);', 'foo')).toBe(true);
    expect(definesName('\treturn foo(x);', 'foo')).toBe(false);
  });

  it('a member of that name, a struct tag or an #if condition is no use', () => {
    expect(usesName('\tx = pgmap->foo;', 'foo')).toBe(false);
    expect(usesName('\tx = pgmap.foo;', 'foo')).toBe(false);
    expect(usesName('\tstruct foo *p;', 'foo')).toBe(false);
    expect(usesName('\treturn foo(x);', 'foo')).toBe(true);
    expect(codeOf(['#ifdef foo', '#define BAR \\', '\tfoo(1)', 'foo(2);'])).toEqual([
      '',
      '#define BAR \\',
      '',
      'foo(2);',
    ]);
  });
});
