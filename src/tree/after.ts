// The tree as a series leaves it: the base tree with the series applied. A rule that asks
// "is X defined in the tree?" or "what does header H say?" about what a series adds must
// not get the answer of the base alone: the patch that adds MEMORY_DEVICE_PUBLIC to
// memremap.h and a comment naming it there is right, and a comment that names a header
// the series deletes is wrong. This view answers every KernelTree question that way:
// files the series touches read as its last post-image (absent when it deletes or renames
// them away), every other file from the base, and tree-wide searches see the lines the
// series adds and not those it removes.
//
// Rules that judge each patch of a series on its own (bisection: the state right after
// that patch) read the per-patch images of ctx.source() instead.
import { placeHunks } from '../source/apply.js';
import { splitLines } from '../source/build.js';
import type { FileHistory, SeriesSource } from '../source/types.js';
import type { Hunk } from '../types.js';
import { treeOf, type TreeRequest } from './index.js';
import { pathspecMatcher } from './run.js';
import { cleanPath } from './safe.js';
import type { GrepHit, GrepOptions, KernelTree } from './types.js';

export interface TreeAfterSeries extends KernelTree {
  /** The tree the series applies to. */
  readonly base: KernelTree;
  /** Whether the series leaves `path` other than the base has it (changed, added, deleted or renamed away). */
  changes(path: string): boolean;
  /** Every such path. */
  readonly changed: readonly string[];
}

/** Path -> the file's lines after the series; null when the series leaves no file there. */
export type Overlay = ReadonlyMap<string, readonly string[] | null>;

const perSource = new WeakMap<SeriesSource, TreeAfterSeries>();

/** The run's base tree with the checked series applied, or null when there is no base tree. */
export function treeAfterSeries(ctx: TreeRequest & { source(): SeriesSource }): TreeAfterSeries | null {
  const base = treeOf(ctx);
  if (!base) return null;
  const source = ctx.source();
  let view = perSource.get(source);
  if (!view) perSource.set(source, (view = afterSeries(base, overlayOf(source, base))));
  return view;
}

/** What the series leaves in each file it touches. */
export function overlayOf(source: SeriesSource, base: Pick<KernelTree, 'readSync'>): Overlay {
  const out = new Map<string, readonly string[] | null>();
  for (const f of source.files) {
    const last = f.steps[f.steps.length - 1];
    if (!last) continue;
    // A rename or a deletion leaves nothing at the old name (a copy keeps its source).
    for (const s of f.steps) {
      if (s.diff.status === 'copied') continue;
      if (s.pre.path !== f.path && !out.has(s.pre.path)) out.set(s.pre.path, null);
    }
    out.set(f.path, last.diff.status === 'deleted' ? null : finalLines(f, base));
  }
  return out;
}

/** The file after the last step: its whole image, or, where a hunk did not apply, the best reading of it. */
function finalLines(f: FileHistory, base: Pick<KernelTree, 'readSync'>): readonly string[] {
  const steps = f.steps;
  const last = steps[steps.length - 1]!;
  if (last.post.mode === 'whole') return last.post.lines;
  // From the last whole image (or the base file), the remaining patches applied loosely.
  let k = steps.length - 1;
  while (k >= 0 && steps[k]!.post.mode !== 'whole') k--;
  let lines: string[];
  if (k >= 0) lines = [...steps[k]!.post.lines];
  else {
    const first = steps[0]!;
    const text = first.diff.status === 'added' ? '' : (f.base ?? base.readSync(first.pre.path));
    lines = text === null ? [] : splitLines(text);
  }
  for (const s of steps.slice(k + 1)) lines = looseApply(lines, s.diff.hunks);
  return lines;
}

/**
 * Hunks applied where they fit, and where one does not (its context differs from the file),
 * its removed lines taken out where found and its added lines put where its header says: the
 * file as the series means it to be, as near as a patch that does not apply can tell.
 */
export function looseApply(lines: readonly string[], hunks: readonly Hunk[]): string[] {
  const out = [...lines];
  let shift = 0;
  for (const hunk of hunks) {
    const oldLen = hunk.lines.filter((l) => l.kind !== 'add').length;
    const post = hunk.lines.filter((l) => l.kind !== 'del').map((l) => l.text);
    const moved: Hunk = { ...hunk, oldStart: hunk.oldStart + shift };
    const placed = placeHunks(out, [moved]);
    if (placed.ok) {
      out.splice(placed.placements[0]!.at, oldLen, ...post);
      shift += placed.placements[0]!.offset + post.length - oldLen;
      continue;
    }
    let at = Math.min(Math.max(0, hunk.oldStart - 1 + shift), out.length);
    for (const l of hunk.lines) {
      if (l.kind !== 'del') continue;
      const i = nearest(out, l.text, at);
      if (i === null) continue;
      out.splice(i, 1);
      if (i < at) at--;
      shift--;
    }
    const added = hunk.lines.filter((l) => l.kind === 'add').map((l) => l.text);
    out.splice(Math.min(at, out.length), 0, ...added);
    shift += added.length;
  }
  return out;
}

