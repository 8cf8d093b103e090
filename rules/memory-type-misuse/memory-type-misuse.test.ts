import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Collection } from '../../src/types.js';
import { runRules } from '../../test/helpers/run-rules.js';
import { readCase, runCase, testRule } from '../../test/rule-tester.js';
import { patchOf, seriesOf } from '../../test/source-helpers.js';
import rule from './index.js';

const ID = 'memory-type-misuse';

// The cases are hunks without a base tree: each runs in mail mode.
testRule(rule, import.meta.dirname);

describe(`${ID}: fixtures`, () => {
  it('says which guard, which type and which model property', async () => {
    const kase = readCase(join(import.meta.dirname, 'fixtures', 'bad-branches-swapped.mbox'));
    const { findings } = await runCase(kase, 'mail', [rule], new Set([ID]));
    // The guard and the type in the one-line message; the model's property and the fix in the detail.
    expect(findings.map((f) => [f.messageId, f.data, f.detail])).toEqual([
      [
        'mappedPresent',
        { code: 'pte_mkdevmap()', type: 'MEMORY_DEVICE_PRIVATE', guard: 'is_device_private_page(page) at line 6' },
        'model: cpu_addressable false, user_mapping device-private-swap-entry; map it with a device-private swap entry (make_*_device_private_entry) instead',
      ],
      [
        'encodedAsPrivate',
        {
          code: 'make_device_private_entry()',
          type: 'MEMORY_DEVICE_PUBLIC',
          guard: 'is_device_public_page(page) at line 8',
        },
        'MEMORY_DEVICE_PUBLIC is mapped as normal-pte (model: user_mapping); only MEMORY_DEVICE_PRIVATE pages take device-private entries',
      ],
    ]);
  });
});

/** The rule over one function body added by one patch; returns `line messageId code`. */
function findingsFor(body: string, kernel: string | null = null): string[] {
  const lines = ['static void f(struct page *page, struct folio *folio, pte_t pte)', '{', ...body.split('\n'), '}'];
  const diff = `--- /dev/null\n+++ b/mm/x.c\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`;
  const collection: Collection = { series: [seriesOf(patchOf('p1', diff))], stray: [], unreadable: [], gitBase: null };
  return runRules([rule], collection, { tree: null, kernel }, { base: null }).map(
    (f) => `${f.line} ${f.messageId} ${f.data?.['code']}`,
  );
}

describe(`${ID}: guards`, () => {
  it('reads if/else, else-if, ?:, && and early returns', () => {
    expect(findingsFor('\tif (is_device_private_page(page))\n\t\tpte = mk_pte(page, PAGE_KERNEL);')).toEqual([
      '4 mappedPresent mk_pte()',
    ]);
    expect(findingsFor('\tif (!is_device_private_page(page))\n\t\tpte = mk_pte(page, PAGE_KERNEL);')).toEqual([]);
    expect(
      findingsFor('\tif (!is_device_private_page(page))\n\t\treturn;\n\telse\n\t\tpte = mk_pte(page, PAGE_KERNEL);'),
    ).toEqual(['6 mappedPresent mk_pte()']);
    expect(
      findingsFor('\tif (pte_present(pte) && unlikely(is_device_private_page(page)))\n\t\tpte = pte_mkdevmap(pte);'),
    ).toEqual(['4 mappedPresent pte_mkdevmap()']);
    expect(
      findingsFor('\tif (is_device_private_page(page))\n\t\tpte = pte_mkdevmap(mk_pte(page, PAGE_KERNEL));'),
    ).toEqual(['4 mappedPresent pte_mkdevmap()']);
    expect(
      findingsFor('\tif (pte_present(pte) || is_device_private_page(page))\n\t\tpte = pte_mkdevmap(pte);'),
    ).toEqual([]);
    expect(findingsFor('\tpte = is_device_private_page(page) ? pte : mk_pte(page, PAGE_KERNEL);')).toEqual([]);
    expect(findingsFor('\tpte = !is_device_private_page(page) ? pte : mk_pte(page, PAGE_KERNEL);')).toEqual([
      '3 mappedPresent mk_pte()',
    ]);
    expect(
      findingsFor('\tif (!folio_is_zone_device(folio))\n\t\tgoto out;\n\tlist_del(&folio->lru);\nout:\n\treturn;'),
    ).toEqual(['5 lruUsed folio->lru']);
  });

  it('needs the guard to be about the same page, and one type at a time', () => {
    expect(findingsFor('\tif (is_device_private_page(page))\n\t\tpte = mk_pte(other, PAGE_KERNEL);')).toEqual([]);
    expect(findingsFor('\tif (is_device_private_page(page))\n\t\tpte = mk_pte(&folio->page, PAGE_KERNEL);')).toEqual(
      [],
    );
    expect(findingsFor('\tif (folio_is_device_private(folio))\n\t\tpte = mk_pte(&folio->page, PAGE_KERNEL);')).toEqual([
      '4 mappedPresent mk_pte()',
    ]);
    expect(
      findingsFor('\tif (is_device_private_page(page) && is_device_coherent_page(page))\n\t\tpte = pte_mkdevmap(pte);'),
    ).toEqual([]);
  });

  it('reads properties from the model at the kernel: private pages take private entries, coherent ones do not', () => {
    expect(
      findingsFor(
        '\tif (is_device_private_page(page))\n\t\te = make_writable_device_private_entry(page_to_pfn(page));',
      ),
    ).toEqual([]);
    expect(
      findingsFor(
        '\tif (is_device_coherent_page(page))\n\t\te = make_writable_device_private_entry(page_to_pfn(page));',
        '6.1',
      ),
    ).toEqual(['4 encodedAsPrivate make_writable_device_private_entry()']);
    // FOLL_LONGTERM tested, or removed from the flags, is no pin.
    expect(findingsFor('\tif (is_device_coherent_page(page) && (flags & FOLL_LONGTERM))\n\t\treturn;')).toEqual([]);
    expect(
      findingsFor('\tif (is_device_coherent_page(page))\n\t\tget_user_pages(a, 1, flags & ~FOLL_LONGTERM, &page);'),
    ).toEqual([]);
    expect(
      findingsFor('\tif (is_device_coherent_page(page))\n\t\tget_user_pages(a, 1, FOLL_LONGTERM, &page);', '6.1'),
    ).toEqual(['4 pinnedLongTerm get_user_pages(..., FOLL_LONGTERM ...)']);
  });

  it('judges only added lines', () => {
    const diff = `--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,4 +1,5 @@ void f(struct page *page)\n \tif (is_zone_device_page(page)) {\n \t\tlist_add(&page->lru, &l);\n+\t\tcount++;\n \t}\n \treturn;\n`;
    const collection: Collection = {
      series: [seriesOf(patchOf('p1', diff))],
      stray: [],
      unreadable: [],
      gitBase: null,
    };
    expect(runRules([rule], collection, { tree: null, kernel: null }, { base: null })).toEqual([]);
  });
});
