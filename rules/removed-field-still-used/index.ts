import { defineRule, type MessageData, type SeriesContext } from '../../src/engine/rule.js';
import type { FileStep } from '../../src/source/types.js';
import { declaredVariables, fieldUses, structFiles, ZONE_DEVICE_STRUCTS } from '../lib/fields.js';
import { imageCode, nameEvents, touchedPaths, type NameEvent } from '../lib/steps.js';

const MAX_LISTED = 2;

interface Gone {
  struct: string;
  field: string;
  /** The new name, when the same patch adds exactly one member to the struct for the one it removes. */
  to: string | null;
  event: NameEvent;
}

interface Use {
  file: string;
  line: number;
  /** On a line the series adds: reported there. */
  added: FileStep | null;
}

export default defineRule({
  meta: {
    id: 'removed-field-still-used',
    severity: 'error',
    description:
      'The series removes or renames a member of struct dev_pagemap, dev_pagemap_ops, vmem_altmap or mhp_params that code still uses',
    scope: 'series',
    runsOn: 'zone-device',
    // {{member}}: `dev_pagemap.res`; {{to}}: the new member's name; {{uses}}: the first places, then how many more.
    messages: {
      usedAfterRemoval: '{{member}} is used here, but this series removes that member',
      usedAfterRename: '{{member}} is used here, but this series renames that member to {{to}}',
      removedStillUsed: '{{member}} is removed by this series but still used at {{uses}}',
      renamedStillUsed: '{{member}} is renamed to {{to}} by this series but still used at {{uses}}',
      usesNotChecked:
        "uses of {{members}} outside the series' hunks could not be checked (no base tree; give --tree or check a git range)",
    },
  },
  check(ctx) {
    const gone = removedMembers(ctx);
    if (!gone.length) return;
    const src = ctx.source();
    const fields = new Map<string, Set<string>>();
    for (const g of gone) fields.set(g.struct, (fields.get(g.struct) ?? new Set()).add(g.field));

    const uses = new Map<string, Use[]>();
    const add = (struct: string, field: string, u: Use) => {
      const key = `${struct}.${field}`;
      const list = uses.get(key) ?? [];
      if (!list.some((x) => x.file === u.file && x.line === u.line)) list.push(u);
      uses.set(key, list);
    };
    // The series' files as it leaves them: the last whole image, or every fragment line no later patch removes.
    for (const f of src.files) {
      const last = f.steps[f.steps.length - 1]!;
      if (last.diff.status === 'deleted' || !/\.(c|h)$/.test(last.post.path)) continue;
      const images = last.post.mode === 'whole' ? [last] : f.steps;
      const vars = declaredVariables(
        images.flatMap((s) => s.post.lines),
        ZONE_DEVICE_STRUCTS,
      );
      for (const s of images) {
        const image = s.post;
        const code = imageCode(image);
        for (const u of fieldUses(code, fields, vars)) {
          if (
            s !== last &&
            f.steps
              .slice(f.steps.indexOf(s) + 1)
              .some((t) => t.removed.some((r) => t.pre.lines[r] === image.lines[u.i]))
          )
            continue;
          add(u.struct, u.field, {
            file: image.path,
            line: image.lineNumber(u.i),
            added: image.addedHere(u.i) ? s : null,
          });
        }
      }
    }
    const tree = src.tree ? ctx.baseTree : null;
    if (tree) {
      const touched = touchedPaths(ctx);
      for (const [path, file] of structFiles(tree)) {
        if (touched.has(path)) continue;
        for (const u of fieldUses(file.code, fields, file.vars))
          add(u.struct, u.field, { file: path, line: u.i + 1, added: null });
      }
    }

    for (const g of gone) {
      const member = `${g.struct}.${g.field}`;
      const all = uses.get(member) ?? [];
      for (const u of all) {
        if (!u.added) continue;
        ctx.report({
          patch: u.added.patch,
          file: u.file,
          line: u.line,
          ...(g.to
            ? { messageId: 'usedAfterRename', data: { member, to: g.to } }
            : { messageId: 'usedAfterRemoval', data: { member } }),
        });
      }
      const rest = all.filter((u) => !u.added).map((u) => `${u.file}:${u.line}`);
      if (!rest.length) continue;
      const shown =
        rest.length > MAX_LISTED
          ? `${rest.slice(0, MAX_LISTED).join(', ')} and ${rest.length - MAX_LISTED} more`
          : rest.join(', ');
      const site = removalLine(g.event);
      ctx.report({
        patch: g.event.step.patch,
        file: g.event.step.post.path,
        line: site,
        ...(g.to
          ? { messageId: 'renamedStillUsed', data: { member, to: g.to, uses: shown } }
          : { messageId: 'removedStillUsed', data: { member, uses: shown } }),
        detail: `still used at ${rest.slice(0, 20).join(', ')}${rest.length > 20 ? ` and ${rest.length - 20} more` : ''}; ${g.to ? 'rename' : 'convert'} those uses in the patch that ${g.to ? 'renames' : 'removes'} the member (or an earlier one)`,
      });
    }
    if (!tree) {
      ctx.gather({
        key: 'no-tree',
        items: gone.map((g) => `${g.struct}.${g.field}`),
        patch: gone[0]!.event.step.patch,
        render: (names) => {
          const data: MessageData = {
            members: `${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}`,
          };
          return { severity: 'info', notChecked: true, messageId: 'usesNotChecked', data };
        },
      });
    }
  },
});

