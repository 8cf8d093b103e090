// inputs -> mail -> patch -> series, and the rules over them. The only I/O is reading the
// inputs (src/input); every stage after that is a pure function of the one before.
import { UsageError } from './errors.js';
import { heapIsLean } from './gc.js';
import { createMerger, createSeriesChecker } from './engine/check.js';
import type { CheckOptions, Rule } from './engine/rule.js';
import { openInput, type InputFile } from './input/read.js';
import type { InputSpec } from './input/types.js';
import { MboxSplitter, type RawMessage } from './mail/split.js';
import { isUnreadable, parseMessage } from './mail/message.js';
import { parsePatch } from './patch/index.js';
import { loadModel } from './model/load.js';
import { inferKernel } from './model/infer.js';
import { seriesModelReport, type ModelReport, type SeriesModelReport } from './model/run.js';
import { RULES } from './rules.js';
import { begin, timed } from './timing.js';
import { defaultJobs, ruleSettings, WorkerPool, type Checked } from './parallel/pool.js';
import { compactPatch, compactReport, compactSeries } from './series/compact.js';
import { groupSeries } from './series/group.js';
import { PackedList } from './series/store.js';
import { SeriesStream, type ClosedGroup, type Ordered } from './series/stream.js';
import type { BaseSnapshot } from './source/build.js';
import type { Collection, Finding, Patch, Person, Series, UnreadableMessage } from './types.js';

export interface CollectOptions {
  onProgress?: (messagesRead: number) => void;
  /** stdin stream (tests); process.stdin by default */
  stdin?: NodeJS.ReadableStream;
}

const PROGRESS_EVERY = 25;
const NOT_MAIL = 'neither mail headers nor a diff';

interface Sink {
  /** Takes each parsed message (collect keeps them all; checkStream groups them as they come). */
  take(patch: Patch): void | Promise<void>;
  /** which InputSpec is being read (its index): unthreaded series do not cross inputs */
  input: string;
  unreadable: UnreadableMessage[];
  read: number;
  onProgress?: (messagesRead: number) => void;
}

/** Reads one file's messages; refuses a file in which nothing is mail or a patch. */
async function readFile(file: InputFile, sink: Sink): Promise<void> {
  const splitter = new MboxSplitter({ unquote: file.unquote });
  let usable = 0;
  let notMail = 0;
  let broken = 0;
  const take = async (raw: RawMessage) => {
    const origin = { source: file.source, index: raw.index, line: raw.line };
    const parsed = begin('mail');
    const m = await parseMessage(raw.data, origin, { commit: file.git ? raw.commit : null });
    parsed();
    if (isUnreadable(m)) {
      sink.unreadable.push(m);
      if (m.reason === NOT_MAIL) notMail++;
      else broken++;
    } else {
      await sink.take(timed('mail', () => parsePatch(m)));
      usable++;
    }
    sink.read++;
    if (sink.onProgress && sink.read % PROGRESS_EVERY === 0) sink.onProgress(sink.read);
  };
  // Reading: the wait for each chunk of input; splitting: cutting it into messages.
  const chunks = file.chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      const read = begin('reading');
      const next = await chunks.next();
      read();
      if (next.done) break;
      for (const raw of timed('splitting', () => splitter.push(next.value))) await take(raw);
    }
  } catch (err) {
    await chunks.return?.();
    throw err;
  }
  for (const raw of timed('splitting', () => splitter.end())) await take(raw);
  if (usable === 0 && broken === 0 && notMail > 0) {
    throw new UsageError(`${file.source}: no mail message or patch found`);
  }
}

export async function collect(inputs: InputSpec[], opts: CollectOptions = {}): Promise<Collection> {
  const patches: Patch[] = [];
  const inputOf = new Map<Patch, string>();
  const sink: Sink = {
    take: (patch) => {
      patches.push(patch);
      inputOf.set(patch, sink.input);
    },
    input: '',
    unreadable: [],
    read: 0,
    onProgress: opts.onProgress,
  };
  let gitBase: Collection['gitBase'] = null;
  for (const [k, spec] of inputs.entries()) {
    sink.input = String(k);
    if (spec.kind === 'buffer' && spec.gitBase) gitBase = spec.gitBase;
    for await (const file of openInput(spec, opts.stdin)) await readFile(file, sink);
  }
  opts.onProgress?.(sink.read);
  const { series, stray } = groupSeries(patches, (p) => inputOf.get(p) ?? p.message.origin.source);
  return { series, stray, unreadable: sink.unreadable, gitBase };
}

