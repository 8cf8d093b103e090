import { describe, expect, it } from 'vitest';
import rule from '../rules/memory-type-misuse.js';
import { runRules } from './helpers/run-rules.js';
import type { Collection } from '../src/types.js';
import { itMatchesItsFixtures, runFixture } from './rule-fixture-helpers.js';
import { patchOf, seriesOf } from './source-helpers.js';

const ID = 'memory-type-misuse';

describe(`${ID}: fixtures`, () => {
  itMatchesItsFixtures(ID, rule);

  it('says which guard, which type and which model property', async () => {
    const run = await runFixture(`fixtures/${ID}/bad-branches-swapped.mbox`, rule, null);
    // The guard and the type in the one-line message; the model's property and the fix in the detail.
    expect(run.findings.map((f) => [f.message, f.detail])).toEqual([
      ['pte_mkdevmap() makes a present PTE for a MEMORY_DEVICE_PRIVATE page (guard is_device_private_page(page) at line 6), which the CPU cannot address',
        'model: cpu_addressable false, user_mapping device-private-swap-entry; map it with a device-private swap entry (make_*_device_private_entry) instead'],
      ['make_device_private_entry() encodes a MEMORY_DEVICE_PUBLIC page (guard is_device_public_page(page) at line 8) as a device-private swap entry',
        'MEMORY_DEVICE_PUBLIC is mapped as normal-pte (model: user_mapping); only MEMORY_DEVICE_PRIVATE pages take device-private entries'],
    ]);
  });
});

/** The rule over one function body added by one patch; returns `line message-start`. */
function findingsFor(body: string, kernel: string | null = null): string[] {
  const lines = ['static void f(struct page *page, struct folio *folio, pte_t pte)', '{', ...body.split('\n'), '}'];
  const diff = `--- /dev/null\n+++ b/mm/x.c\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`;
  const collection: Collection = { series: [seriesOf(patchOf('p1', diff))], stray: [], unreadable: [], gitBase: null };
  return runRules([rule], collection, { tree: null, kernel }, { base: null }).map((f) => `${f.line} ${f.message.split(' ').slice(0, 2).join(' ')}`);
}

describe(`${ID}: guards`, () => {
  it('reads if/else, else-if, ?:, && and early returns', () => {
    expect(findingsFor('\tif (is_device_private_page(page))\n\t\tpte = mk_pte(page, PAGE_KERNEL);')).toEqual(['4 mk_pte() makes']);
    expect(findingsFor('\tif (!is_device_private_page(page))\n\t\tpte = mk_pte(page, PAGE_KERNEL);')).toEqual([]);
    expect(findingsFor('\tif (!is_device_private_page(page))\n\t\treturn;\n\telse\n\t\tpte = mk_pte(page, PAGE_KERNEL);')).toEqual(['6 mk_pte() makes']);
    expect(findingsFor('\tif (pte_present(pte) && unlikely(is_device_private_page(page)))\n\t\tpte = pte_mkdevmap(pte);')).toEqual(['4 pte_mkdevmap() makes']);
    expect(findingsFor('\tif (is_device_private_page(page))\n\t\tpte = pte_mkdevmap(mk_pte(page, PAGE_KERNEL));')).toEqual(['4 pte_mkdevmap() makes']);
    expect(findingsFor('\tif (pte_present(pte) || is_device_private_page(page))\n\t\tpte = pte_mkdevmap(pte);')).toEqual([]);
    expect(findingsFor('\tpte = is_device_private_page(page) ? pte : mk_pte(page, PAGE_KERNEL);')).toEqual([]);
    expect(findingsFor('\tpte = !is_device_private_page(page) ? pte : mk_pte(page, PAGE_KERNEL);')).toEqual(['3 mk_pte() makes']);
    expect(findingsFor('\tif (!folio_is_zone_device(folio))\n\t\tgoto out;\n\tlist_del(&folio->lru);\nout:\n\treturn;')).toEqual(['5 folio->lru uses']);
  });

  it('needs the guard to be about the same page, and one type at a time', () => {
    expect(findingsFor('\tif (is_device_private_page(page))\n\t\tpte = mk_pte(other, PAGE_KERNEL);')).toEqual([]);
    expect(findingsFor('\tif (is_device_private_page(page))\n\t\tpte = mk_pte(&folio->page, PAGE_KERNEL);')).toEqual([]);
    expect(findingsFor('\tif (folio_is_device_private(folio))\n\t\tpte = mk_pte(&folio->page, PAGE_KERNEL);')).toEqual(['4 mk_pte() makes']);
    expect(findingsFor('\tif (is_device_private_page(page) && is_device_coherent_page(page))\n\t\tpte = pte_mkdevmap(pte);')).toEqual([]);
  });

  it('reads properties from the model at the kernel: private pages take private entries, coherent ones do not', () => {
    expect(findingsFor('\tif (is_device_private_page(page))\n\t\te = make_writable_device_private_entry(page_to_pfn(page));')).toEqual([]);
    expect(findingsFor('\tif (is_device_coherent_page(page))\n\t\te = make_writable_device_private_entry(page_to_pfn(page));', '6.1'))
      .toEqual(['4 make_writable_device_private_entry() encodes']);
    // FOLL_LONGTERM tested, or removed from the flags, is no pin.
    expect(findingsFor('\tif (is_device_coherent_page(page) && (flags & FOLL_LONGTERM))\n\t\treturn;')).toEqual([]);
    expect(findingsFor('\tif (is_device_coherent_page(page))\n\t\tget_user_pages(a, 1, flags & ~FOLL_LONGTERM, &page);')).toEqual([]);
    expect(findingsFor('\tif (is_device_coherent_page(page))\n\t\tget_user_pages(a, 1, FOLL_LONGTERM, &page);', '6.1')).toEqual(['4 get_user_pages(..., FOLL_LONGTERM']);
  });

  it('judges only added lines', () => {
    const diff = `--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,4 +1,5 @@ void f(struct page *page)\n \tif (is_zone_device_page(page)) {\n \t\tlist_add(&page->lru, &l);\n+\t\tcount++;\n \t}\n \treturn;\n`;
    const collection: Collection = { series: [seriesOf(patchOf('p1', diff))], stray: [], unreadable: [], gitBase: null };
    expect(runRules([rule], collection, { tree: null, kernel: null }, { base: null })).toEqual([]);
  });
});
