import { defineRule, type SeriesContext } from '../../src/engine/rule.js';
import type { FileHistory } from '../../src/source/types.js';
import type { GrepHit } from '../../src/tree/types.js';
import {
  archOf,
  codeOf,
  definesName,
  imageCode,
  nameEvents,
  orderedPatches,
  SeriesSteps,
  stepLabel,
  touchedPaths,
  treeMentions,
  usesName,
  type LineAt,
  type NameEvent,
} from '../lib/steps.js';

const MAX_LISTED = 2;

export default defineRule({
  meta: {
    id: 'breaks-bisection',
    severity: 'error',
    description:
      'A step of the series does not build: a name is used after the patch that removes it, or before the patch that adds it',
    scope: 'series',
    runsOn: 'zone-device',
    // {{name}}: `foo()` or `FOO`; {{removed}}, {{dropped}}, {{added}}: patch numbers (`3/7`).
    messages: {
      usedAfterRemoval:
        '{{name}} is still used here after patch {{removed}} removes it; patch {{dropped}} drops this use: the steps between do not build',
      usedUntilReadded:
        '{{name}} is still used here after patch {{removed}} removes it, and only patch {{added}} defines it again: the steps between do not build',
      removedStillUsed:
        '{{name}} is removed by patch {{removed}} but still used at {{uses}}, and no patch of the series drops that use',
      usedBeforeAdded: '{{name}} is used here, but only the later patch {{added}} defines it: this step does not build',
    },
  },
  check(ctx) {
    const patches = orderedPatches(ctx);
    if (!patches) return;
    const st = new SeriesSteps(ctx, patches);
    const src = ctx.source();
    const failed = new Set(src.failures.map((f) => f.path));
    const files = src.files.filter(
      (f) => /\.(c|h)$/.test(f.path) && !failed.has(f.path) && !f.steps.some((s) => failed.has(s.pre.path)),
    );
    if (!files.length) return;

    const removals: NameEvent[] = [];
    const additions: NameEvent[] = [];
    for (const f of files) {
      for (const s of f.steps) {
        const e = nameEvents(ctx, s);
        removals.push(...e.removed.filter((r) => r.kind !== 'field'));
        additions.push(...e.added.filter((a) => a.kind !== 'field'));
      }
    }
    if (!removals.length && !additions.length) return;

    const view = new StateView(st, files);
    const tree = src.tree ? ctx.baseTree : null;
    const touched = touchedPaths(ctx);
    // Names of the memory-type world: removed-type-still-used judges what the whole series leaves.
    const d = ctx.model().delta;
    const modelNames = new Set([
      ...d.typesRemoved.map((t) => t.name),
      ...d.typesRenamed.map((r) => r.from),
      ...d.helpersRemoved.map((h) => h.name),
    ]);

    // Only names that can matter go to the tree: removals no same-patch addition undoes, and
    // additions some earlier patch's added lines already name.
    const sameStep = new Set(additions.map((a) => `${a.name}\0${st.step(a.step.patch)}`));
    const netRemovals = removals.filter((r) => !sameStep.has(`${r.name}\0${st.step(r.step.patch)}`));
    const earlyNames = namesAddedLines(ctx, st);
    const earlyAdds = additions.filter((a) => {
      const j = st.step(a.step.patch);
      for (let k = 0; k < j; k++) if (earlyNames[k]!.has(a.name)) return true;
      return false;
    });
    if (!netRemovals.length && !earlyAdds.length) return;
    const candidates = new Set([...netRemovals.map((r) => r.name), ...earlyAdds.map((a) => a.name)]);
    const mentions = tree ? treeMentions(tree, candidates) : new Map<string, GrepHit[] | 'too-many'>();
    const treeText = new TreeText(tree);

    judgeRemovals(ctx, st, view, netRemovals, additions, mentions, treeText, touched, modelNames);
    judgeEarlyUses(ctx, st, view, earlyAdds, additions, removals, mentions, treeText, touched, tree !== null);
  },
});

type Mentions = Map<string, GrepHit[] | 'too-many'>;