export type CheckOptionsFull = CheckOptions & {
  rules?: readonly Rule[];
  onProgress?: (messagesRead: number) => void;
  stdin?: NodeJS.ReadableStream;
  /**
   * Threads checking series (--jobs): 1 checks everything on the main thread; N > 1 adds N - 1
   * worker threads from the first series. Absent: one thread per core (os.availableParallelism()),
   * the workers started once PARALLEL_AFTER series were checked.
   */
  jobs?: number;
  /** Series checked on the main thread before the workers start (default: see `jobs`). */
  parallelAfter?: number;
  /** Series (and strays, and model reports) kept as objects before the rest is packed (default PACK_AFTER). */
  packAfter?: number;
  /**
   * The base files, read by the caller (the --new-only baseline: the touched files absent so that
   * "added whole" applies); null: no base tree even if one is known. Checked on this thread.
   */
  base?: BaseSnapshot | null;
  /**
   * Who the mail goes to, when the caller knows better than the mail (the hook: git's SMTP
   * headers). null: unknown for patches that name nobody (format-patch files get their
   * recipients at send time), so rules about who must be copied stay quiet.
   */
  recipients?: Person[] | null;
  /** false: no rule is skipped by its meta.interest (tests compare; src/engine/interest.ts). */
  prefilter?: boolean;
};
export interface CheckResult {
  collection: Collection;
  findings: Finding[];
  model: ModelReport;
}

/**
 * Series a run checks on its own thread before it starts worker threads. A worker's start-up
 * (its modules, rules, model) and the copying of series and outcomes cost more than a second
 * thread saves on a short input; it pays only past about a thousand series, and less when the
 * other core is busy (the measurements: docs/performance.md). A patch set or a mail thread, and
 * the hook, never start one; a large archive does.
 */
export const PARALLEL_AFTER = 1000;
/**
 * Series kept as objects before the rest are packed (src/series/store.ts): more than any mail
 * thread or patch set, fewer than a large archive holds.
 */
export const PACK_AFTER = 4096;
/** Series handed to each worker and not yet answered: enough to keep it busy, few enough to hold. */
const IN_FLIGHT_PER_WORKER = 8;
/**
 * Series checked and not yet taken back in order: while a worker is on a long series, this
 * thread goes on checking others rather than wait for it (each holds its series' text: ~30 KB).
 */
const PENDING_MAX = 256;

export async function check(inputs: InputSpec[], options: CheckOptionsFull): Promise<CheckResult> {
  return checkStream(inputs, options);
}

interface Pending {
  s: Ordered<Series>;
  owner: number;
  result: Checked | Promise<Checked>;
  /** The result is in (settling it does not wait). */
  settled: boolean;
}

/**
 * The check as a stream: each series is checked as soon as the grouping can no longer change
 * (src/series/stream.ts), its model report taken, and its text let go (src/series/compact.ts),
 * so memory stays flat however long the input. The result is the one `collect` and the rules
 * over the whole collection give: series, strays and findings in the same order.
 *
 * On a large input the series are checked by worker threads (src/parallel): they are handed
 * out in the order a one-thread run checks them, and their outcomes taken back in that order,
 * so the result is the same with any number of threads.
 */
