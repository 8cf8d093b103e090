// Where a run's time goes, for the bench (ZDCHECK_TIMINGS=1): each stretch of work is charged
// to one phase (start-up, reading, splitting, mail, rules by id, C parsing, tree reads, report),
// exclusively: a phase entered inside another (a rule parsing C) stops the outer one's clock, so
// the phases add up to the thread's busy time. Off (the default), every call is one test of a
// constant. Only the thread that runs it is measured: a worker thread's share is its own.
import { performance } from 'node:perf_hooks';

const ENABLED = process.env['ZDCHECK_TIMINGS'] === '1';

const totals = new Map<string, number>();
const stack: string[] = [];
let since = 0;

function charge(now: number): void {
  const top = stack[stack.length - 1];
  if (top !== undefined) totals.set(top, (totals.get(top) ?? 0) + (now - since));
  since = now;
}

/** Whether timings are being taken (ZDCHECK_TIMINGS=1). */
export const timingsOn = ENABLED;

/** Runs `fn` (synchronous) charged to `phase`. */
export function timed<T>(phase: string, fn: () => T): T {
  if (!ENABLED) return fn();
  charge(performance.now());
  stack.push(phase);
  try {
    return fn();
  } finally {
    charge(performance.now());
    stack.pop();
  }
}

/** Charges `ms` to `phase` (a stretch measured by the caller, e.g. awaiting the next chunk). */
export function addTime(phase: string, ms: number): void {
  if (ENABLED) totals.set(phase, (totals.get(phase) ?? 0) + ms);
}

/** Opens `phase` around an asynchronous stretch; the returned function closes it. */
export function begin(phase: string): () => void {
  if (!ENABLED) return () => {};
  const t0 = performance.now();
  return () => addTime(phase, performance.now() - t0);
}

const counts = new Map<string, number>();

/** Counts `n` of something (bytes parsed, files read) beside the times, by the phase it happens in. */
export function addCount(what: string, n = 1): void {
  if (!ENABLED) return;
  const key = `${what} (${stack[stack.length - 1] ?? 'none'})`;
  counts.set(key, (counts.get(key) ?? 0) + n);
}

/** The phases so far, in milliseconds. */
export function timings(): Record<string, number> {
  return Object.fromEntries([...totals].map(([k, v]) => [k, +v.toFixed(1)]));
}

/** Writes the phases to stderr as one JSON line `zdcheck-timings {...}` (the bench reads it). */
export function printTimings(stderr: NodeJS.WritableStream): void {
  if (!ENABLED) return;
  const all = { ...timings(), total: +performance.now().toFixed(1), counts: Object.fromEntries(counts) };
  stderr.write(`zdcheck-timings ${JSON.stringify(all)}\n`);
}
