// A full garbage collection on demand. Native memory (tree-sitter trees, zlib buffers) is
// invisible to V8's heuristics and only freed when finalizers run, so long runs collect
// themselves at points they choose. Uses --expose-gc's gc() when given, else exposes it once.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/**
 * Whether this process changed V8's flags (--expose-gc, the lean heap). Kept on globalThis: the
 * bundle and the code-cache loader (src/startup/code-cache.ts) hold separate copies of this module.
 */
const CHANGED = Symbol.for('zdcheck.v8FlagsChanged');
function setFlags(flags: string): void {
  (globalThis as Record<symbol, unknown>)[CHANGED] = true;
  v8.setFlagsFromString(flags);
}

export function v8FlagsChanged(): boolean {
  return (globalThis as Record<symbol, unknown>)[CHANGED] === true;
}

export function collectGarbage(): void {
  if (gc === undefined) {
    const exposed = globalThis.gc;
    gc = typeof exposed === 'function' ? () => void exposed() : null;
    if (!gc) {
      setFlags('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
  }
  gc?.();
}

let lean = false;

/**
 * Keeps the heap small on a long run; the CLI asks for it when the input is large or of unknown
 * size (src/cli.ts). V8 grows the young generation to 2 x 16 MB and lets the old one reach up to
 * four times what survived the last full collection; a stream of mail is almost all short-lived
 * objects, so both are mostly garbage waiting: a 1 GB mbox peaked at 220-335 MB of RSS, growing.
 * A young generation kept at its first size and an old one allowed 20% over what survived keep
 * it under 190 MB, for about a quarter more CPU on a large archive and nothing measurable on a
 * patch set (docs/performance.md). Both flags are read at each collection, so setting them after
 * start-up takes effect; they hold for the worker threads too (one V8, one set of flags).
 */
export function leanHeap(): void {
  lean = true;
  applyHeapFlags();
}

/** Whether leanHeap was asked for. */
export function heapIsLean(): boolean {
  return lean;
}

/**
 * Sets the flags again if leanHeap asked for them: a worker thread's start undoes them (measured
 * on Node 20: the main thread's young generation grew to 2 x 16 MB again once the pool started,
 * and setting them again once the worker runs holds), so the pool calls this when each worker is
 * online.
 */
export function applyHeapFlags(): void {
  if (!lean) return;
  setFlags('--semi-space-growth-factor=1');
  setFlags('--heap-growing-percent=20');
}
