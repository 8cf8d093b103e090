// What a run keeps of every series until the report, for inputs too large to keep as objects.
// After compaction (compact.ts) a one-patch series still takes about 2 KB of heap as objects:
// 380,000 of them (a 1 GB mbox) would be 800 MB. Past the first `packAfter` items, a PackedList
// keeps them serialized (v8.serialize, the structured-clone format: Maps and shared references
// survive) and compressed, `chunk` items at a time: some 50-70 bytes an item.
//
// `done()` puts the items in the order the run wants them (by their input position), and gives
// them as an array: a real one when nothing was packed, else a read-only array view that
// unpacks a chunk when one of its items is read (a few recently read chunks stay unpacked, so a
// reader walking the list, or reading an item twice, gets the same objects). Reports, waivers and
// rules only read collection.series and model.series in order, which is what this is made for.
import { deserialize, serialize } from 'node:v8';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { collectGarbage } from '../gc.js';

/**
 * Brotli at quality 5: chunks of stable-queue series came to 4.3% of their serialized size against
 * deflate's 6.0% at level 1 (a 1 GB mbox keeps ~8 MB less), for ~9 ms more CPU per 1,000 series.
 */
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } };

/** Unpacked chunks kept at once: a series that closed late (a thread) sits in a later chunk. */
const CACHED_CHUNKS = 4;

/**
 * Serialized bytes unpacked between two collections. Every reader walks the whole list (the
 * waivers, the patch count, the report: five walks of a 1 GB mbox's 380,000 series, 4 GB of
 * short-lived objects); V8 lets that garbage pile up by 100 MB or more before it collects, so
 * the list collects itself (as src/syntax/parser.ts does for parse trees).
 */
const COLLECT_EVERY = 16 << 20;
let unpacked = 0;
function collected(bytes: number): void {
  unpacked += bytes;
  if (unpacked < COLLECT_EVERY) return;
  unpacked = 0;
  collectGarbage();
}

export class PackedList<T> {
  private readonly packed: Buffer[] = [];
  /** Position of the first item of each packed chunk (the first chunk holds the first packAfter items and more). */
  private readonly starts: number[] = [];
  private open: T[] = [];
  private readonly orders: number[] = [];
  private count = 0;

  constructor(
    private readonly packAfter: number,
    private readonly chunk = Math.max(1, Math.min(512, packAfter)),
  ) {}

  get length(): number {
    return this.count;
  }

  /** Bytes the packed items take (for measurements). */
  get packedBytes(): number {
    return this.packed.reduce((n, b) => n + b.length, 0);
  }

  push(value: T, order: number): void {
    this.open.push(value);
    this.orders.push(order);
    this.count++;
    if (this.count > this.packAfter && this.open.length >= this.chunk) this.pack();
  }

  /** The items by order (stable for equal orders); the list takes no more items. */
  done(): T[] {
    const perm = Array.from({ length: this.count }, (_, i) => i).sort(
      (a, b) => this.orders[a]! - this.orders[b]! || a - b,
    );
    if (this.packed.length === 0) return perm.map((i) => this.open[i]!);
    this.pack();
    return packedView(this.count, (i) => this.item(perm[i]!));
  }

  private pack(): void {
    if (this.open.length === 0) return;
    this.starts.push(this.count - this.open.length);
    // A copy of exactly its size: zlib's output is a view of a larger buffer (16 KB or more),
    // which a small chunk would otherwise hold alive whole.
    this.packed.push(Buffer.from(brotliCompressSync(serialize(this.open), BROTLI)));
    this.open = [];
  }

  private readonly cache = new Map<number, T[]>();

  private item(position: number): T {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= position) lo = mid;
      else hi = mid - 1;
    }
    const c = lo;
    let items = this.cache.get(c);
    if (items) {
      // Most recently used last.
      this.cache.delete(c);
    } else {
      const bytes = brotliDecompressSync(this.packed[c]!);
      collected(bytes.length);
      items = deserialize(bytes) as T[];
      if (this.cache.size >= CACHED_CHUNKS) {
        const oldest = this.cache.keys().next();
        if (!oldest.done) this.cache.delete(oldest.value);
      }
    }
    this.cache.set(c, items);
    return items[position - this.starts[c]!]!;
  }
}

const INDEX = /^(?:0|[1-9][0-9]*)$/;

/** A read-only array of `length` items, item i given by `at(i)`: Array methods, spread and JSON work on it. */
function packedView<T>(length: number, at: (i: number) => T): T[] {
  const index = (p: string | symbol): number | null => {
    if (typeof p !== 'string' || !INDEX.test(p)) return null;
    const i = Number(p);
    return i < length ? i : null;
  };
  return new Proxy<T[]>([], {
    get(target, p, receiver) {
      if (p === 'length') return length;
      const i = index(p);
      if (i !== null) return at(i);
      return Reflect.get(target, p, receiver) as unknown;
    },
    has(target, p) {
      return index(p) !== null || Reflect.has(target, p);
    },
    getOwnPropertyDescriptor(target, p) {
      if (p === 'length') return { value: length, writable: true, enumerable: false, configurable: false };
      const i = index(p);
      if (i !== null) return { value: at(i), writable: false, enumerable: true, configurable: true };
      return Reflect.getOwnPropertyDescriptor(target, p);
    },
    ownKeys() {
      return [...Array.from({ length }, (_, i) => String(i)), 'length'];
    },
    set() {
      throw new TypeError('the series of a large run are read-only');
    },
    deleteProperty() {
      throw new TypeError('the series of a large run are read-only');
    },
  });
}
