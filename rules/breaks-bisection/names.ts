// Functions, prototypes, macros, enumerators, typedefs and globals: removed while a step still
// uses them, or used by a step before the patch that adds them.
import type { SeriesContext } from '../../src/engine/rule.js';
import type { FileHistory } from '../../src/source/types.js';
import {
  archOf,
  codeOf,
  definesName,
  imageCode,
  stepLabel,
  usesName,
  type LineAt,
  type Mentions,
  type NameEvent,
  type SeriesSteps,
} from '../lib/steps.js';
import { concerns, isHeader, serves, type StateView, type TreeText } from './state.js';

const MAX_LISTED = 2;

/** A removal as the series alone shows it at its step: what still defines it there, what still uses it. */
export interface RemovalPlan {
  r: NameEvent;
  /** Its step (0-based). */
  k: number;
  /** The first later step that defines the name again, or null. */
  readd: number | null;
  /** Touched files that still define the name after step k. */
  seriesDefs: Set<string>;
  /** The lines of touched files that use it after step k (and that the removal concerns). */
  uses: { f: FileHistory; at: LineAt }[];
  /** Whether the base tree can change the verdict: its files may use the name, or define it for these uses. */
  askTree: boolean;
}

/** Whether definitions in `defs` keep a name removed from `from` defined (another header, the file itself). */
function stillDefined(from: string, defs: readonly string[]): boolean {
  if (isHeader(from))
    return defs.some((p) => isHeader(p) && (archOf(from) === '' || archOf(p) === '' || archOf(p) === archOf(from)));
  return defs.includes(from);
}

/**
 * The removals worth judging, each with what the series shows of its step. `modelNames`: names
 * whose lasting uses removed-type-still-used reports (the tree is asked about them only when a
 * later patch defines them again, or a step of the series uses them).
 */
export function planRemovals(
  st: SeriesSteps,
  view: StateView,
  removals: readonly NameEvent[],
  additions: readonly NameEvent[],
  modelNames: ReadonlySet<string>,
): RemovalPlan[] {
  const out: RemovalPlan[] = [];
  const done = new Set<string>();
  for (const r of removals) {
    const k = st.step(r.step.patch);
    const from = r.step.pre.path;
    const key = `${r.name}\0${k}\0${isHeader(from) ? archOf(from) : from}`;
    if (done.has(key)) continue;
    done.add(key);
    // Defined again by the same patch (moved, or its signature changed): not a removal.
    const readds = additions.filter(
      (a) => a.name === r.name && (isHeader(from) || a.step.post.path === from || isHeader(a.step.post.path)),
    );
    if (readds.some((a) => st.step(a.step.patch) === k)) continue;
    const readd =
      readds
        .map((a) => st.step(a.step.patch))
        .filter((j) => j > k)
        .sort((a, b) => a - b)[0] ?? null;
    const seriesDefs = view.definers(r.name, k);
    if (stillDefined(from, [...seriesDefs])) continue;
    const uses: { f: FileHistory; at: LineAt }[] = [];
    for (const { f, lines } of view.naming(r.name, k)) {
      for (const at of lines) if (concerns(from, at.file) && usesName(at.code, r.name)) uses.push({ f, at });
    }
    // The tree's own uses concern a header's removal (a .c file's names stay in it); its definitions
    // matter only to the uses found. A memory-type name's lasting uses are removed-type-still-used's.
    const askTree = (isHeader(from) && (!modelNames.has(r.name) || readd !== null)) || uses.length > 0;
    out.push({ r, k, readd, seriesDefs, uses, askTree });
  }
  return out;
}

