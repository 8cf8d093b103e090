import { describe, expect, it } from 'vitest';
import { declaredVariables, fieldUses, ZONE_DEVICE_STRUCTS } from '../lib/fields.js';
import { codeOf } from '../lib/steps.js';
import { testRule } from '../../test/rule-tester.js';
import rule from './index.js';

// Every case in mail, tree and git modes (each declares X-Modes); the tree's users under X-Expect-Tree.
testRule(rule, import.meta.dirname);

describe('removed-field-still-used: what counts as a use of a member', () => {
  const uses = (lines: string[], struct: string, field: string) => {
    const code = codeOf(lines);
    return fieldUses(code, new Map([[struct, new Set([field])]]), declaredVariables(lines, ZONE_DEVICE_STRUCTS)).map(
      (u) => u.i,
    );
  };

  it('a member read from a variable of the struct, page->pgmap, or a designated initializer', () => {
    expect(
      uses(
        ['void f(struct dev_pagemap *mine)', '{', '\tmine->res.start = 0;', '\tpage->pgmap->res.end = 1;', '}'],
        'dev_pagemap',
        'res',
      ),
    ).toEqual([2, 3]);
    expect(
      uses(
        ['static struct dev_pagemap_ops ops = {', '\t.page_free = f,', '\t.inner = { .page_free = g },', '};'],
        'dev_pagemap_ops',
        'page_free',
      ),
    ).toEqual([1]);
  });

  it('the same member name on another struct, in a comment or in a string is no use', () => {
    expect(
      uses(
        ['struct region *r;', '\tr->res.start = 0; /* pgmap->res */', '\tpr_info("pgmap->res");'],
        'dev_pagemap',
        'res',
      ),
    ).toEqual([]);
    expect(uses(['struct dev_pagemap_ops *ops;', '\tops->res = 0;'], 'dev_pagemap', 'res')).toEqual([]);
  });
});
