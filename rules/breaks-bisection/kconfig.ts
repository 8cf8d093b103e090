// Kconfig symbols at every step: `config FOO` removed while the step still selects, depends on or
// tests FOO, or a `select FOO` / `depends on FOO` added before the patch that adds `config FOO`.
// Such a step builds: the symbol silently reads as n (lib/symbols.ts), so these are warnings.
import type { SeriesContext } from '../../src/engine/rule.js';
import type { FileHistory, FileStep } from '../../src/source/types.js';
import { definedSymbol, effectOf, imageUses, lineUses, showUse, symbolFileOf, type SymbolUse } from '../lib/symbols.js';
import { archOf, stepLabel, type LineAt, type Mentions, type SeriesSteps } from '../lib/steps.js';
import { detailList, listed } from './names.js';
import type { StateView } from './state.js';

/** A `config FOO` line a patch removes (pre-image index) or adds (post-image index). */
export interface SymbolEvent {
  symbol: string;
  step: FileStep;
  i: number;
}

/** The `config` entries one file step of a Kconfig file removes and adds. */
export function symbolEvents(step: FileStep): { removed: SymbolEvent[]; added: SymbolEvent[] } {
  const removed: SymbolEvent[] = [];
  const added: SymbolEvent[] = [];
  if (symbolFileOf(step.pre.path) === 'kconfig' && step.diff.status !== 'added') {
    const gone = step.diff.status === 'deleted' ? step.pre.lines.map((_, i) => i) : step.removed;
    for (const i of gone) {
      const symbol = definedSymbol(step.pre.lines[i] ?? '');
      if (symbol !== null) removed.push({ symbol, step, i });
    }
  }
  if (symbolFileOf(step.post.path) === 'kconfig' && step.diff.status !== 'deleted') {
    step.post.lines.forEach((l, i) => {
      const symbol = step.post.addedHere(i) ? definedSymbol(l) : null;
      if (symbol !== null) added.push({ symbol, step, i });
    });
  }
  return { removed, added };
}

/** Whether a Kconfig line some patch before `a`'s adds has `a`'s symbol in it: worth judging as a use before the entry. */
export function namedBefore(st: SeriesSteps, files: readonly FileHistory[], a: SymbolEvent): boolean {
  const j = st.step(a.step.patch);
  for (const f of files) {
    for (const s of f.steps) {
      if (st.step(s.patch) >= j || symbolFileOf(s.post.path) !== 'kconfig' || s.diff.status === 'deleted') continue;
      if (s.post.lines.some((l, i) => s.post.addedHere(i) && l.includes(a.symbol))) return true;
    }
  }
  return false;
}

/** A removal from `from` concerns a use in `use`: a generic entry every file; an architecture's, its own files and generic ones. */
const concerns = (from: string, use: string) =>
  archOf(from) === '' || archOf(use) === '' || archOf(use) === archOf(from);

/** The use of `symbol` on a line after some step, if the line has one. */
function useAt(ctx: SeriesContext, at: LineAt, symbol: string): SymbolUse | undefined {
  return imageUses(at.image, ctx.syntax.kconfig(at.image))[at.i]?.find((u) => u.symbol === symbol);
}

/** Whether a touched Kconfig file defines `symbol` after step k. */
function definedInSeries(view: StateView, symbol: string, k: number): boolean {
  for (const { lines } of view.naming(symbol, k))
    if (lines.some((l) => symbolFileOf(l.file) === 'kconfig' && definedSymbol(l.raw) === symbol)) return true;
  return false;
}

/** Whether an untouched Kconfig file of the base tree defines `symbol`. */
const definedInTree = (m: Mentions, symbol: string, touched: ReadonlySet<string>) => {
  const hits = m.get(symbol);
  return (
    hits !== undefined &&
    hits !== 'too-many' &&
    hits.some((h) => !touched.has(h.path) && symbolFileOf(h.path) === 'kconfig' && definedSymbol(h.text) === symbol)
  );
};

/** The symbols worth asking the base tree about: those removed by a patch that does not define them again. */
export function netSymbolRemovals(
  st: SeriesSteps,
  removals: readonly SymbolEvent[],
  additions: readonly SymbolEvent[],
) {
  const sameStep = new Set(additions.map((a) => `${a.symbol}\0${st.step(a.step.patch)}`));
  return removals.filter((r) => !sameStep.has(`${r.symbol}\0${st.step(r.step.patch)}`));
}

