// Build conditions read as formulas (src/syntax/condition.ts) and the solver that asks whether a
// line can be compiled while a declaration is not.
import { describe, expect, it } from 'vitest';
import { and, implies, not, parseCondition, parseKconfigExpr, show, sym, witness } from '../src/syntax/condition.js';
import { conditionAt, preprocBranches } from '../src/syntax/preproc.js';

describe('parseCondition', () => {
  it('reads the ways the kernel tests an option', () => {
    expect(show(parseCondition('defined(CONFIG_ZONE_DEVICE)'))).toBe('ZONE_DEVICE');
    expect(show(parseCondition('IS_ENABLED(CONFIG_DEVICE_PRIVATE) && !defined CONFIG_FS_DAX'))).toBe(
      'DEVICE_PRIVATE && !FS_DAX',
    );
    expect(show(parseCondition('defined(CONFIG_A) || (IS_BUILTIN(CONFIG_B) && CONFIG_C)'))).toBe('A || (B && C)');
    expect(show(parseCondition('!IS_ENABLED(CONFIG_X)'))).toBe('!X');
  });
  it('keeps what it cannot interpret as opaque atoms', () => {
    expect(parseCondition('CONFIG_PGTABLE_LEVELS > 3')).toEqual({ k: 'opaque', text: 'CONFIG_PGTABLE_LEVELS > 3' });
    expect(show(parseCondition('defined(__HAVE_ARCH_PTE_DEVMAP) && defined(CONFIG_TRANSPARENT_HUGEPAGE)'))).toBe(
      'defined(__HAVE_ARCH_PTE_DEVMAP) && TRANSPARENT_HUGEPAGE',
    );
    expect(parseCondition('0')).toEqual({ k: 'const', v: false });
    expect(parseCondition('((')).toEqual({ k: 'opaque', text: '((' });
    expect(show(parseCondition('MAX_NUMNODES > 1 && defined(CONFIG_NUMA)'))).toBe('MAX_NUMNODES > 1 && NUMA');
  });
});

describe('parseKconfigExpr', () => {
  it('reads depends on and select conditions', () => {
    expect(show(parseKconfigExpr('MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP'))).toBe(
      'MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP',
    );
    expect(show(parseKconfigExpr('!ARCH_NO_X || (A = y) # a comment'))).toBe('!ARCH_NO_X || A');
    expect(show(parseKconfigExpr('X != n && 64BIT'))).toBe('X && 64BIT');
    expect(parseKconfigExpr('y')).toEqual({ k: 'const', v: true });
  });
});

describe('witness', () => {
  it('finds a configuration in which a use is compiled and the declaration is not', () => {
    // Used in a file built with MEMORY_HOTPLUG; declared under ZONE_DEVICE, which depends on it.
    const use = sym('MEMORY_HOTPLUG');
    const decl = sym('ZONE_DEVICE');
    const kconfig = [implies(sym('ZONE_DEVICE'), sym('MEMORY_HOTPLUG'))];
    const w = witness(and(use, not(decl)), kconfig);
    expect(w).not.toBeNull();
    expect(w === 'unknown' || w === null ? null : [w.get('sym:MEMORY_HOTPLUG'), w.get('sym:ZONE_DEVICE')]).toEqual([
      true,
      false,
    ]);
    // The other way round, ZONE_DEVICE's code can use MEMORY_HOTPLUG's names.
    expect(witness(and(decl, not(use)), kconfig)).toBeNull();
  });
  it('gives up rather than guess past its step budget', () => {
    // Satisfiable only with every symbol off: the search tries "on" first, so it takes many steps.
    const allOff = and(...Array.from({ length: 12 }, (_, k) => not(sym(`S${k}`))));
    expect(witness(allOff)).not.toBeNull();
    expect(witness(allOff, [], 5)).toBe('unknown');
  });
});

describe('conditionAt', () => {
  const image = (lines: string[]) => ({ lines, segments: [{ start: 0, end: lines.length, hunk: null }] });
  it('is each branch, its arm taken and the earlier arms not', () => {
    const lines = ['#ifdef CONFIG_A', 'a();', '#elif defined(CONFIG_B)', 'b();', '#else', 'c();', '#endif', 'd();'];
    const br = preprocBranches(image(lines));
    expect(show(conditionAt(br, 1))).toBe('A');
    expect(show(conditionAt(br, 3))).toBe('B && !A');
    expect(show(conditionAt(br, 5))).toBe('!A && !B');
    expect(show(conditionAt(br, 7))).toBe('y');
  });
  it('names an #if it does not see as an opaque atom', () => {
    const br = preprocBranches(image(['x();', '#else', 'y();', '#endif']));
    expect(show(conditionAt(br, 0))).toMatch(/^\(an #if the hunk does not show/);
  });
});

describe('witness and what it cannot read', () => {
  it('never rests its case on an opaque atom', () => {
    // Declared under an include guard and ZONE_DEVICE: absent when ZONE_DEVICE is off, whatever the guard.
    const decl = and({ k: 'opaque', text: '!defined(_LINUX_MMZONE_H)' }, sym('ZONE_DEVICE'));
    expect(witness(and(sym('MEMORY_HOTPLUG'), not(decl)))).not.toBeNull();
    // Declared under an architecture macro the reader cannot decide: no case.
    const arch = { k: 'opaque', text: 'defined(__HAVE_ARCH_PTE_DEVMAP)' } as const;
    expect(witness(and(sym('MEMORY_HOTPLUG'), not(arch)))).toBeNull();
    // Used under an #if the hunk does not show: no case either.
    expect(
      witness(and({ k: 'opaque', text: '(an #if the hunk does not show: group 0)' }, not(sym('ZONE_DEVICE')))),
    ).toBeNull();
  });
});
