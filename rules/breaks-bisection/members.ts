// Members of the ZONE_DEVICE structs (lib/fields.ts) at every step: a member a patch removes or
// renames while the step still reads it, or one a patch reads before the patch that adds it.
// Where the whole series leaves a member in use is removed-field-still-used's: here only the uses
// a later patch drops, or that a later patch's re-adding the member mends.
import type { KernelTree, SeriesContext } from '../../src/engine/rule.js';
import { declarations } from '../../src/syntax/index.js';
import type { FileImage, FileStep } from '../../src/source/types.js';
import { declaredVariables, fieldUses, structFiles, ZONE_DEVICE_STRUCTS } from '../lib/fields.js';
import { imageCode, stepLabel, type LineAt, type NameEvent, type SeriesSteps } from '../lib/steps.js';
import type { StateView } from './state.js';

/** A member of one of the ZONE_DEVICE structs a patch removes or adds. */
export type MemberEvent = NameEvent & { aggregate: string };

/** Member events of the ZONE_DEVICE structs, from the name events of the series' C files. */
export function isMemberEvent(e: NameEvent): e is MemberEvent {
  return e.kind === 'field' && e.aggregate !== null && ZONE_DEVICE_STRUCTS.includes(e.aggregate);
}

const keyOf = (e: MemberEvent) => `${e.aggregate}.${e.name}`;

/** Whether `image` declares the member at a line `step` does not remove (another #ifdef branch, a second copy). */
function declaresMember(ctx: SeriesContext, image: FileImage, step: FileStep, e: MemberEvent): boolean {
  const c = ctx.syntax.c(image);
  if (!c) return false;
  const gone = image.side === 'pre' ? new Set(step.removed) : new Set<number>();
  return declarations(c, (n) => n === e.name).some((d) => {
    if (d.kind !== 'field' || d.aggregate !== e.aggregate) return false;
    const i = c.line(d.unit, d.node);
    return i !== null && !gone.has(i);
  });
}

/** The uses of one member in lines of a file as it stands after some step. */
function usesIn(lines: readonly LineAt[], struct: string, field: string): LineAt[] {
  const vars = declaredVariables(
    lines.map((l) => l.raw),
    ZONE_DEVICE_STRUCTS,
  );
  const code = lines.map((l) => l.code);
  return fieldUses(code, new Map([[struct, new Set([field])]]), vars).map((u) => lines[u.i]!);
}

export function judgeMemberRemovals(
  ctx: SeriesContext,
  st: SeriesSteps,
  view: StateView,
  removals: readonly MemberEvent[],
  additions: readonly MemberEvent[],
  tree: KernelTree | null,
  touched: ReadonlySet<string>,
): void {
  const done = new Set<string>();
  for (const r of removals) {
    const k = st.step(r.step.patch);
    const member = keyOf(r);
    if (done.has(`${member}\0${k}`)) continue;
    done.add(`${member}\0${k}`);
    // Declared again by the same patch (moved, its type changed), or still declared beside: no removal.
    if (additions.some((a) => keyOf(a) === member && st.step(a.step.patch) === k)) continue;
    if (declaresMember(ctx, r.step.pre, r.step, r)) continue;
    const readd =
      additions
        .filter((a) => keyOf(a) === member)
        .map((a) => st.step(a.step.patch))
        .filter((j) => j > k)
        .sort((a, b) => a - b)[0] ?? null;
    const change = renamedTo(r, removals, additions);
    const what = change === null ? 'removes it' : `renames it to ${change}`;
    const remover = r.step.patch;
    for (const { f, lines } of view.naming(r.name, k)) {
      for (const at of usesIn(lines, r.aggregate, r.name)) {
        const drop = st.droppedBy(f, k, at);
        const j = drop ? st.step(drop.patch) : null;
        const detail = `patch ${stepLabel(remover)} ${change === null ? 'removes' : 'renames'} the member ${r.name} of struct ${r.aggregate}${change === null ? '' : ` to ${change}`} (${r.step.pre.path}:${r.step.pre.lineNumber(r.i)}); ${at.file}:${at.line} still reads "${at.raw.trim().slice(0, 100)}". Every patch must build on its own (git bisect): convert the use in patch ${stepLabel(remover)} or before it.`;
        if (drop && j !== null && (readd === null || j <= readd)) {
          ctx.report({
            patch: remover,
            file: at.file,
            line: at.line,
            messageId: 'memberUsedAfterRemoval',
            data: { member, change: what, removed: stepLabel(remover), dropped: stepLabel(drop.patch) },
            detail,
          });
        } else if (readd !== null) {
          ctx.report({
            patch: remover,
            file: at.file,
            line: at.line,
            messageId: 'memberUsedUntilReadded',
            data: { member, change: what, removed: stepLabel(remover), added: stepLabel(st.patches[readd]!) },
            detail,
          });
        }
        // A use that lasts to the end of the series is removed-field-still-used's.
      }
    }
    // The tree's users: untouched, so they last until the member comes back.
    if (readd === null || !tree) continue;
    const fields = new Map([[r.aggregate, new Set([r.name])]]);
    for (const [path, file] of structFiles(tree)) {
      if (touched.has(path)) continue;
      for (const u of fieldUses(file.code, fields, file.vars)) {
        ctx.report({
          patch: remover,
          file: path,
          line: u.i + 1,
          messageId: 'memberUsedUntilReadded',
          data: { member, change: what, removed: stepLabel(remover), added: stepLabel(st.patches[readd]!) },
        });
      }
    }
  }
}