export function judgeSymbolRemovals(
  ctx: SeriesContext,
  st: SeriesSteps,
  view: StateView,
  removals: readonly SymbolEvent[],
  additions: readonly SymbolEvent[],
  mentions: Mentions,
  touched: ReadonlySet<string>,
  modelSymbols: ReadonlySet<string>,
): void {
  const done = new Set<string>();
  for (const r of removals) {
    const k = st.step(r.step.patch);
    if (done.has(`${r.symbol}\0${k}`)) continue;
    done.add(`${r.symbol}\0${k}`);
    // Another Kconfig file still defines it (an architecture's copy, a move to another file).
    if (definedInSeries(view, r.symbol, k) || definedInTree(mentions, r.symbol, touched)) continue;
    if (mentions.get(r.symbol) === 'too-many') continue;
    const readd =
      additions
        .filter((a) => a.symbol === r.symbol)
        .map((a) => st.step(a.step.patch))
        .filter((j) => j > k)
        .sort((a, b) => a - b)[0] ?? null;
    const from = r.step.pre.path;
    const remover = r.step.patch;
    const removed = stepLabel(remover);
    const detail = (file: string, line: number, text: string, u: SymbolUse) =>
      `patch ${removed} removes config ${r.symbol} (${from}:${r.step.pre.lineNumber(r.i)}); ${file}:${line} still reads "${text.trim().slice(0, 100)}". No Kconfig file defines ${r.symbol} in the steps between, and nothing says so: Kconfig takes a select of an undefined symbol without a word and reads it as n, C and make see CONFIG_${r.symbol} never set (scripts/checkkconfigsymbols.py lists such names). Bisecting through those steps builds another configuration (${effectOf(u.kind)}): drop the use in patch ${removed} or before it.`;
    const persistent: string[] = [];
    for (const { f, lines } of view.naming(r.symbol, k)) {
      for (const at of lines) {
        const u = concerns(from, at.file) ? useAt(ctx, at, r.symbol) : undefined;
        if (!u) continue;
        const drop = st.droppedBy(f, k, at);
        const j = drop ? st.step(drop.patch) : null;
        const use = showUse(u, at.raw);
        if (drop && j !== null && (readd === null || j <= readd)) {
          ctx.report({
            patch: remover,
            file: at.file,
            line: at.line,
            severity: 'warning',
            messageId: 'symbolUsedAfterRemoval',
            data: { use, removed, dropped: stepLabel(drop.patch), effect: effectOf(u.kind) },
            detail: detail(at.file, at.line, at.raw, u),
          });
        } else if (readd !== null) {
          ctx.report({
            patch: remover,
            file: at.file,
            line: at.line,
            severity: 'warning',
            messageId: 'symbolUsedUntilReadded',
            data: { use, removed, added: stepLabel(st.patches[readd]!), effect: effectOf(u.kind) },
            detail: detail(at.file, at.line, at.raw, u),
          });
        } else persistent.push(`${at.file}:${at.line}`);
      }
    }
    const hits = mentions.get(r.symbol);
    for (const h of hits === undefined || hits === 'too-many' ? [] : hits) {
      const kind = symbolFileOf(h.path);
      if (touched.has(h.path) || kind === null || !concerns(from, h.path)) continue;
      const u = lineUses(kind, h.text).find((x) => x.symbol === r.symbol);
      if (!u) continue;
      if (readd !== null) {
        ctx.report({
          patch: remover,
          file: h.path,
          line: h.line,
          severity: 'warning',
          messageId: 'symbolUsedUntilReadded',
          data: { use: showUse(u, h.text), removed, added: stepLabel(st.patches[readd]!), effect: effectOf(u.kind) },
          detail: detail(h.path, h.line, h.text, u),
        });
      } else persistent.push(`${h.path}:${h.line}`);
    }
    if (!persistent.length || modelSymbols.has(r.symbol)) continue;
    const all = [...new Set(persistent)];
    ctx.report({
      patch: remover,
      file: from,
      line: r.step.pre.lineNumber(r.i),
      severity: 'warning',
      messageId: 'symbolRemovedStillUsed',
      data: { symbol: r.symbol, removed, uses: listed(all) },
      detail: `still named at ${detailList(all)}. From patch ${removed} on, no Kconfig file defines ${r.symbol}: a select of it selects nothing, a dependency on it reads as n, CONFIG_${r.symbol} is never set, and nothing says so (scripts/checkkconfigsymbols.py lists such names). Drop those uses in the series, or keep the entry.`,
    });
  }
}

/** `select FOO`, `depends on FOO`... added to Kconfig before the patch that adds `config FOO`. */
export function judgeSymbolEarlyUses(
  ctx: SeriesContext,
  st: SeriesSteps,
  view: StateView,
  removals: readonly SymbolEvent[],
  additions: readonly SymbolEvent[],
  mentions: Mentions,
  touched: ReadonlySet<string>,
  withTree: boolean,
): void {
  const first = new Map<string, SymbolEvent>();
  for (const a of additions) {
    const was = first.get(a.symbol);
    if (!was || st.step(a.step.patch) < st.step(was.step.patch)) first.set(a.symbol, a);
  }
  const removed = new Set(removals.map((r) => r.symbol));
  for (const [symbol, a] of first) {
    const j = st.step(a.step.patch);
    if (j <= 0 || removed.has(symbol)) continue;
    // From hunks alone the base's Kconfig files are unknown: an architecture's entry may be one of
    // several copies; a generic one is taken as the first.
    if (withTree ? definedInTree(mentions, symbol, touched) : archOf(a.step.post.path) !== '') continue;
    for (const s of ctx.source().steps()) {
      const k = st.step(s.patch);
      if (k < 0 || k >= j || symbolFileOf(s.post.path) !== 'kconfig' || s.diff.status === 'deleted') continue;
      if (!s.post.text().includes(symbol)) continue;
      const uses = imageUses(s.post, ctx.syntax.kconfig(s.post));
      for (let i = 0; i < uses.length; i++) {
        const u = s.post.addedHere(i) ? uses[i]!.find((x) => x.symbol === symbol) : undefined;
        if (!u || definedInSeries(view, symbol, k)) continue;
        ctx.report({
          patch: s.patch,
          file: s.post.path,
          line: s.post.lineNumber(i),
          severity: 'warning',
          messageId: 'symbolUsedBeforeAdded',
          data: { use: showUse(u, s.post.lines[i]!), added: stepLabel(a.step.patch), effect: effectOf(u.kind) },
          detail: `patch ${stepLabel(a.step.patch)} adds config ${symbol} (${a.step.post.path}:${a.step.post.lineNumber(a.i)}); after patch ${stepLabel(s.patch)} no Kconfig file defines it, and Kconfig says nothing of a select or dependency on an undefined symbol: the steps between build with ${symbol} off. Add the entry first, or the use with it.`,
        });
      }
    }
  }
}
