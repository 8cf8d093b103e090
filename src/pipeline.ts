// inputs -> mail -> patch -> series, and the rules over them. The only I/O is reading the
// inputs (src/input); every stage after that is a pure function of the one before.
import { UsageError } from './errors.js';
import { runRulesAsync } from './engine/check.js';
import type { CheckOptions, Rule } from './engine/rule.js';
import { openInput, type InputFile } from './input/read.js';
import type { InputSpec } from './input/types.js';
import { MboxSplitter, type RawMessage } from './mail/split.js';
import { isUnreadable, parseMessage } from './mail/message.js';
import { parsePatch } from './patch/index.js';
import { loadModel } from './model/load.js';
import { inferKernel } from './model/infer.js';
import { seriesModelReport, type ModelReport, type SeriesModel } from './model/run.js';
import { RULES } from './rules.js';
import { groupSeries } from './series/group.js';
import type { Collection, Finding, Patch, Series, UnreadableMessage } from './types.js';

export interface CollectOptions {
  onProgress?: (messagesRead: number) => void;
  /** stdin stream (tests); process.stdin by default */
  stdin?: NodeJS.ReadableStream;
}

const PROGRESS_EVERY = 25;
const NOT_MAIL = 'neither mail headers nor a diff';

interface Sink {
  patches: Patch[];
  /** which InputSpec each patch came from: unthreaded series do not cross inputs */
  inputOf: Map<Patch, string>;
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
    const m = await parseMessage(raw.data, origin, { commit: file.git ? raw.commit : null });
    if (isUnreadable(m)) {
      sink.unreadable.push(m);
      if (m.reason === NOT_MAIL) notMail++;
      else broken++;
    } else {
      const patch = parsePatch(m);
      sink.patches.push(patch);
      sink.inputOf.set(patch, sink.input);
      usable++;
    }
    sink.read++;
    if (sink.onProgress && sink.read % PROGRESS_EVERY === 0) sink.onProgress(sink.read);
  };
  for await (const chunk of file.chunks) for (const raw of splitter.push(chunk)) await take(raw);
  for (const raw of splitter.end()) await take(raw);
  if (usable === 0 && broken === 0 && notMail > 0) {
    throw new UsageError(`${file.source}: no mail message or patch found`);
  }
}

export async function collect(inputs: InputSpec[], opts: CollectOptions = {}): Promise<Collection> {
  const sink: Sink = { patches: [], inputOf: new Map(), input: '', unreadable: [], read: 0, onProgress: opts.onProgress };
  let gitBase: Collection['gitBase'] = null;
  for (const [k, spec] of inputs.entries()) {
    sink.input = String(k);
    if (spec.kind === 'buffer' && spec.gitBase) gitBase = spec.gitBase;
    for await (const file of openInput(spec, opts.stdin)) await readFile(file, sink);
  }
  opts.onProgress?.(sink.read);
  const { series, stray } = groupSeries(sink.patches, (p) => sink.inputOf.get(p) ?? p.message.origin.source);
  return { series, stray, unreadable: sink.unreadable, gitBase };
}

export async function check(
  inputs: InputSpec[],
  options: CheckOptions & { rules?: readonly Rule[]; onProgress?: (messagesRead: number) => void; stdin?: NodeJS.ReadableStream },
): Promise<{ collection: Collection; findings: Finding[]; model: ModelReport }> {
  // A bad --kernel is the user's mistake (exit 2), found before any rule runs.
  if (options.kernel) inferKernel({ explicit: options.kernel });
  const collection = await collect(inputs, { onProgress: options.onProgress, stdin: options.stdin });
  const models = new Map<Series, SeriesModel>();
  const findings = await runRulesAsync(options.rules ?? RULES, collection, { tree: options.tree, kernel: options.kernel }, { models, modelEverySeries: true });
  const model: ModelReport = { series: collection.series.map((s) => seriesModelReport(s, models.get(s)!, loadModel())) };
  return { collection, findings, model };
}
