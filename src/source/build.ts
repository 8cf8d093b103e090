// Series -> SeriesSource. Pure: the base tree's files come in as a snapshot read beforehand
// (readBase), so rules can build images synchronously and only when they ask for them.
import type { FileDiff, Hunk, Patch, Series } from '../types.js';
import { placeHunks } from './apply.js';
import type { BaseTree } from './tree.js';
import type {
  ApplyFailure,
  FileHistory,
  FileImage,
  FileStep,
  ImageMode,
  LineOrigin,
  Segment,
  SeriesSource,
} from './types.js';

/** Base-tree files by path (null: the tree does not have it). Absent keys were not read. */
export type BaseSnapshot = ReadonlyMap<string, string | null>;

const BASE: LineOrigin = Object.freeze({ kind: 'base', patchKey: null, hunk: null });

/** The paths a series needs from the base tree: every file it changes that it did not create. */
export function basePaths(series: readonly Series[]): string[] {
  const paths = new Set<string>();
  for (const s of series) {
    for (const patch of s.patches) {
      for (const diff of patch.files) if (diff.status !== 'added' && diff.oldPath) paths.add(diff.oldPath);
    }
  }
  return [...paths];
}

export async function readBase(series: readonly Series[], tree: BaseTree): Promise<BaseSnapshot> {
  const paths = basePaths(series);
  const texts = await Promise.all(paths.map((p) => tree.read(p)));
  return new Map(paths.map((p, i) => [p, texts[i]!]));
}

/** The same, for trees that read synchronously (rules run synchronously). */
export function readBaseSync(series: readonly Series[], tree: Required<Pick<BaseTree, 'readMany'>>): BaseSnapshot {
  return tree.readMany(basePaths(series));
}

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

interface State {
  lines: string[];
  origins: LineOrigin[];
}

interface Track {
  path: string;
  base: string | null;
  /** null once the file has fallen back to fragments (no tree, or a hunk did not apply). */
  state: State | null;
  /** A tree was given and lacks the file: reported once, on the first hunk. */
  missing: boolean;
  steps: FileStep[];
}

/**
 * Builds the images of every file the series touches. With `base` (a tree was given),
 * whole files with the patches applied in order; without, or after a hunk fails to apply,
 * the fragments the hunks carry.
 */
export function buildSource(series: Series, base: BaseSnapshot | null): SeriesSource {
  const tracks = new Map<string, Track>();
  const order: Track[] = [];
  const failures: ApplyFailure[] = [];
  const all: FileStep[] = [];

  for (const patch of series.patches) {
    patch.files.forEach((diff, fileIndex) => {
      if (diff.binary) return;
      const from = diff.oldPath ?? diff.newPath;
      if (from === null) return;
      let track = tracks.get(from);
      if (!track) {
        track = newTrack(from, diff, base);
        order.push(track);
      } else {
        tracks.delete(from);
      }
      const step = advance(track, patch, diff, fileIndex, failures);
      track.steps.push(step);
      all.push(step);
      track.path = diff.newPath ?? from;
      tracks.set(track.path, track);
    });
  }

  const files: FileHistory[] = order.map((t) => ({ path: t.path, base: t.base, steps: t.steps }));
  const byKey = new Map<string, FileStep>();
  for (const s of all) byKey.set(`${s.patch.key}\0${s.post.path}`, s);
  return {
    tree: base !== null,
    files,
    failures,
    steps: () => all,
    step: (patch, path) => byKey.get(`${patch.key}\0${path}`),
  };
}

function newTrack(path: string, diff: FileDiff, base: BaseSnapshot | null): Track {
  if (base === null) return { path, base: null, state: null, missing: false, steps: [] };
  if (diff.status === 'added')
    return { path, base: null, state: { lines: [], origins: [] }, missing: false, steps: [] };
  const text = base.get(path) ?? null;
  if (text === null) return { path, base: null, state: null, missing: true, steps: [] };
  const lines = splitLines(text);
  return {
    path,
    base: text,
    state: { lines, origins: new Array<LineOrigin>(lines.length).fill(BASE) },
    missing: false,
    steps: [],
  };
}

function advance(track: Track, patch: Patch, diff: FileDiff, fileIndex: number, failures: ApplyFailure[]): FileStep {
  const postPath = diff.newPath ?? diff.oldPath ?? track.path;
  const prePath = diff.oldPath ?? postPath;
  if (track.missing) {
    track.missing = false;
    const hunk = diff.hunks[0];
    if (hunk) failures.push({ patch, path: prePath, hunk, hunkIndex: 0, cause: { kind: 'no-file' } });
  }
  if (track.state) {
    const placed = placeHunks(track.state.lines, diff.hunks);
    if (placed.ok) {
      const pre = wholeImage(prePath, patch, 'pre', track.state);
      const { state, removed } = applyPlaced(
        track.state,
        diff.hunks,
        placed.placements.map((p) => p.at),
        patch,
      );
      track.state = diff.status === 'deleted' ? { lines: [], origins: [] } : state;
      const post = wholeImage(postPath, patch, 'post', track.state);
      return { patch, diff, fileIndex, pre, post, removed };
    }
    const hunk = diff.hunks[placed.hunkIndex]!;
    failures.push({ patch, path: prePath, hunk, hunkIndex: placed.hunkIndex, cause: placed.cause });
    track.state = null;
  }
  return fragmentStep(prePath, postPath, patch, diff, fileIndex);
}

