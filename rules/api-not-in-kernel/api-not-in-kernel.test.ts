import { describe, expect, it } from 'vitest';
import type { Collection } from '../../src/types.js';
import { runRules } from '../../test/helpers/run-rules.js';
import { testRule } from '../../test/rule-tester.js';
import { patchOf, seriesOf } from '../../test/source-helpers.js';
import rule from './index.js';

// Every case in the modes it declares (X-Modes): mail alone (the model at the inferred kernel),
// with its base tree, and as a git range on that tree (the tree decides).
testRule(rule, import.meta.dirname);

describe('api-not-in-kernel: cases', () => {
  const run = (diff: string, kernel: string | null) => {
    const series = seriesOf(patchOf('p1', diff));
    const collection: Collection = { series: [series], stray: [], unreadable: [], gitBase: null };
    return runRules([rule], collection, { tree: null, kernel }, { base: null }).map(
      (f) => `${f.messageId} ${f.file}:${f.line} ${String(f.data?.['name'] ?? f.data?.['names'])}`,
    );
  };
  const file = (path: string, lines: string[], context = ' \tint r = 0;') => `diff --git a/${path} b/${path}
--- a/${path}
+++ b/${path}
@@ -10,1 +10,${lines.length + 1} @@
${context}
${lines.map((l) => `+${l}`).join('\n')}
`;

  it('takes a member only in a dev_pagemap_ops initialiser or through pgmap->ops', () => {
    expect(
      run(
        file(
          'drivers/x.c',
          ['static const struct foo_ops f = { .cleanup = x_cleanup, };', '\tstruct dev_pagemap *pgmap = NULL;'],
          ' \tint r = 0;',
        ),
        '6.1',
      ),
    ).toEqual([]);
    expect(
      run(
        file('drivers/x.c', ['static const struct dev_pagemap_ops x_ops = {', '\t.cleanup = x_cleanup,', '};']),
        '6.1',
      ),
    ).toEqual(['gone drivers/x.c:12 .cleanup']);
    expect(run(file('drivers/x.c', ['\tpgmap->ops->folio_free(folio);']), '6.12')).toEqual([
      'tooNew drivers/x.c:11 .folio_free',
    ]);
  });

  it('reads comments and strings as text, not code; a name the context shows is in the base', () => {
    expect(run(file('mm/x.c', ['\t/* pte_devmap() is gone */', '\tpr_info("pte_devmap");']), '7.2')).toEqual([]);
    expect(run(file('mm/x.c', ['\tif (pte_devmap(pte))', '\t\tr++;'], ' \tif (pte_devmap(old))'), '7.2')).toEqual([]);
  });

  it('--kernel 5.10 asks whether a backport builds there', () => {
    expect(run(file('mm/x.c', ['\tif (folio_is_zone_device(folio))', '\t\tr++;']), '5.10')).toEqual([
      'tooNew mm/x.c:11 folio_is_zone_device()',
    ]);
    expect(run(file('mm/x.c', ['\tif (folio_is_zone_device(folio))', '\t\tr++;']), '6.1')).toEqual([]);
  });
});