/** The new name when the patch removes exactly this member of the struct and adds exactly one other. */
function renamedTo(r: MemberEvent, removals: readonly MemberEvent[], additions: readonly MemberEvent[]): string | null {
  const same = (e: MemberEvent) => e.aggregate === r.aggregate && e.step.patch === r.step.patch;
  const gone = removals.filter((x) => same(x) && !additions.some((a) => same(a) && a.name === x.name));
  const added = additions.filter((a) => same(a) && !removals.some((x) => same(x) && x.name === a.name));
  return gone.length === 1 && added.length === 1 ? added[0]!.name : null;
}

/** Lines a patch adds that read a member only a later patch adds to its struct. */
export function judgeMemberEarlyUses(
  ctx: SeriesContext,
  st: SeriesSteps,
  removals: readonly MemberEvent[],
  additions: readonly MemberEvent[],
  withTree: boolean,
): void {
  const first = new Map<string, MemberEvent>();
  for (const a of additions) {
    const was = first.get(keyOf(a));
    if (!was || st.step(a.step.patch) < st.step(was.step.patch)) first.set(keyOf(a), a);
  }
  const removed = new Set(removals.map(keyOf));
  for (const [member, a] of first) {
    const j = st.step(a.step.patch);
    if (j <= 0 || removed.has(member)) continue;
    // A member the struct had before (the patch moves it, or the hunks show it) is no new one; from
    // hunks alone, one added under #if may be a second copy.
    if (a.step.diff.status !== 'added' && declaresMember(ctx, a.step.pre, a.step, a)) continue;
    if (!withTree && ctx.syntax.c(a.step.post)?.branches.at(a.i).length !== 0) continue;
    const fields = new Map([[a.aggregate, new Set([a.name])]]);
    for (const s of ctx.source().steps()) {
      const k = st.step(s.patch);
      if (k < 0 || k >= j || !/\.(c|h)$/.test(s.post.path) || s.diff.status === 'deleted') continue;
      if (!s.post.text().includes(a.name)) continue;
      const vars = declaredVariables(s.post.lines, ZONE_DEVICE_STRUCTS);
      for (const u of fieldUses(imageCode(s.post), fields, vars)) {
        if (!s.post.addedHere(u.i)) continue;
        ctx.report({
          patch: s.patch,
          file: s.post.path,
          line: s.post.lineNumber(u.i),
          messageId: 'memberUsedBeforeAdded',
          data: { member, added: stepLabel(a.step.patch) },
          detail: `patch ${stepLabel(a.step.patch)} adds the member ${a.name} to struct ${a.aggregate} (${a.step.post.path}:${a.step.post.lineNumber(a.i)}); the struct has no such member after patch ${stepLabel(s.patch)}. Every patch must build on its own (git bisect): reorder the patches or add the member earlier.`,
        });
      }
    }
  }
}
