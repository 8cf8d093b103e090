// A worker thread of the parallel check (src/parallel/pool.ts): it loads the rules and the
// model once, then checks the series the main thread sends, one at a time in the order they
// came, and answers the render requests of the gather calls it saw first.
import { parentPort, workerData } from 'node:worker_threads';
import { applyConfig } from '../config/apply.js';
import { createSeriesChecker } from '../engine/check.js';
import { loadModel } from '../model/load.js';
import { seriesModelReport } from '../model/run.js';
import { RULES } from '../rules.js';
import type { Collection } from '../types.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

if (!parentPort) throw new Error('src/parallel/worker.ts runs only as a worker thread (no parentPort)');
const port = parentPort;
const init = workerData as WorkerInit;
const rules = applyConfig(RULES, { rules: init.settings, file: null });
// Rules read the run's collection for its git base (and a cache key); the series being
// checked is the only one a worker has.
const collection: Collection = { series: [], stray: [], unreadable: [], gitBase: init.gitBase };
const checker = createSeriesChecker(rules, collection, init.options, { modelEverySeries: true });
const model = loadModel();

const queue: ToWorker[] = [];
let busy = false;
const send = (m: FromWorker) => port.postMessage(m);

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    for (let msg = queue.shift(); msg !== undefined; msg = queue.shift()) {
      if (msg.type === 'render') {
        send({ type: 'rendered', id: msg.id, rendered: checker.render(msg.request) });
        continue;
      }
      checker.prefetch(msg.batch.map((b) => b.series));
      for (const { id, series, target } of msg.batch) {
        collection.series = [series];
        const outcome = checker.check(series, target);
        const taken = checker.takeModel(series); // modelEverySeries: every checked series has one
        if (!taken) throw new Error(`internal: no model of series ${series.key}`);
        const report = seriesModelReport(series, taken, model);
        collection.series = [];
        send({ type: 'checked', id, outcome, report });
        // Parse trees' native memory goes back only when the event loop turns (releaseTrees).
        if (outcome.released) await new Promise((resolve) => setImmediate(resolve));
      }
    }
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  } finally {
    busy = false;
  }
}

send({ type: 'ready' });
port.on('message', (msg: ToWorker) => {
  queue.push(msg);
  void drain();
});
