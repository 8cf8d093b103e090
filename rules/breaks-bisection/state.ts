// The tree as each patch leaves it, read once per file and step: the files the series touches
// (StateView) and the base tree's files a search found (TreeText).
import type { SeriesContext } from '../../src/engine/rule.js';
import type { FileHistory } from '../../src/source/types.js';
import { archOf, codeOf, definesName, type LineAt, type SeriesSteps } from '../lib/steps.js';

/** A file of the base tree, read once, as code lines. */
export class TreeText {
  private readonly code = new Map<string, string[] | null>();
  constructor(private readonly tree: SeriesContext['baseTree']) {}
  lines(paths: readonly string[]): Map<string, string[] | null> {
    const missing = paths.filter((p) => !this.code.has(p));
    if (missing.length && this.tree) {
      for (const [p, t] of this.tree.readMany(missing)) this.code.set(p, t === null ? null : codeOf(t.split('\n')));
    }
    return new Map(paths.map((p) => [p, this.code.get(p) ?? null]));
  }
}

/** The touched files as they stand after each patch, kept per step. */
export class StateView {
  private readonly cache: Map<string, { lines: LineAt[]; text: string }>;
  /** `files`: the files whose lines count; `shared`: a view of other files whose reads this one reuses. */
  constructor(
    readonly st: SeriesSteps,
    readonly files: readonly FileHistory[],
    shared?: StateView,
  ) {
    this.cache = shared?.cache ?? new Map<string, { lines: LineAt[]; text: string }>();
  }
  /** Whether any image of `f` (any step, either side) has `name` in it: the states worth building. */
  mentions(f: FileHistory, name: string): boolean {
    // Each image's text is made once (and shared by the steps on either side of it): asked one by
    // one, not joined into a copy of every version of the file.
    return f.steps.some(
      (s) =>
        (s.diff.status !== 'added' && s.pre.text().includes(name)) ||
        (s.diff.status !== 'deleted' && s.post.text().includes(name)),
    );
  }
  at(f: FileHistory, k: number): { lines: LineAt[]; text: string } {
    const key = `${f.path}\0${k}`;
    let v = this.cache.get(key);
    if (!v) {
      const lines = this.st.linesAt(f, k);
      this.cache.set(key, (v = { lines, text: lines.map((l) => l.raw).join('\n') }));
    }
    return v;
  }
  /** The files whose lines after patch k have `name` in them (comments included), with those lines. */
  *naming(name: string, k: number): Generator<{ f: FileHistory; lines: LineAt[] }> {
    for (const f of this.files) {
      if (!this.mentions(f, name)) continue;
      const s = this.at(f, k);
      if (s.text.includes(name)) yield { f, lines: s.lines };
    }
  }
  /** Paths (as they stand after patch k) of touched files that may define the C name `name` then. */
  definers(name: string, k: number): Set<string> {
    const out = new Set<string>();
    for (const { lines } of this.naming(name, k)) {
      const hit = lines.find((l) => definesName(l.code, name));
      if (hit) out.add(hit.file);
    }
    return out;
  }
}

export const isHeader = (p: string) => p.endsWith('.h');
/** A definition in `def` serves a use in `use`: the same file, or a header of the same or no architecture. */
export const serves = (def: string, use: string) =>
  def === use || (isHeader(def) && (archOf(def) === '' || archOf(def) === archOf(use)));
/** A removal from `from` concerns a use in `use`: a .c file's own names stay in it; an architecture's in it. */
export const concerns = (from: string, use: string) =>
  isHeader(from) ? archOf(from) === '' || archOf(from) === archOf(use) : from === use;
