// The readers the rules share: C function heads (proto.ts), devmap markers and architectures
// (arch.ts), prototype changes (hooks.ts) and the selects that enable ZONE_DEVICE (enable.ts).
import { describe, expect, it } from 'vitest';
import { makePatch, makeSeries } from '../../test/rule-arch-helpers.js';
import { archOf, markerOn } from './arch.js';
import { enablingSelects } from './enable.js';
import { prototypeChanges } from './hooks.js';
import { findHeads, paramType, sameSignature, signatureKey } from './proto.js';

describe('C function heads', () => {
  it('drops parameter names and attributes, keeps types', () => {
    expect(paramType('struct mhp_params *params')).toBe('struct mhp_params*');
    expect(paramType('u64 start')).toBe('u64');
    expect(paramType('unsigned long')).toBe('unsigned long');
    expect(paramType('unsigned long end')).toBe('unsigned long');
    expect(paramType('const char *name')).toBe('const char*');
    expect(paramType('int (*fn)(int)')).toBe('int(*)(int)');
    expect(paramType('u8 buf[16]')).toBe('u8[]');
    // One C type, several spellings.
    expect(paramType('unsigned syscall')).toBe('unsigned int');
    expect(paramType('unsigned int syscall')).toBe('unsigned int');
    expect(paramType('long int n')).toBe('long');
    expect(paramType('signed x')).toBe('int');
    expect(paramType('unsigned long long v')).toBe('unsigned long long');
    expect(paramType('unsigned char *p')).toBe('unsigned char*');
    expect(paramType('char *p')).toBe('char*');
  });

  it('finds multi-line declarations and definitions, not calls', () => {
    const lines = [
      'extern int arch_add_memory(int nid, u64 start, u64 size,',
      '\t\t\t   struct mhp_params *params);',
      'int __ref arch_add_memory(int nid, u64 start, u64 size,',
      '\t\t    struct mhp_params *p)',
      '{',
      '\treturn arch_add_memory(nid, start, size, p);',
      '}',
      'static int __meminit',
      'vmemmap_populate(unsigned long start, unsigned long end, int node)',
      '{',
      '}',
    ];
    const heads = findHeads(lines, 'arch_add_memory');
    expect(heads.map((h) => [h.kind, h.line, h.end])).toEqual([
      ['declaration', 0, 1],
      ['definition', 2, 3],
    ]);
    expect(sameSignature(heads[0]!, heads[1]!)).toBe(true);
    const vp = findHeads(lines, 'vmemmap_populate');
    expect(vp.map((h) => [h.kind, signatureKey(h)])).toEqual([
      ['definition', 'int (unsigned long, unsigned long, int)'],
    ]);
  });

  it('tells a changed return type or parameter list apart', () => {
    const [a] = findHeads(['int arch_remove_memory(u64 start, u64 size);'], 'arch_remove_memory');
    const [b] = findHeads(['void arch_remove_memory(u64 start, u64 size);'], 'arch_remove_memory');
    const [c] = findHeads(['int arch_remove_memory(u64 s, u64 n);'], 'arch_remove_memory');
    expect(sameSignature(a!, b!)).toBe(false);
    expect(sameSignature(a!, c!)).toBe(true);
  });
});

describe('devmap markers', () => {
  it('recognises definitions in arch headers and the Kconfig select, nothing else', () => {
    expect(markerOn('arch/x86/include/asm/pgtable.h', 'x86', 'static inline int pte_devmap(pte_t a)')).toBe(
      'pte_devmap',
    );
    expect(
      markerOn('arch/arm64/include/asm/pgtable.h', 'arm64', '#define pmd_devmap(pmd)\tpte_devmap(pmd_pte(pmd))'),
    ).toBe('pmd_devmap');
    expect(markerOn('arch/x86/include/asm/pgtable_types.h', 'x86', '#define __HAVE_ARCH_PTE_DEVMAP')).toBe(
      '__HAVE_ARCH_PTE_DEVMAP',
    );
    expect(markerOn('arch/x86/include/asm/pgtable.h', 'x86', '\treturn pte_devmap(pte);')).toBeNull();
    expect(markerOn('arch/x86/mm/fault.c', 'x86', 'static inline int pte_devmap(pte_t a)')).toBeNull();
    expect(markerOn('arch/x86/Kconfig', 'x86', '\tselect ARCH_HAS_PTE_DEVMAP if X86_64')).toBe('ARCH_HAS_PTE_DEVMAP');
    expect(markerOn('arch/arm64/Kconfig', 'x86', '\tselect ARCH_HAS_PTE_DEVMAP')).toBeNull();
    expect(archOf('arch/arm64/Kconfig')).toBe('arm64');
    expect(archOf('mm/Kconfig')).toBeNull();
    // A diff path naming a pathspec glob or magic is not an architecture.
    expect(archOf('arch/*/Kconfig')).toBeNull();
    expect(archOf('arch/:(top)/Kconfig')).toBeNull();
  });
});

describe('series facts', () => {
  it('finds prototype changes whose name sits on a context line', () => {
    const p = makePatch(
      'proto',
      `diff --git a/include/linux/memory_hotplug.h b/include/linux/memory_hotplug.h
--- a/include/linux/memory_hotplug.h
+++ b/include/linux/memory_hotplug.h
@@ -10,3 +10,3 @@
 extern int arch_add_memory(int nid, u64 start, u64 size,
-\t\tstruct mhp_params *params);
+\t\tstruct mhp_params *params, int flags);
 extern u64 max_mem_size;
`,
    );
    const [c] = prototypeChanges(makeSeries([p]));
    expect(c).toMatchObject({ name: 'arch_add_memory', header: 'include/linux/memory_hotplug.h', line: 10 });
    expect(signatureKey(c!.after)).toBe('int (int, u64, u64, struct mhp_params*, int)');
  });

  it('ignores a reworded parameter name', () => {
    const p = makePatch(
      'rename',
      `diff --git a/include/linux/mm.h b/include/linux/mm.h
--- a/include/linux/mm.h
+++ b/include/linux/mm.h
@@ -1,1 +1,1 @@
-void vmemmap_free(unsigned long start, unsigned long end);
+void vmemmap_free(unsigned long from, unsigned long to);
`,
    );
    expect(prototypeChanges(makeSeries([p]))).toEqual([]);
  });

  it('finds enabling selects only in arch Kconfig files', () => {
    const diff = (path: string) => `diff --git a/${path} b/${path}
--- a/${path}
+++ b/${path}
@@ -1,1 +1,2 @@
 config X
+\tselect ARCH_HAS_ZONE_DEVICE if ARM64_4K_PAGES # comment
`;
    const s = makeSeries([makePatch('a', diff('arch/arm64/Kconfig') + diff('mm/Kconfig'))]);
    expect(enablingSelects(s, ['ARCH_HAS_ZONE_DEVICE']).map((e) => [e.path, e.line, e.arch, e.condition])).toEqual([
      ['arch/arm64/Kconfig', 2, 'arm64', 'ARM64_4K_PAGES'],
    ]);
  });
});
