// A pool of worker threads checking series for the pipeline. The main thread reads, splits,
// parses and groups the mail; the workers build each series' views and run its rules. Each
// series is handed to the least busy worker; its outcome comes back as a promise, which the
// pipeline takes in the order it handed the series out (so the findings are in input order).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RenderRequest, Rendered, SeriesOutcome } from '../engine/check.js';
import type { Rule } from '../engine/rule.js';
import type { RuleSetting } from '../config/types.js';
import type { SeriesModelReport } from '../model/run.js';
import { RULES } from '../rules.js';
import type { Series } from '../types.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { applyHeapFlags } from '../gc.js';

export interface Checked {
  outcome: SeriesOutcome;
  report: SeriesModelReport;
}

interface Slot {
  worker: Worker;
  /** Owner number of its gathers (0 is the main thread's own checker). */
  owner: number;
  inFlight: number;
}

/** Threads checking series by default (the main thread and workers): one per core the process may use. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The run's rules as settings of the registry (what applyConfig gives back from a config), or
 * null when they are not the registry's (a test's own rules): those are checked in-process.
 */
export function ruleSettings(rules: readonly Rule[]): Record<string, RuleSetting> | null {
  const settings: Record<string, RuleSetting> = {};
  let k = 0;
  for (const r of RULES) {
    const x = rules[k];
    if (x && x.meta.id === r.meta.id) {
      if (x === r) settings[r.meta.id] = 'on';
      else if (x.meta.scope === r.meta.scope && x.meta.description === r.meta.description)
        settings[r.meta.id] = x.meta.severity;
      else return null;
      k++;
    } else {
      settings[r.meta.id] = 'off';
    }
  }
  return k === rules.length ? settings : null;
}

function workerUrl(): URL {
  // Built: dist/src/parallel/worker.js next to this file. From the TypeScript sources (tests),
  // the build's copy: a worker thread cannot load .ts.
  const here = import.meta.url;
  // The bundle's worker is CommonJS beside its chunks (worker.cjs: scripts/bundle.mjs).
  if (here.endsWith('.ts')) return new URL('../../dist/src/parallel/worker.js', here);
  return new URL(here.endsWith('.cjs') ? './worker.cjs' : './worker.js', here);
}

export class WorkerPool {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void; slot: Slot }>();
  private nextId = 0;
  private failure: Error | null = null;
  private readyCount = 0;
  private onReady: (() => void) | null = null;
  /** Settles when every worker has loaded its modules, rules and model. */
  readonly whenReady: Promise<void>;
  /**
   * Settles when every worker's thread runs (its V8 isolate made, long before it is ready). Its
   * making resets V8's flags, the run's heap limits among them (src/gc.ts): until then this
   * thread's young generation grows to 2 x 16 MB on whatever it allocates.
   */
  readonly whenOnline: Promise<void>;

  constructor(jobs: number, init: WorkerInit) {
    this.whenReady = new Promise((resolve) => {
      this.onReady = resolve;
    });
    let online = 0;
    let onOnline: () => void = () => {};
    this.whenOnline = new Promise((resolve) => {
      onOnline = resolve;
    });
    this.slots = Array.from({ length: jobs }, (_, k) => {
      const worker = new Worker(workerUrl(), { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
      const slot: Slot = { worker, owner: k + 1, inFlight: 0 };
      // A worker's start resets V8's flags: the run's heap limits are set again (src/gc.ts).
      worker.once('online', () => {
        applyHeapFlags();
        if (++online === jobs) onOnline();
      });
      worker.on('message', (m: FromWorker) => this.receive(slot, m));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`worker thread exited with code ${code}`));
      });
      return slot;
    });
  }

  /** Every worker is loaded (series handed out now do not wait for a start-up). */
  get ready(): boolean {
    return this.readyCount === this.slots.length || this.failure !== null;
  }

  /** How many series are handed out and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Hands a batch of series (one closed group) to the least busy worker. */
  check(batch: readonly { series: Series; target: number }[]): { owner: number; result: Promise<Checked> }[] {
    const slot = this.slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const items = batch.map((b) => ({ ...b, id: this.nextId++ }));
    const out = items.map((it) => ({ owner: slot.owner, result: this.expect<Checked>(it.id, slot) }));
    slot.inFlight += items.length;
    this.post(slot, { type: 'check', batch: items });
    return out;
  }

  render(owner: number, request: RenderRequest): Promise<Rendered> {
    const slot = this.slots[owner - 1]!;
    const id = this.nextId++;
    const result = this.expect<Rendered>(id, slot);
    this.post(slot, { type: 'render', id, request });
    return result;
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private post(slot: Slot, m: ToWorker): void {
    if (this.failure) return;
    slot.worker.postMessage(m);
  }

  private expect<T>(id: number, slot: Slot): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const p = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve, reject, slot });
    });
    // Awaited later, in hand-out order: a failure before then is not an unhandled rejection.
    p.catch(() => {});
    return p;
  }

  private receive(slot: Slot, m: FromWorker): void {
    if (m.type === 'ready') {
      if (++this.readyCount === this.slots.length) this.onReady?.();
      return;
    }
    if (m.type === 'failed') {
      this.fail(new Error(m.message));
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.type === 'checked') {
      slot.inFlight--;
      p.resolve({ outcome: m.outcome, report: m.report } as never);
    } else {
      p.resolve(m.rendered as never);
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.onReady?.();
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
