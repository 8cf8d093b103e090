// PackedList (src/series/store.ts): items past `packAfter` are kept serialized and compressed, and
// read back through an array view, in input order, as equal objects.
import { describe, expect, it } from 'vitest';
import { PackedList } from '../src/series/store.js';

const item = (i: number) => ({
  i,
  key: `k${i}`,
  tags: new Map([['x-a', [`v${i}`]]]),
  nested: { list: [i, i + 1], none: null },
});

describe('PackedList', () => {
  it('gives a plain array, in order, when nothing was packed', () => {
    const l = new PackedList<ReturnType<typeof item>>(100);
    for (const o of [5, 1, 3]) l.push(item(o), o);
    const out = l.done();
    expect(out.map((x) => x.i)).toEqual([1, 3, 5]);
    expect(out.push).toBe(Array.prototype.push);
    expect(l.packedBytes).toBe(0);
  });

  it('packs past packAfter, and the view reads like an array: index, length, methods, spread, JSON', () => {
    const l = new PackedList<ReturnType<typeof item>>(4, 3);
    const orders = [9, 0, 7, 3, 12, 5, 1, 11, 2, 10, 4, 8, 6];
    for (const o of orders) l.push(item(o), o);
    expect(l.packedBytes).toBeGreaterThan(0);
    const view = l.done();
    const plain = [...orders].sort((a, b) => a - b).map(item);
    expect(view.length).toBe(13);
    expect(Array.isArray(view)).toBe(true);
    expect(view[0]).toEqual(plain[0]);
    expect(view[12]!.tags.get('x-a')).toEqual(['v12']);
    expect(view[13]).toBeUndefined();
    expect(view.map((x) => x.i)).toEqual(plain.map((x) => x.i));
    expect([...view]).toEqual(plain);
    const seen: number[] = [];
    for (const x of view) seen.push(x.i);
    expect(seen).toEqual(plain.map((x) => x.i));
    expect(view.filter((x) => x.i % 2 === 0).map((x) => x.key)).toEqual(['k0', 'k2', 'k4', 'k6', 'k8', 'k10', 'k12']);
    expect(view.reduce((n, x) => n + x.i, 0)).toBe(78);
    expect(view.slice(2, 4).map((x) => x.i)).toEqual([2, 3]);
    expect(Object.keys(view)).toHaveLength(13);
    expect(JSON.parse(JSON.stringify(view, (_k, v: unknown) => (v instanceof Map ? [...v] : v)))).toEqual(
      JSON.parse(JSON.stringify(plain, (_k, v: unknown) => (v instanceof Map ? [...v] : v))),
    );
    // An item read twice in a row is the same object (its chunk stays unpacked).
    expect(view[6]).toBe(view[6]);
    expect(() => {
      (view as unknown[])[0] = 1;
    }).toThrow(TypeError);
    expect(() => view.push(item(99))).toThrow(TypeError);
  });

  it('keeps items with equal orders in the order they came', () => {
    const l = new PackedList<{ n: string }>(0);
    for (const [n, o] of [
      ['a', 2],
      ['b', 1],
      ['c', 2],
      ['d', 1],
    ] as const)
      l.push({ n }, o);
    expect(l.done().map((x) => x.n)).toEqual(['b', 'd', 'a', 'c']);
  });
});