export async function checkStream(inputs: InputSpec[], options: CheckOptionsFull): Promise<CheckResult> {
  // A bad --kernel is the user's mistake (exit 2), found before any rule runs.
  if (options.kernel) inferKernel({ explicit: options.kernel });
  // The base of a git range is the tree of every series, whichever input it came from.
  const gitBase = inputs.reduce<Collection['gitBase']>(
    (b, spec) => (spec.kind === 'buffer' && spec.gitBase ? spec.gitBase : b),
    null,
  );
  const collection: Collection = { series: [], stray: [], unreadable: [], gitBase };
  const rules = options.rules ?? RULES;
  const checkOptions: CheckOptions = {
    tree: options.tree,
    kernel: options.kernel,
    kernelFrom: options.kernelFrom ?? null,
    allSeries: options.allSeries === true,
  };
  const local = createSeriesChecker(rules, collection, checkOptions, {
    modelEverySeries: true,
    ...(options.base !== undefined ? { base: options.base } : {}),
    ...(options.prefilter === false ? { prefilter: false } : {}),
  });
  const merger = createMerger(rules);
  const packAfter = options.packAfter ?? PACK_AFTER;
  const done = new PackedList<Series>(packAfter);
  const strays = new PackedList<Patch>(packAfter);
  const reports = new PackedList<SeriesModelReport>(packAfter);
  const model = loadModel();

  // A caller's own base files cannot cross to a worker: they are checked here.
  const jobs =
    options.base !== undefined || options.prefilter === false
      ? 1
      : Math.max(1, Math.floor(options.jobs ?? defaultJobs()));
  // This thread checks series too: jobs - 1 workers.
  const workers = jobs - 1;
  const settings = workers > 0 ? ruleSettings(rules) : null;
  const parallelAfter = options.parallelAfter ?? (options.jobs === undefined ? PARALLEL_AFTER : 0);
  let pool: WorkerPool | null = null;
  // Only a series a worker checked names a worker as its owner.
  const poolOf = (): WorkerPool => {
    if (!pool) throw new Error('internal: a series owned by a worker, and no workers');
    return pool;
  };
  let handedOut = 0;
  const pending: Pending[] = [];

  const settle = async (): Promise<void> => {
    const head = pending.shift();
    if (!head) return;
    const { outcome, report } = await head.result;
    const { s } = head;
    merger.add(outcome, s.value, s.order, head.owner);
    reports.push(compactReport(report), s.order);
    compactSeries(
      s.value,
      outcome.tagged.map((t) => t.finding),
    );
    done.push(s.value, s.order);
  };

  const checkClosed = async (closed: readonly ClosedGroup[]): Promise<void> => {
    const batch = closed.flatMap((c) => c.series);
    // Rules read the run's collection as it stands: during the run, the series being checked
    // (holding every series checked so far would hold the whole input).
    collection.series = batch.map((s) => s.value);
    if (pool === null && settings !== null && handedOut >= parallelAfter && batch.length) {
      pool = new WorkerPool(workers, { settings, options: checkOptions, gitBase });
      // --jobs N: the workers check from the first series. Otherwise this thread goes on
      // checking while they load, so their start-up costs no wall time; with a lean heap, once
      // their threads run (a fraction of their start-up: until then its limits are off, src/gc.ts).
      if (options.jobs !== undefined) await pool.whenReady;
      else if (heapIsLean()) await pool.whenOnline;
    }
    let prefetched = false;
    for (const s of batch) {
      // A worker takes the series while it has fewer than its share in hand; otherwise this
      // thread checks it (between reading the mail, it has the time of one core).
      if (pool && pool.ready && pool.inFlight < workers * IN_FLIGHT_PER_WORKER) {
        const handed = pool.check([{ series: s.value, target: s.order }])[0]!; // one per series handed
        const p: Pending = { s, ...handed, settled: false };
        void (p.result as Promise<Checked>).then(
          () => {
            p.settled = true;
          },
          () => {
            p.settled = true;
          },
        );
        pending.push(p);
      } else {
        if (!prefetched) local.prefetch(batch.map((x) => x.value));
        prefetched = true;
        const outcome = local.check(s.value, s.order);
        const taken = local.takeModel(s.value); // modelEverySeries: every checked series has one
        if (!taken) throw new Error(`internal: no model of series ${s.value.key}`);
        pending.push({
          s,
          owner: 0,
          result: { outcome, report: seriesModelReport(s.value, taken, model) },
          settled: true,
        });
        if (outcome.released) await new Promise((resolve) => setImmediate(resolve));
      }
      handedOut++;
      while (pending.length && (pending[0]!.settled || pending.length > PENDING_MAX)) await settle();
    }
    for (const c of closed)
      for (const p of c.stray) {
        compactPatch(p.value, true);
        strays.push(p.value, p.order);
      }
  };

  const stream = new SeriesStream();
  const sink: Sink = {
    take: async (patch) => {
      if (options.recipients !== undefined) setRecipients(patch, options.recipients);
      // Replies are never read by a rule, only grouped and named: their text can go now.
      if (patch.kind === 'reply') compactPatch(patch, false);
      const closed = stream.push(patch, sink.input);
      if (closed.length) await checkClosed(closed);
    },
    input: '',
    unreadable: collection.unreadable,
    read: 0,
    onProgress: options.onProgress,
  };
  try {
    for (const [k, spec] of inputs.entries()) {
      sink.input = String(k);
      for await (const file of openInput(spec, options.stdin)) await readFile(file, sink);
      await checkClosed(stream.endInput(sink.input));
    }
    options.onProgress?.(sink.read);
    await checkClosed(stream.end());
    while (pending.length) await settle();

    collection.series = done.done();
    collection.stray = strays.done();
    // The input-scope rules on the main thread, over the whole collection; then what was gathered,
    // rendered by the checker that saw each key's first call.
    merger.add(local.check(null, 0), null, 0, 0);
    const requests = merger.requests();
    const rendered = await Promise.all(
      requests.map((r) =>
        r.owner === 0 ? Promise.resolve(local.render(r.request)) : poolOf().render(r.owner, r.request),
      ),
    );
    const findings = merger.finish(rendered, Number.MAX_SAFE_INTEGER);
    return { collection, findings, model: { series: reports.done() } };
  } finally {
    await (pool as WorkerPool | null)?.close();
  }
}

/** The hook's recipients (see CheckOptionsFull.recipients) on one patch. */
function setRecipients(patch: Patch, recipients: Person[] | null): void {
  if (recipients) patch.recipients = recipients;
  else if (patch.message.to.length === 0 && patch.message.cc.length === 0) patch.recipients = null;
}
