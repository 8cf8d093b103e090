// How many patches a collection holds, counted once. A large run's series are packed
// (src/series/store.ts): each walk over them unpacks every one, and the report, the summary and
// checkpatch's per-finding selection all ask.
import type { Collection } from '../types.js';

const counted = new WeakMap<readonly unknown[], number>();

/** The patch-kind messages of every series (cover letters, replies and strays excluded). */
export function patchCount(collection: Pick<Collection, 'series'>): number {
  const series = collection.series;
  let n = counted.get(series);
  if (n === undefined) {
    n = 0;
    for (const s of series) n += s.patches.length;
    counted.set(series, n);
  }
  return n;
}