function applyPlaced(
  state: State,
  hunks: readonly Hunk[],
  at: readonly number[],
  patch: Patch,
): { state: State; removed: number[] } {
  const lines: string[] = [];
  const origins: LineOrigin[] = [];
  const removed: number[] = [];
  let cursor = 0;
  hunks.forEach((hunk, h) => {
    const start = at[h]!;
    for (; cursor < start; cursor++) {
      lines.push(state.lines[cursor]!);
      origins.push(state.origins[cursor]!);
    }
    const shown: LineOrigin = { kind: 'context', patchKey: patch.key, hunk: h };
    const added: LineOrigin = { kind: 'added', patchKey: patch.key, hunk: h };
    for (const l of hunk.lines) {
      if (l.kind === 'add') {
        lines.push(l.text);
        origins.push(added);
      } else if (l.kind === 'del') {
        removed.push(cursor);
        cursor++;
      } else {
        // The file's own text wins over the hunk's (they may differ in trailing blanks).
        lines.push(state.lines[cursor]!);
        const was = state.origins[cursor]!;
        origins.push(was.kind === 'base' ? shown : was);
        cursor++;
      }
    }
  });
  for (; cursor < state.lines.length; cursor++) {
    lines.push(state.lines[cursor]!);
    origins.push(state.origins[cursor]!);
  }
  return { state: { lines, origins }, removed };
}

function wholeImage(path: string, patch: Patch, side: 'pre' | 'post', state: State): FileImage {
  const segments: Segment[] = state.lines.length ? [{ start: 0, end: state.lines.length, hunk: null }] : [];
  return makeImage(path, 'whole', patch, side, state.lines, state.origins, segments, null);
}

function fragmentStep(prePath: string, postPath: string, patch: Patch, diff: FileDiff, fileIndex: number): FileStep {
  const pre = {
    lines: [] as string[],
    origins: [] as LineOrigin[],
    numbers: [] as number[],
    segments: [] as Segment[],
  };
  const post = {
    lines: [] as string[],
    origins: [] as LineOrigin[],
    numbers: [] as number[],
    segments: [] as Segment[],
  };
  const removed: number[] = [];
  diff.hunks.forEach((hunk, h) => {
    const shown: LineOrigin = { kind: 'context', patchKey: patch.key, hunk: h };
    const added: LineOrigin = { kind: 'added', patchKey: patch.key, hunk: h };
    const preStart = pre.lines.length;
    const postStart = post.lines.length;
    for (const l of hunk.lines) {
      if (l.kind !== 'add') {
        if (l.kind === 'del') removed.push(pre.lines.length);
        pre.lines.push(l.text);
        pre.origins.push(shown);
        pre.numbers.push(l.oldLine ?? 0);
      }
      if (l.kind !== 'del') {
        post.lines.push(l.text);
        post.origins.push(l.kind === 'add' ? added : shown);
        post.numbers.push(l.newLine ?? 0);
      }
    }
    if (pre.lines.length > preStart) pre.segments.push({ start: preStart, end: pre.lines.length, hunk });
    if (post.lines.length > postStart) post.segments.push({ start: postStart, end: post.lines.length, hunk });
  });
  return {
    patch,
    diff,
    fileIndex,
    removed,
    pre: makeImage(prePath, 'fragments', patch, 'pre', pre.lines, pre.origins, pre.segments, pre.numbers),
    post: makeImage(postPath, 'fragments', patch, 'post', post.lines, post.origins, post.segments, post.numbers),
  };
}

function makeImage(
  path: string,
  mode: ImageMode,
  patch: Patch,
  side: 'pre' | 'post',
  lines: readonly string[],
  origins: readonly LineOrigin[],
  segments: readonly Segment[],
  numbers: readonly number[] | null,
): FileImage {
  let text: string | null = null;
  const key = patch.key;
  return {
    path,
    mode,
    patch,
    side,
    lines,
    origins,
    segments,
    lineNumber: numbers ? (i) => numbers[i]! : (i) => i + 1,
    addedHere: side === 'post' ? (i) => origins[i]?.kind === 'added' && origins[i].patchKey === key : () => false,
    text: () => (text ??= lines.join('\n')),
  };
}
