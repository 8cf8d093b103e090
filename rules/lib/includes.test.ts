// The #include graph (includes.ts): resolution, the graph of a tree after a series, who includes a
// header within a depth, and reachability around a header.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { afterSeries } from '../../src/tree/after.js';
import { dirTree } from '../../src/tree/index.js';
import { includeGraph, includersOf, includeTargets, reaches, type IncludeGraph } from './includes.js';

describe('#include lines', () => {
  it('resolve as the kernel build does, simplified', () => {
    expect(includeTargets('mm/memory.c', '#include <linux/mm.h>')).toEqual(['include/linux/mm.h']);
    expect(includeTargets('mm/memory.c', '# include "internal.h"')).toEqual(['mm/internal.h']);
    expect(includeTargets('drivers/gpu/x/a.c', '#include "../b.h"')).toEqual(['drivers/gpu/b.h']);
    expect(includeTargets('mm/memory.c', '#include <asm/pgtable.h>')).toEqual([
      'arch/x86/include/asm/pgtable.h',
      'include/asm-generic/pgtable.h',
    ]);
    expect(includeTargets('mm/memory.c', '/* #include <linux/mm.h> */')).toEqual([]);
  });
});

/** A graph from a table: file -> what it includes. */
function graphOf(edges: Record<string, string[]>): IncludeGraph {
  return {
    includes: (p) => edges[p] ?? [],
    includers: (p) => Object.keys(edges).filter((f) => edges[f]!.includes(p)),
  };
}

describe('includers and reachability', () => {
  const g = graphOf({
    'a.c': ['b.h'],
    'b.h': ['c.h'],
    'c.h': ['h.h'],
    'd.c': ['h.h'],
    'e.c': ['a.c'],
    'h.h': ['r.h'],
    'x.c': ['b.h', 'y.h'],
    'y.h': ['r.h'],
  });

  it('finds includers nearest first, each by its shortest chain, up to a depth', () => {
    expect(includersOf(g, 'h.h', 3, 100)).toEqual([
      { file: 'c.h', via: [] },
      { file: 'd.c', via: [] },
      { file: 'b.h', via: ['c.h'] },
      { file: 'a.c', via: ['b.h', 'c.h'] },
      { file: 'x.c', via: ['b.h', 'c.h'] },
    ]);
    expect(includersOf(g, 'h.h', 4, 100).map((i) => i.file)).toContain('e.c');
    expect(includersOf(g, 'h.h', 3, 2).map((i) => i.file)).toEqual(['c.h', 'd.c']);
  });

  it('reaches a header around the one left out, or not', () => {
    expect(reaches(g, ['b.h'], 'r.h', new Set())).toBe(true);
    expect(reaches(g, ['b.h'], 'r.h', new Set(['h.h']))).toBe(false);
    expect(reaches(g, ['b.h', 'y.h'], 'r.h', new Set(['h.h']))).toBe(true);
    // Past the node budget the answer is "may be reached".
    expect(reaches(g, ['b.h'], 'nowhere.h', new Set(), 10, 1)).toBe(true);
  });
});

describe("a tree's include graph after a series", () => {
  const dir = mkdtempSync(join(tmpdir(), 'zdcheck-includes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'include/linux/mm.h': '#include <linux/mmzone.h>\n#include <linux/memremap.h>\n',
    'include/linux/pagemap.h': '#include <linux/mm.h>\n',
    'mm/a.c': '#include <linux/pagemap.h>\n#  include "internal.h"\n',
    'mm/internal.h': '\n',
  };
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  }

  it('reads the base once, and the files the series changes from the series', () => {
    const base = dirTree(dir);
    const tree = afterSeries(
      base,
      new Map([
        ['include/linux/mm.h', ['#include <linux/mmzone.h>']],
        ['mm/b.c', ['#include <linux/mm.h>']],
      ]),
    );
    const g = includeGraph(tree);
    expect(g.includes('include/linux/mm.h')).toEqual(['include/linux/mmzone.h']);
    expect(g.includes('mm/a.c')).toEqual(['include/linux/pagemap.h', 'mm/internal.h']);
    expect([...g.includers('include/linux/mm.h')].sort()).toEqual(['include/linux/pagemap.h', 'mm/b.c']);
    expect(g.includers('include/linux/memremap.h')).toEqual([]);
    // The base as it is: the series' graph does not leak into it.
    expect(includeGraph(afterSeries(base, new Map())).includers('include/linux/memremap.h')).toEqual([
      'include/linux/mm.h',
    ]);
  });
});