/** Members of the ZONE_DEVICE structs a patch removes and neither it nor a later one (nor the tree after the series) declares again. */
function removedMembers(ctx: SeriesContext): Gone[] {
  const steps = ctx.source().steps();
  const removed: NameEvent[] = [];
  const added: NameEvent[] = [];
  for (const s of steps) {
    if (!/\.h$/.test(s.pre.path) && !/\.h$/.test(s.post.path)) continue;
    if (!s.diff.hunks.some((h) => h.lines.some((l) => l.kind === 'del'))) continue;
    const e = nameEvents(ctx, s);
    removed.push(
      ...e.removed.filter(
        (r) => r.kind === 'field' && r.aggregate !== null && ZONE_DEVICE_STRUCTS.includes(r.aggregate),
      ),
    );
    added.push(
      ...e.added.filter((a) => a.kind === 'field' && a.aggregate !== null && ZONE_DEVICE_STRUCTS.includes(a.aggregate)),
    );
  }
  if (!removed.length) return [];
  const order = new Map(ctx.series.patches.map((p, k) => [p.key, k]));
  const at = (e: NameEvent) => order.get(e.step.patch.key) ?? 0;
  const out: Gone[] = [];
  const seen = new Set<string>();
  for (const r of removed) {
    const key = `${r.aggregate}.${r.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (added.some((a) => a.aggregate === r.aggregate && a.name === r.name && at(a) >= at(r))) continue;
    // Moved within its struct (into an #ifdef, to another place): the same line comes back. The
    // declarations query does not see members inside #if arms, so `added` misses it there.
    if (readded(r)) continue;
    // The tree after the series still declares it (another #ifdef branch, a hunk that moved it).
    if (ctx.kbuild?.declarations(r.name).some((d) => d.kind === 'field' && d.aggregate === r.aggregate)) continue;
    const gonePeers = removed.filter(
      (x) =>
        x.aggregate === r.aggregate &&
        x.step.patch === r.step.patch &&
        !added.some((a) => a.aggregate === x.aggregate && a.name === x.name),
    );
    const newPeers = added.filter(
      (a) =>
        a.aggregate === r.aggregate &&
        a.step.patch === r.step.patch &&
        !removed.some((x) => x.aggregate === a.aggregate && x.name === a.name),
    );
    // A rename puts the new member where the old one was: one -/+ run of the same hunk.
    const to =
      gonePeers.length === 1 && newPeers.length === 1 && sameChange(r, newPeers[0]!) ? newPeers[0]!.name : null;
    if (r.aggregate) out.push({ struct: r.aggregate, field: r.name, to, event: r });
  }
  return out;
}

/** Whether the patch that removes the member adds its very line back inside the same struct. */
function readded(r: NameEvent): boolean {
  const text = r.step.pre.lines[r.i]?.trim();
  if (!text || r.aggregate === null) return false;
  const post = r.step.post;
  const head = new RegExp(`^(?:typedef\\s+)?struct\\s+${r.aggregate}\\s*\\{`);
  return post.lines.some((l, i) => post.addedHere(i) && l.trim() === text && insideStruct(post.lines, i, head));
}

/** Whether line `i` lies in the body of the struct `head` opens: no line between them starts with `}`. */
function insideStruct(lines: readonly string[], i: number, head: RegExp): boolean {
  for (let k = i - 1; k >= 0 && k >= i - 500; k--) {
    const l = lines[k]!;
    if (head.test(l)) return true;
    if (/^}/.test(l)) return false;
  }
  return false;
}

/** Whether the removed member's line and the added one's sit in one run of changed lines of one hunk. */
function sameChange(removed: NameEvent, added: NameEvent): boolean {
  if (removed.step !== added.step) return false;
  const oldText = removed.step.pre.lines[removed.i];
  const newText = added.step.post.lines[added.i];
  for (const h of removed.step.diff.hunks) {
    let run: { del: boolean; add: boolean } = { del: false, add: false };
    for (const l of h.lines) {
      if (l.kind === 'context') {
        run = { del: false, add: false };
        continue;
      }
      if (l.kind === 'del' && l.text === oldText) run.del = true;
      if (l.kind === 'add' && l.text === newText) run.add = true;
      if (run.del && run.add) return true;
    }
  }
  return false;
}

/** The post-image line where the removed member was. */
function removalLine(e: NameEvent): number {
  const text = e.step.pre.lines[e.i];
  for (const h of e.step.diff.hunks) {
    let next = h.newStart;
    for (const l of h.lines) {
      if (l.newLine !== null) next = l.newLine + 1;
      if (l.kind === 'del' && l.text === text) return Math.max(1, next);
    }
  }
  return e.step.post.lineNumber(0);
}