function nearest(lines: readonly string[], text: string, from: number): number | null {
  for (let d = 0; d < lines.length; d++) {
    if (from + d < lines.length && lines[from + d] === text) return from + d;
    if (d > 0 && from - d >= 0 && lines[from - d] === text) return from - d;
    if (from + d >= lines.length && from - d < 0) break;
  }
  return null;
}

// Base-tree searches are answered once per tree for the whole run: a mbox of thousands of
// series asks the same base question many times, and only the overlay differs.
const baseGreps = new WeakMap<KernelTree, Map<string, GrepHit[]>>();

function baseGrep(
  base: KernelTree,
  patterns: readonly string[],
  pathspecs: readonly string[],
  options: GrepOptions,
): GrepHit[] {
  let cache = baseGreps.get(base);
  if (!cache) baseGreps.set(base, (cache = new Map<string, GrepHit[]>()));
  const key = JSON.stringify([patterns, pathspecs, !!options.fixed]);
  let hits = cache.get(key);
  if (!hits) cache.set(key, (hits = base.grep(patterns, pathspecs, options)));
  return hits;
}

/** The view of `base` with `overlay` laid over it. */
export function afterSeries(base: KernelTree, overlay: Overlay): TreeAfterSeries {
  const changed = (path: string): boolean => {
    const clean = cleanPath(path);
    return clean !== null && overlay.has(clean);
  };
  const readSync = (path: string): string | null => {
    const clean = cleanPath(path);
    if (clean === null) return null;
    const lines = overlay.get(clean);
    if (lines !== undefined) {
      return lines === null ? null : lines.length ? `${lines.join('\n')}\n` : '';
    }
    return base.readSync(clean);
  };
  const present = [...overlay].filter((e): e is [string, readonly string[]] => e[1] !== null);
  return {
    base,
    label: base.label,
    kind: base.kind,
    changes: changed,
    changed: [...overlay.keys()],
    read: (path) => Promise.resolve(readSync(path)),
    readSync,
    readMany(paths) {
      const fromBase = base.readMany(paths.filter((p) => !changed(p)));
      return new Map(paths.map((p) => [p, changed(p) ? readSync(p) : (fromBase.get(p) ?? null)]));
    },
    exists(path) {
      const clean = cleanPath(path);
      if (clean === null) return false;
      return overlay.has(clean) ? overlay.get(clean) !== null : base.exists(clean);
    },
    list(pathspecs) {
      const match = pathspecMatcher(pathspecs);
      const out = base.list(pathspecs).filter((p) => !overlay.has(p));
      for (const [p] of present) if (match(p)) out.push(p);
      return [...new Set(out)].sort(byPath);
    },
    grep(pattern, pathspecs, options = {}): GrepHit[] {
      const patterns = typeof pattern === 'string' ? [pattern] : [...pattern];
      const hits = baseGrep(base, patterns, pathspecs, options);
      if (overlay.size === 0) return hits;
      const match = pathspecMatcher(pathspecs);
      const re = lineMatcher(patterns, !!options.fixed);
      const out = hits.filter((h) => !overlay.has(h.path));
      for (const [path, lines] of present) {
        if (!match(path)) continue;
        lines.forEach((text, i) => {
          if (re.test(text)) out.push({ path, line: i + 1, text });
        });
      }
      // git grep's order: by path, then line.
      return out.sort((a, b) => byPath(a.path, b.path) || a.line - b.line);
    },
  };
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// POSIX classes git grep's EREs may use, in JavaScript's spelling (inside a bracket expression).
const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  blank: ' \\t',
  xdigit: '0-9A-Fa-f',
};

/** The JavaScript regex a line must match for `git grep -E` (or `-F`) with these patterns. */
export function lineMatcher(patterns: readonly string[], fixed: boolean): RegExp {
  const srcs = patterns.map((p) =>
    fixed
      ? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      : p.replace(/\[:(\w+):\]/g, (m, c: string) => CLASSES[c] ?? m).replace(/\\[<>]/g, '\\b'),
  );
  return new RegExp(srcs.map((s) => `(?:${s})`).join('|'));
}
