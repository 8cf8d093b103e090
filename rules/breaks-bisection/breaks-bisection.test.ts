import { describe, expect, it } from 'vitest';
import { definesName, usesName, codeOf, covering } from '../lib/steps.js';
import { definedSymbol, kconfigUses, lineUses } from '../lib/symbols.js';
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

describe('breaks-bisection: where a line names a Kconfig symbol', () => {
  const symbols = (line: string) => kconfigUses(line).map((u) => `${u.kind}:${u.symbol}`);

  it('select, imply and the symbols of an expression; not prompts, comments, macros or help text', () => {
    expect(symbols('\tselect ARCH_HAS_PTE_DEVMAP if 64BIT && MMU')).toEqual([
      'select:ARCH_HAS_PTE_DEVMAP',
      'expr:64BIT',
      'expr:MMU',
    ]);
    expect(symbols('\tdepends on ZONE_DEVICE || !MMU # not FOO')).toEqual(['expr:ZONE_DEVICE', 'expr:MMU']);
    expect(symbols('\tbool "Support FOO devices" if EXPERT')).toEqual(['expr:EXPERT']);
    expect(symbols('\tdef_bool $(cc-option,-mfoo) && X86_64')).toEqual(['expr:X86_64']);
    expect(symbols('if HMM_MIRROR')).toEqual(['expr:HMM_MIRROR']);
    expect(symbols('\t  if ZONE_DEVICE is set, say Y')).toEqual([]);
    expect(symbols('\thelp')).toEqual([]);
    expect(definedSymbol('menuconfig DEVICE_PRIVATE')).toBe('DEVICE_PRIVATE');
    expect(definedSymbol('\tselect DEVICE_PRIVATE')).toBe(null);
  });

  it('CONFIG_FOO in C code and Makefiles, not in comments; CONFIG_FOO_MODULE names FOO', () => {
    const names = (kind: 'c' | 'make', line: string) => lineUses(kind, line).map((u) => u.symbol);
    expect(names('c', '#if IS_ENABLED(CONFIG_DEVICE_PRIVATE) /* CONFIG_HMM */')).toEqual(['DEVICE_PRIVATE']);
    expect(names('c', '#ifdef CONFIG_NOUVEAU_MODULE')).toEqual(['NOUVEAU_MODULE', 'NOUVEAU']);
    expect(names('make', 'obj-$(CONFIG_HMM_MIRROR) += hmm.o # CONFIG_HMM')).toEqual(['HMM_MIRROR']);
    expect(names('c', 'pr_info("CONFIG_HMM is off");')).toEqual([]);
  });

  it('a tree search asks for the shortest of names that contain one another', () => {
    expect(covering(['pfn_t_to_page', 'pfn_t', '__pfn_to_pfn_t', 'pmd_devmap', 'PFN_DEV'])).toEqual([
      'pfn_t',
      'PFN_DEV',
      'pmd_devmap',
    ]);
  });
});
