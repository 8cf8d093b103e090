import { describe, expect, it } from 'vitest';
import rule from '../rules/uncalled-predicate.js';
import { runRules } from '../src/engine/check.js';
import { buildSource } from '../src/source/index.js';
import type { Collection } from '../src/types.js';
import { fixtureFiles, fixtureTree, runAsGitRange, runFixture, titleOf } from './rule-fixture-helpers.js';
import { patchOf, seriesOf } from './source-helpers.js';

const ID = 'uncalled-predicate';

describe(`${ID}: fixtures`, () => {
  for (const file of fixtureFiles(ID)) {
    for (const tree of [null, fixtureTree(ID)]) {
      it(`${file} ${tree ? 'with the base tree' : 'hunks only'}`, async () => {
        const run = await runFixture(file, rule, tree);
        expect(run.actual).toEqual(run.expected);
        if (file.includes('/bad-')) expect(run.expected.length).toBeGreaterThan(0);
        expect(run.findings.filter((f) => f.rule === 'internal-error' || f.rule === 'does-not-apply')).toEqual([]);
      });
    }
    it(`${file} as a git range`, async () => {
      const mail = (await runFixture(file, rule, null)).findings.filter((f) => f.rule === ID);
      const range = await runAsGitRange(file, rule, fixtureTree(ID)!);
      expect(range).toEqual(mail.map((f) => `${titleOf(f.patch)} ${f.file}:${f.line}`).sort());
    });
  }
});

function findingsFor(diff: string): string[] {
  const series = seriesOf(patchOf('p1', diff));
  const collection: Collection = { series: [series], stray: [], unreadable: [], gitBase: null };
  void buildSource;
  return runRules([rule], collection, { tree: null, kernel: null }, { base: null }).map((f) => `${f.file}:${f.line} ${f.message.split(':')[0]}`);
}

const wrap = (body: string[], ctx = 'static int f(struct page *page)') => `diff --git a/mm/x.c b/mm/x.c
--- a/mm/x.c
+++ b/mm/x.c
@@ -10,2 +10,${body.length + 2} @@ ${ctx}
 	int r = 0;
 
${body.map((l) => `+${l}`).join('\n')}
`;

describe(`${ID}: cases`, () => {
  it('fires on ||, &&, !, if, while, ?: conditions with a known predicate', () => {
    const out = findingsFor(wrap([
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
    ]));
    expect(out).toEqual([
      'mm/x.c:12 is_device_private_page is a function used as a truth value without being called',
      'mm/x.c:14 pte_devmap is a function used as a truth value without being called',
      'mm/x.c:16 folio_is_zone_device is a function used as a truth value without being called',
      'mm/x.c:18 is_zone_device_page is a function used as a truth value without being called',
      'mm/x.c:20 pmd_devmap is a function used as a truth value without being called',
      'mm/x.c:22 is_pci_p2pdma_page is a function used as a truth value without being called',
    ]);
  });

  it('knows functions the series itself declares', () => {
    const diff = `diff --git a/include/linux/x.h b/include/linux/x.h
--- a/include/linux/x.h
+++ b/include/linux/x.h
@@ -1,1 +1,2 @@
 #include <linux/types.h>
+bool devmem_ready(struct page *page);
` + wrap(['\tif (devmem_ready || devmem_unknown)', '\t\tr++;']);
    expect(findingsFor(diff)).toEqual(['mm/x.c:12 devmem_ready is a function used as a truth value without being called']);
  });

  it('stays silent on members, pointers, &fn, values of ?:, #if defined, shadowing locals, context lines', () => {
    const out = findingsFor(wrap([
      '\tif (!ops->page_free || pgmap->ops)',
      '\t\tr++;',
      '\tcb = &is_device_private_page;',
      '\tcb = r ? is_device_private_page : NULL;',
      '#if defined(pte_devmap) || IS_ENABLED(CONFIG_X)',
      '\tr++;',
      '#endif',
      '\tr += g(is_device_private_page);',
    ]));
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
