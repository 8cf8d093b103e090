import { describe, expect, it } from 'vitest';
import type { Collection } from '../../src/types.js';
import { runRules } from '../../test/helpers/run-rules.js';
import { testRule } from '../../test/rule-tester.js';
import { patchOf, seriesOf } from '../../test/source-helpers.js';
import rule from './index.js';

const ID = 'uncalled-predicate';

// Every case in mail, tree and git modes (each declares X-Modes): the same findings in all three.
testRule(rule, import.meta.dirname);

/** `file:line name`: where it fired and on which function. */
function findingsFor(diff: string): string[] {
  const series = seriesOf(patchOf('p1', diff));
  const collection: Collection = { series: [series], stray: [], unreadable: [], gitBase: null };
  return runRules([rule], collection, { tree: null, kernel: null }, { base: null }).map((f) => {
    expect(f.messageId).toBe('uncalled');
    return `${f.file}:${f.line} ${String(f.data?.['name'])}`;
  });
}

const wrap = (body: string[], ctx = 'static int f(struct page *page)') => `diff --git a/mm/x.c b/mm/x.c
--- a/mm/x.c
+++ b/mm/x.c
@@ -10,2 +10,${body.length + 2} @@ ${ctx}
 	int r = 0;
 
${body.map((l) => `+${l}`).join('\n')}
`;

describe(`${ID}: cases`, () => {
  it('says the test is always false under !, always true otherwise', () => {
    const series = seriesOf(patchOf('p1', wrap(['\tif (!pte_devmap)', '\t\tr++;', '\tif (pte_devmap)', '\t\tr++;'])));
    const found = runRules(
      [rule],
      { series: [series], stray: [], unreadable: [], gitBase: null },
      { tree: null, kernel: null },
      { base: null },
    );
    expect(found.map((f) => [f.messageId, f.data])).toEqual([
      ['uncalled', { name: 'pte_devmap', always: 'false' }],
      ['uncalled', { name: 'pte_devmap', always: 'true' }],
    ]);
  });

  it('fires on ||, &&, !, if, while, ?: conditions with a known predicate', () => {
    const out = findingsFor(
      wrap([
        '\tif (a || is_device_private_page)',
        '\t\tr++;',
        '\tif (pte_devmap && b)',
        '\t\tr++;',
        '\tif (!folio_is_zone_device)',
        '\t\tr++;',
        '\tif (is_zone_device_page)',
        '\t\tr++;',
        '\twhile (pmd_devmap)',
        '\t\tr++;',
        '\tr = is_pci_p2pdma_page ? 1 : 2;',
      ]),
    );
    expect(out).toEqual([
      'mm/x.c:12 is_device_private_page',
      'mm/x.c:14 pte_devmap',
      'mm/x.c:16 folio_is_zone_device',
      'mm/x.c:18 is_zone_device_page',
      'mm/x.c:20 pmd_devmap',
      'mm/x.c:22 is_pci_p2pdma_page',
    ]);
  });

  it('knows functions the series itself declares', () => {
    const diff =
      `diff --git a/include/linux/x.h b/include/linux/x.h
--- a/include/linux/x.h
+++ b/include/linux/x.h
@@ -1,1 +1,2 @@
 #include <linux/types.h>
+bool devmem_ready(struct page *page);
` + wrap(['\tif (devmem_ready || devmem_unknown)', '\t\tr++;']);
    expect(findingsFor(diff)).toEqual(['mm/x.c:12 devmem_ready']);
  });

  it('stays silent on members, pointers, &fn, values of ?:, #if defined, shadowing locals, context lines', () => {
    const out = findingsFor(
      wrap([
        '\tif (!ops->page_free || pgmap->ops)',
        '\t\tr++;',
        '\tcb = &is_device_private_page;',
        '\tcb = r ? is_device_private_page : NULL;',
        '#if defined(pte_devmap) || IS_ENABLED(CONFIG_X)',
        '\tr++;',
        '#endif',
        '\tr += g(is_device_private_page);',
      ]),
    );
    expect(out).toEqual([]);
    const shadow = findingsFor(wrap(['\tbool pte_devmap = r > 1;', '', '\tif (pte_devmap && r)', '\t\tr++;']));
    expect(shadow).toEqual([]);
    const context = findingsFor(`diff --git a/mm/x.c b/mm/x.c
--- a/mm/x.c
+++ b/mm/x.c
@@ -10,2 +10,3 @@ static int f(struct page *page)
 	if (a || pte_devmap)
 		r++;
+	r--;
`);
    expect(context).toEqual([]);
  });

  it('does not judge an expression that did not parse', () => {
    expect(findingsFor(wrap(['\tif (a || is_device_private_page ]] (', '\t\tr++;']))).toEqual([]);
  });
});
