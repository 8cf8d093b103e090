// What crosses the thread boundary between the pipeline (main thread) and its workers: plain
// data only (structured clone). A series goes out whole; what comes back is what checking it
// gave — findings, gather calls, the model report — never a function or a parse tree.
import type { RenderRequest, Rendered, SeriesOutcome } from '../engine/check.js';
import type { CheckOptions } from '../engine/rule.js';
import type { RuleSetting } from '../config/types.js';
import type { SeriesModelReport } from '../model/run.js';
import type { Collection, Series } from '../types.js';

export interface WorkerInit {
  /** Per rule of the registry: the run's setting (rules are rebuilt with applyConfig). */
  settings: Record<string, RuleSetting>;
  options: CheckOptions;
  gitBase: Collection['gitBase'];
}

export type ToWorker =
  | { type: 'check'; batch: { id: number; series: Series; target: number }[] }
  | { type: 'render'; id: number; request: RenderRequest };

export type FromWorker =
  | { type: 'checked'; id: number; outcome: SeriesOutcome; report: SeriesModelReport }
  | { type: 'rendered'; id: number; rendered: Rendered }
  | { type: 'failed'; message: string }
  /** Loaded (modules, rules, model): series sent now are checked at once. */
  | { type: 'ready' };