/** The identifiers on the lines each patch adds to C files, by step. */
function namesAddedLines(ctx: SeriesContext, st: SeriesSteps): Set<string>[] {
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

/** A file of the base tree, read once, as code lines. */
class TreeText {
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
class StateView {
  private readonly cache = new Map<string, { lines: LineAt[]; text: string }>();
  private readonly mentionCache = new Map<FileHistory, string>();
  constructor(
    readonly st: SeriesSteps,
    readonly files: readonly FileHistory[],
  ) {}
  /** Whether any image of `f` (any step, either side) has `name` in it: the states worth building. */
  mentions(f: FileHistory, name: string): boolean {
    let t = this.mentionCache.get(f);
    if (t === undefined) {
      t = f.steps
        .flatMap((s) => [
          s.diff.status === 'added' ? '' : s.pre.text(),
          s.diff.status === 'deleted' ? '' : s.post.text(),
        ])
        .join('\n');
      this.mentionCache.set(f, t);
    }
    return t.includes(name);
  }
  at(f: FileHistory, k: number): { lines: LineAt[]; text: string } {
    const key = `${f.path}\0${k}`;
    let v = this.cache.get(key);
    if (!v) {
      const lines = this.st.linesAt(f, k);
      this.cache.set(key, (v = { lines, text: lines.map((l) => l.code).join('\n') }));
    }
    return v;
  }
  /** Paths (as they stand after patch k) of touched files that may define `name` then. */
  definers(name: string, k: number): Set<string> {
    const out = new Set<string>();
    for (const f of this.files) {
      if (!this.mentions(f, name)) continue;
      const s = this.at(f, k);
      if (!s.text.includes(name)) continue;
      const hit = s.lines.find((l) => definesName(l.code, name));
      if (hit) out.add(hit.file);
    }
    return out;
  }
}

const isHeader = (p: string) => p.endsWith('.h');
/** A definition in `def` serves a use in `use`: the same file, or a header of the same or no architecture. */
const serves = (def: string, use: string) =>
  def === use || (isHeader(def) && (archOf(def) === '' || archOf(def) === archOf(use)));
/** A removal from `from` concerns a use in `use`: a .c file's own names stay in it; an architecture's in it. */
const concerns = (from: string, use: string) =>
  isHeader(from) ? archOf(from) === '' || archOf(from) === archOf(use) : from === use;

function shown(e: NameEvent): string {
  return e.kind === 'function' ||
    e.kind === 'prototype' ||
    (e.kind === 'macro' && /\(/.test(e.step.pre.lines[e.i] ?? ''))
    ? `${e.name}()`
    : e.name;
}

function judgeRemovals(
  ctx: SeriesContext,
  st: SeriesSteps,
  view: StateView,
  removals: NameEvent[],
  additions: NameEvent[],
  mentions: Mentions,
  treeText: TreeText,
  touched: Set<string>,
  modelNames: Set<string>,
): void {
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
    const m = mentions.get(r.name);
    if (m === 'too-many') continue;
    // Still defined somewhere after patch k?
    const seriesDefs = view.definers(r.name, k);
    const hits = (m ?? []).filter((h) => !touched.has(h.path));
    const hitPaths = [...new Set(hits.map((h) => h.path))];
    const code = treeText.lines(hitPaths);
    const treeDefs = new Set<string>();
    const treeUses: { file: string; line: number }[] = [];
    for (const h of hits) {
      const c = code.get(h.path)?.[h.line - 1] ?? '';
      if (definesName(c, r.name)) treeDefs.add(h.path);
      else if (usesName(c, r.name) && concerns(from, h.path)) treeUses.push({ file: h.path, line: h.line });
    }
    const defs = [...seriesDefs, ...treeDefs];
    const alive = (use: string) => defs.some((p) => serves(p, use));
    if (
      isHeader(from) &&
      defs.some((p) => isHeader(p) && (archOf(from) === '' || archOf(p) === '' || archOf(p) === archOf(from)))
    )
      continue;
    if (!isHeader(from) && defs.includes(from)) continue;

    const remover = r.step.patch;
    const persistent: string[] = [];
    for (const f of view.files) {
      if (!view.mentions(f, r.name)) continue;
      const s = view.at(f, k);
      if (!s.text.includes(r.name)) continue;
      for (const at of s.lines) {
        if (!concerns(from, at.file) || !usesName(at.code, r.name) || alive(at.file)) continue;
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
    }
    for (const u of treeUses) {
      if (alive(u.file)) continue;
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
      const uses = [...new Set(persistent)];
      const listed =
        uses.length > MAX_LISTED
          ? `${uses.slice(0, MAX_LISTED).join(', ')} and ${uses.length - MAX_LISTED} more`
          : uses.join(', ');
      ctx.report({
        patch: remover,
        file: from,
        line: r.step.pre.lineNumber(r.i),
        messageId: 'removedStillUsed',
        data: { name: shown(r), removed: stepLabel(remover), uses: listed },
        ...(uses.length > MAX_LISTED
          ? {
              detail: `still used at ${uses.slice(0, 20).join(', ')}${uses.length > 20 ? ` and ${uses.length - 20} more` : ''}`,
            }
          : {}),
      });
    }
  }
}

function detailOf(r: NameEvent, at: LineAt): string {
  return `patch ${stepLabel(r.step.patch)} removes the ${r.kind} ${r.name} from ${r.step.pre.path}:${r.step.pre.lineNumber(r.i)}; ${at.file}:${at.line} still reads "${at.raw.trim().slice(0, 100)}". Every patch must build on its own (git bisect): convert the use in patch ${stepLabel(r.step.patch)} or before it, or remove the name after its last use.`;
}

/** Lines a patch adds that use a name only a later patch defines. */
function judgeEarlyUses(
  ctx: SeriesContext,
  st: SeriesSteps,
  view: StateView,
  earlyAdds: NameEvent[],
  additions: NameEvent[],
  removals: NameEvent[],
  mentions: Mentions,
  treeText: TreeText,
  touched: Set<string>,
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
      const hits = (m ?? []).filter((h) => !touched.has(h.path));
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