function shown(e: NameEvent): string {
  return e.kind === 'function' ||
    e.kind === 'prototype' ||
    (e.kind === 'macro' && /\(/.test(e.step.pre.lines[e.i] ?? ''))
    ? `${e.name}()`
    : e.name;
}

/** A tree line read alone, as code (a first line reading ` * text` taken as inside a comment). */
const lineCode = (text: string) => codeOf([text])[0] ?? '';

export function judgeRemovals(
  ctx: SeriesContext,
  st: SeriesSteps,
  plans: readonly RemovalPlan[],
  mentions: Mentions,
  treeText: TreeText,
  touched: ReadonlySet<string>,
  modelNames: ReadonlySet<string>,
): void {
  for (const { r, k, readd, seriesDefs, uses, askTree } of plans) {
    const from = r.step.pre.path;
    const m = askTree ? mentions.get(r.name) : undefined;
    if (m === 'too-many') continue;
    const hits = (m ?? []).filter((h) => !touched.has(h.path));
    // Definitions first (a definition's line is a definition read alone too): the files are read
    // only for the lines that may be one, and for the uses of a name nothing defines.
    const defHits = hits.filter((h) => definesName(lineCode(h.text), r.name));
    const defCode = treeText.lines([...new Set(defHits.map((h) => h.path))]);
    const treeDefs = new Set(
      defHits.filter((h) => definesName(defCode.get(h.path)?.[h.line - 1] ?? '', r.name)).map((h) => h.path),
    );
    const defs = [...seriesDefs, ...treeDefs];
    if (stillDefined(from, defs)) continue;
    const alive = (use: string) => defs.some((p) => serves(p, use));
    const useHits = hits.filter((h) => !treeDefs.has(h.path) && concerns(from, h.path) && !alive(h.path));
    const code = treeText.lines([...new Set(useHits.map((h) => h.path))]);
    const treeUses = useHits
      .filter((h) => usesName(code.get(h.path)?.[h.line - 1] ?? '', r.name))
      .map((h) => ({ file: h.path, line: h.line }));

    const remover = r.step.patch;
    const persistent: string[] = [];
    for (const { f, at } of uses) {
      if (alive(at.file)) continue;
      const drop = st.droppedBy(f, k, at);
      const j = drop ? st.step(drop.patch) : null;
      if (drop && j !== null && (readd === null || j <= readd)) {
        ctx.report({
          patch: remover,
          file: at.file,
          line: at.line,
          messageId: 'usedAfterRemoval',
          data: { name: shown(r), removed: stepLabel(remover), dropped: stepLabel(drop.patch) },
          detail: detailOf(r, at),
        });
      } else if (readd !== null) {
        ctx.report({
          patch: remover,
          file: at.file,
          line: at.line,
          messageId: 'usedUntilReadded',
          data: { name: shown(r), removed: stepLabel(remover), added: stepLabel(st.patches[readd]!) },
          detail: detailOf(r, at),
        });
      } else persistent.push(`${at.file}:${at.line}`);
    }
    for (const u of treeUses) {
      if (readd !== null) {
        ctx.report({
          patch: remover,
          file: u.file,
          line: u.line,
          messageId: 'usedUntilReadded',
          data: { name: shown(r), removed: stepLabel(remover), added: stepLabel(st.patches[readd]!) },
        });
      } else persistent.push(`${u.file}:${u.line}`);
    }
    // What stays used to the end is removed-type-still-used's for the memory-type world's names.
    if (persistent.length && !modelNames.has(r.name)) {
      const all = [...new Set(persistent)];
      ctx.report({
        patch: remover,
        file: from,
        line: r.step.pre.lineNumber(r.i),
        messageId: 'removedStillUsed',
        data: { name: shown(r), removed: stepLabel(remover), uses: listed(all) },
        ...(all.length > MAX_LISTED ? { detail: `still used at ${detailList(all)}` } : {}),
      });
    }
  }
}

/** The first places, then how many more: what a message line has room for. */
export function listed(uses: readonly string[]): string {
  return uses.length > MAX_LISTED
    ? `${uses.slice(0, MAX_LISTED).join(', ')} and ${uses.length - MAX_LISTED} more`
    : uses.join(', ');
}

/** Up to twenty places, then how many more: what a detail has room for. */
export function detailList(uses: readonly string[]): string {
  return `${uses.slice(0, 20).join(', ')}${uses.length > 20 ? ` and ${uses.length - 20} more` : ''}`;
}

function detailOf(r: NameEvent, at: LineAt): string {
  return `patch ${stepLabel(r.step.patch)} removes the ${r.kind} ${r.name} from ${r.step.pre.path}:${r.step.pre.lineNumber(r.i)}; ${at.file}:${at.line} still reads "${at.raw.trim().slice(0, 100)}". Every patch must build on its own (git bisect): convert the use in patch ${stepLabel(r.step.patch)} or before it, or remove the name after its last use.`;
}

/** The identifiers on the lines each patch adds to C files, by step. */
export function namesAddedLines(ctx: SeriesContext, st: SeriesSteps): Set<string>[] {
  const out = st.patches.map(() => new Set<string>());
  for (const s of ctx.source().steps()) {
    const k = st.step(s.patch);
    if (k < 0 || !/\.(c|h)$/.test(s.post.path) || s.diff.status === 'deleted') continue;
    const code = imageCode(s.post);
    for (let i = 0; i < code.length; i++) {
      if (!s.post.addedHere(i)) continue;
      for (const w of code[i]!.match(/[A-Za-z_]\w*/g) ?? []) out[k]!.add(w);
    }
  }
  return out;
}

/** Lines a patch adds that use a name only a later patch defines. */
export function judgeEarlyUses(
  ctx: SeriesContext,
  st: SeriesSteps,
  view: StateView,
  earlyAdds: readonly NameEvent[],
  additions: readonly NameEvent[],
  removals: readonly NameEvent[],
  mentions: Mentions,
  treeText: TreeText,
  touched: ReadonlySet<string>,
  withTree: boolean,
): void {
  const firstAdd = new Map<string, NameEvent>();
  for (const a of earlyAdds) {
    const was = firstAdd.get(a.name);
    if (!was || st.step(a.step.patch) < st.step(was.step.patch)) firstAdd.set(a.name, a);
  }
  const removedNames = new Set(removals.map((r) => r.name));
  const reported = new Set<string>();
  for (const [name, a] of firstAdd) {
    const j = st.step(a.step.patch);
    if (j === 0 || removedNames.has(name)) continue;
    const into = a.step.post.path;
    // Hunks alone do not show what the base defines: a definition added under #if may be a second one.
    // One of the patch's definitions must stand outside every #if (a stub in an #else is a second one).
    if (
      !withTree &&
      !additions.some(
        (b) =>
          b.name === name && b.step.patch === a.step.patch && ctx.syntax.c(b.step.post)?.branches.at(b.i).length === 0,
      )
    )
      continue;
    const m = mentions.get(name);
    if (m === 'too-many') continue;
    if (withTree) {
      const hits = (m ?? []).filter((h) => !touched.has(h.path) && definesName(lineCode(h.text), name));
      const code = treeText.lines([...new Set(hits.map((h) => h.path))]);
      if (hits.some((h) => definesName(code.get(h.path)?.[h.line - 1] ?? '', name))) continue;
    }
    for (const s of ctx.source().steps()) {
      const k = st.step(s.patch);
      if (k < 0 || k >= j || !/\.(c|h)$/.test(s.post.path) || s.diff.status === 'deleted') continue;
      if (!concerns(into, s.post.path) || !s.post.text().includes(name)) continue;
      const code = imageCode(s.post);
      let defs: Set<string> | null = null;
      for (let i = 0; i < code.length; i++) {
        if (!s.post.addedHere(i) || !usesName(code[i]!, name)) continue;
        defs ??= view.definers(name, k);
        if ([...defs].some((p) => serves(p, s.post.path))) break;
        const key = `${name}\0${s.post.path}\0${i}\0${k}`;
        if (reported.has(key)) continue;
        reported.add(key);
        ctx.report({
          patch: s.patch,
          file: s.post.path,
          line: s.post.lineNumber(i),
          messageId: 'usedBeforeAdded',
          data: {
            name: a.kind === 'function' || a.kind === 'prototype' ? `${name}()` : name,
            added: stepLabel(a.step.patch),
          },
          detail: `patch ${stepLabel(a.step.patch)} adds the ${a.kind} ${name} at ${into}:${a.step.post.lineNumber(a.i)}; nothing defines it after patch ${stepLabel(s.patch)}. Every patch must build on its own (git bisect): reorder the patches or move the definition earlier.`,
        });
      }
    }
  }
}
