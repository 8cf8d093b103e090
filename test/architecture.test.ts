// The stages under src/ depend on each other one way: no folder imports, through any chain of
// imports, a folder that imports it. A cycle means two folders are one stage in two places, and
// neither can be read, tested or replaced alone. Each folder of src/ is a node, and so is each
// file at its top (types.ts, pipeline.ts, ...); an edge is an `import`/`export ... from` (types
// included) or an `import('...')` of a relative path. Imports leaving src/ (the rules under
// rules/) are not edges of this graph.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/** An edge src/ keeps for now: `from` imports `to` in `files` only (paths under src/). */
interface AllowedEdge {
  from: string;
  to: string;
  files: string[];
  why: string;
}

/** None today: an edge that must stay for a while is listed here with the files and the reason. */
const ALLOWED: AllowedEdge[] = [];

type Graph = Map<string, Map<string, Set<string>>>;

const IMPORT =
  /\b(?:import|export)\s+(?:type\s+)?[^;'"`]*?\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s+['"]([^'"]+)['"]/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The node a path under `root` belongs to: its first folder, or the file itself at the top. */
function nodeOf(root: string, path: string): string | null {
  const rel = relative(root, path);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.js$/, '.ts');
}

/** from -> to -> the files (relative to `root`) that make the edge. */
function folderGraph(root: string): Graph {
  const graph: Graph = new Map();
  for (const file of tsFiles(root)) {
    const from = nodeOf(root, file)!;
    if (!graph.has(from)) graph.set(from, new Map());
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (!spec.startsWith('.')) continue;
      const to = nodeOf(root, resolve(dirname(file), spec));
      if (to === null || to === from) continue;
      const edges = graph.get(from)!;
      if (!edges.has(to)) edges.set(to, new Set());
      edges.get(to)!.add(relative(root, file).split(sep).join('/'));
    }
  }
  return graph;
}

function withoutAllowed(graph: Graph, allowed: readonly AllowedEdge[]): Graph {
  const out: Graph = new Map();
  for (const [from, edges] of graph) {
    const kept = new Map<string, Set<string>>();
    for (const [to, files] of edges) {
      const rest = new Set(
        [...files].filter((f) => !allowed.some((a) => a.from === from && a.to === to && a.files.includes(f))),
      );
      if (rest.size) kept.set(to, rest);
    }
    out.set(from, kept);
  }
  return out;
}

/** Each cycle's strongly connected nodes with the edges among them (`a -> b (file, ...)`), sorted. */
function cycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = new Set<string>();
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      component.add(w);
      if (w === v) break;
    }
    if (component.size < 2) return;
    const edges: string[] = [];
    for (const a of component)
      for (const [b, files] of graph.get(a) ?? [])
        if (component.has(b)) edges.push(`${a} -> ${b} (${[...files].sort().join(', ')})`);
    found.push(edges.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

const SRC = resolve(import.meta.dirname, '..', 'src');

describe('folder-level imports of src/', () => {
  const graph = folderGraph(SRC);

  it('have no cycle', () => {
    expect(cycles(withoutAllowed(graph, ALLOWED))).toEqual([]);
  });

  it('still make every allowed edge (an edge that went leaves the list)', () => {
    for (const a of ALLOWED)
      expect([...(graph.get(a.from)?.get(a.to) ?? [])].sort(), `${a.from} -> ${a.to}`).toEqual([...a.files].sort());
  });

  it('are read from every kind of import, and a cycle is found with the files that make it', () => {
    // The reader itself, on what it must see: engine/rule.ts imports model/ by `import type` only,
    // cli.ts loads run.ts by `import()`, action/env.ts re-exports report/ by `export ... from`.
    expect(graph.get('engine')?.get('model')).toContain('engine/rule.ts');
    expect(graph.get('cli.ts')?.get('run.ts')).toContain('cli.ts');
    expect(graph.get('action')?.get('report')).toContain('action/env.ts');
    const looped: Graph = new Map([
      ['a', new Map([['b', new Set(['a/x.ts'])]])],
      ['b', new Map([['c', new Set(['b/y.ts'])]])],
      ['c', new Map([['a', new Set(['c/z.ts', 'c/w.ts'])]])],
      ['d', new Map([['a', new Set(['d/v.ts'])]])],
    ]);
    expect(cycles(looped)).toEqual([['a -> b (a/x.ts)', 'b -> c (b/y.ts)', 'c -> a (c/w.ts, c/z.ts)']]);
    expect(cycles(withoutAllowed(looped, [{ from: 'c', to: 'a', files: ['c/z.ts', 'c/w.ts'], why: '' }]))).toEqual([]);
    expect(cycles(withoutAllowed(looped, [{ from: 'c', to: 'a', files: ['c/z.ts'], why: '' }]))).toHaveLength(1);
  });
});
