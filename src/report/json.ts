// The JSON report. `findings` holds exactly the contract keys of design.md; the other keys
// describe what was read. Keys are stable once released: add, never rename.
import type { ModelReport } from '../model/run.js';
import type { Finding, Patch, Person, Series } from '../types.js';
import { totals, type ReportInput } from './types.js';

export interface JsonFinding {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  patch: string | null;
  file: string | null;
  line: number | null;
  /** What does not fit the message line (evidence, reasoning, how to fix); only when the rule gives it. */
  detail?: string;
  /** Only on findings a waiver accepted (they are not counted in `summary`). */
  waived?: true;
  /** Why it was waived, and where the waiver is written; only with `waived`. */
  reason?: string;
  waiver?: string;
}

export interface JsonPatch {
  key: string;
  subject: string;
  index: number | null;
  author: string | null;
  commit: string | null;
  files: string[];
}

export interface JsonSeries {
  key: string;
  title: string;
  version: number;
  total: number | null;
  cover: string | null;
  patches: JsonPatch[];
  replies: number;
}

export interface JsonReport {
  tool: { name: string; version: string };
  findings: JsonFinding[];
  /** `waived`: findings a waiver accepted (listed in `findings` with `waived: true`, not counted above). */
  summary: { errors: number; warnings: number; infos: number; patches: number; waived: number };
  series: JsonSeries[];
  unreadable: { source: string; index: number; line: number; label: string; reason: string }[];
  base: { repo: string; commit: string } | null;
  /** Per series: the kernel used and why, the model delta, the obligations (met/unmet); null when not computed. */
  model: ModelReport | null;
}

function person(p: Person | null): string | null {
  if (!p) return null;
  if (!p.name) return p.address;
  return p.address ? `${p.name} <${p.address}>` : p.name;
}

function patchJson(p: Patch): JsonPatch {
  return {
    key: p.key,
    subject: p.subject,
    index: p.tags.index,
    author: person(p.author),
    commit: p.message.commit,
    files: p.files.map((f) => f.newPath ?? f.oldPath ?? '').filter((f) => f !== ''),
  };
}

function seriesJson(s: Series): JsonSeries {
  return {
    key: s.key,
    title: s.title,
    version: s.version,
    total: s.total,
    cover: s.cover ? s.cover.subject : null,
    patches: s.patches.map(patchJson),
    replies: s.replies.length,
  };
}

/** A finding's contract keys, in the contract's order; `detail` after them, only where there is one. */
function findingJson(f: Finding) {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    patch: f.patch,
    file: f.file,
    line: f.line,
    ...(f.detail ? { detail: f.detail } : {}),
  };
}

export function toJsonReport(input: ReportInput): JsonReport {
  const { collection } = input;
  return {
    tool: { name: input.tool.name, version: input.tool.version },
    findings: [
      ...input.findings.map(findingJson),
      ...(input.waived ?? []).map((f) => ({
        ...findingJson(f),
        waived: true as const,
        reason: f.waived.reason,
        waiver: f.waived.origin,
      })),
    ],
    summary: { ...totals(input), waived: input.waived?.length ?? 0 },
    series: collection.series.map(seriesJson),
    unreadable: collection.unreadable.map((u) => ({
      source: u.origin.source,
      index: u.origin.index,
      line: u.origin.line,
      label: u.label,
      reason: u.reason,
    })),
    base: collection.gitBase,
    model: input.model ?? null,
  };
}

export function formatJson(input: ReportInput): string {
  return JSON.stringify(toJsonReport(input), null, 2) + '\n';
}

/** Text is handed out in pieces of about this many characters. */
const CHUNK = 1 << 16;

/**
 * The same text as formatJson, in pieces, for large runs: a 1 GB mbox's report lists 380,000
 * series and their model reports (some 500 MB of JSON, about the longest string V8 can hold).
 * Series and model reports are turned into JSON one at a time, as the pieces are taken.
 */
export function* formatJsonChunks(input: ReportInput): Generator<string> {
  // Everything but the two long lists, with the totals of the whole input.
  const head = toJsonReport({ ...input, collection: { ...input.collection, series: [] }, model: null });
  head.summary = { ...totals(input), waived: input.waived?.length ?? 0 };
  let buf = '{';
  const flush = function* (): Generator<string> {
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  };
  const value = (v: unknown, depth: number): string =>
    JSON.stringify(v, null, 2).replace(/\n/g, '\n' + '  '.repeat(depth));
  // A list at `depth`, as JSON.stringify(_, null, 2) writes it inside its parents.
  const list = function* <T>(items: readonly T[], depth: number, toJson: (x: T) => unknown): Generator<string> {
    if (items.length === 0) {
      buf += '[]';
      return;
    }
    buf += '[';
    let first = true;
    for (const x of items) {
      buf += `${first ? '' : ','}\n${'  '.repeat(depth + 1)}${value(toJson(x), depth + 1)}`;
      first = false;
      yield* flush();
    }
    buf += `\n${'  '.repeat(depth)}]`;
  };
  const entries = Object.entries(head);
  for (const [k, [key, v]] of entries.entries()) {
    buf += `${k === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (key === 'series') {
      yield* list(input.collection.series, 1, seriesJson);
    } else if (key === 'model' && input.model) {
      buf += `{\n    "series": `;
      yield* list(input.model.series, 2, (x) => x);
      buf += '\n  }';
    } else {
      buf += value(v, 1);
    }
    yield* flush();
  }
  buf += '\n}\n';
  yield buf;
}
