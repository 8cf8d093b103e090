import { defineRule, type SeriesContext } from '../../src/engine/rule.js';
import { archDefinitions } from '../lib/arch.js';
import { prototypeChanges, type PrototypeChange } from '../lib/hooks.js';
import { findHeads, sameSignature, signatureKey, type FunctionHead } from '../lib/proto.js';
import type { Patch } from '../../src/types.js';
import type { Fact, Release } from '../../src/model/types.js';
import { compareReleases, inRange } from '../../src/model/version.js';

const prefetched = new WeakSet<object>();

interface LeftBehind {
  where: string;
  /** The parameter list it still has, or null when only the model names the file. */
  has: string | null;
}

export default defineRule({
  meta: {
    id: 'arch-hook-signature-drift',
    severity: 'error',
    description: "A prototype in include/ changes but some architecture's definition keeps the old parameter list",
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      // `arches`: the architectures of the definitions, the first four and `...` after them.
      definitionLeftBehind:
        '{{name}}() changes its parameter list, but 1 definition under arch/ ({{arches}}) keeps the old one',
      definitionsLeftBehind:
        '{{name}}() changes its parameter list, but {{count}} definitions under arch/ ({{arches}}) keep the old one',
      // Without a tree, for a kernel between (or before) the releases whose definitions zdcheck read.
      definitionsNotChecked:
        "{{name}}() changes its parameter list; definitions in {{arches}} not checked: zdcheck has not read kernel {{kernel}}'s list; give --tree",
    },
    // A declaration changed in a header under include/ (prototypeChanges).
    interest: { paths: [/^include\/.*\.h$/] },
  },
  check(ctx) {
    const series = ctx.series;
    const changes = prototypeChanges(series);
    if (!changes.length) return;
    const tree = ctx.baseTree;
    const names = [...new Set(changes.map((c) => c.name))];
    // Files the series touches under arch/: their post-images are judged, not the base. A file it
    // deletes is among them (its last image is empty: the old definition goes with it).
    const touched = [
      ...new Set(series.patches.flatMap((p) => p.files.map((f) => f.newPath ?? f.oldPath ?? ''))),
    ].filter((p) => p.startsWith('arch/') && /\.[ch]$/.test(p));

    let defs: Map<string, { path: string; line: number; head: FunctionHead | null }[]>;
    let basis: string;
    // Without a tree: definitions the model cannot place in this kernel (lists read in other eras disagree).
    const unknown = new Map<string, string[]>();
    if (tree) {
      // Every name the run's series change, looked up at once (a stable-sized mbox has hundreds).
      if (!prefetched.has(ctx.collection)) {
        prefetched.add(ctx.collection);
        archDefinitions(tree, [
          ...new Set(ctx.collection.series.flatMap((x) => prototypeChanges(x).map((c) => c.name))),
        ]);
      }
      defs = new Map(
        [...archDefinitions(tree, names)].map(([n, ds]) => [
          n,
          ds.map((d) => ({ path: d.path, line: d.line + 1, head: d })),
        ]),
      );
      basis = `definitions found in the base tree ${tree.label}`;
    } else {
      const view = ctx.kernel.view;
      const notes: string[] = [];
      defs = new Map(
        names.map((n) => {
          const {
            files,
            unknown: notRead,
            note,
          } = definitionsAt(ctx.data.hooks.find((h) => h.name === n)?.definedIn ?? [], view.release);
          if (note) notes.push(`${n}: ${note}`);
          if (notRead.length) unknown.set(n, notRead);
          return [n, files.map((path) => ({ path, line: 0, head: null }))];
        }),
      );
      basis =
        `no base tree: the definitions are those zdcheck's model lists (kernel ${view.release})` +
        `${notes.length ? `, ${notes.join('; ')}` : ''}; give --tree to find every one`;
    }

    // The source view (whole files applied patch by patch) only for the arch files the series touches.
    const history = (path: string) =>
      touched.includes(path) ? (ctx.source().files.find((f) => f.path === path)?.steps ?? []) : [];
    const indexOf = (patch: Patch) => series.patches.indexOf(patch);

    for (const change of changes) {
      const at = indexOf(change.patch);
      // A definition whose types differ only by a typedef of the same type (`unsigned long` for
      // `vm_flags_t`, as 7.x did to vm_get_page_prot) builds: C compares the types, not their names.
      let typedefs: Map<string, string> | null = null;
      const same = (head: FunctionHead) => {
        if (sameSignature(head, change.after)) return true;
        typedefs ??= typedefsAround(ctx, change.header);
        return (
          typedefs.size > 0 && resolved(signatureKey(head), typedefs) === resolved(signatureKey(change.after), typedefs)
        );
      };
      // A change that only spells a type through its typedef leaves nothing behind.
      if (same(change.before)) continue;
      // A generic fallback under `#ifndef __HAVE_ARCH_X` (ptep_clear_flush_young in pgtable.h) binds
      // no architecture: one that overrides it defines X and declares its own version.
      if (overridable(ctx, change)) continue;
      const known = defs.get(change.name) ?? [];
      // Defined under arch/ at all (in the tree, the model, or the series itself)?
      const files = [...new Set([...known.map((d) => d.path), ...touched])];
      const behind: LeftBehind[] = [];
      let defined = known.length > 0;
      for (const path of files) {
        // Judged as the file stands right after the patch that changes the prototype: a
        // definition fixed only by a later patch leaves a bisection step that does not build.
        const steps = history(path);
        const now = steps.filter((st) => indexOf(st.patch) <= at).at(-1)?.post ?? null;
        const fixedLater = steps.find(
          (st) =>
            indexOf(st.patch) > at &&
            findHeads(st.post.lines, change.name).some(
              (h) => h.kind === 'definition' && sameSignature(h, change.after),
            ),
        );
        const later = fixedLater ? `updated only in ${label(fixedLater.patch)}` : '';
        const note = (sig: string | null) => [sig, later].filter(Boolean).join('; ') || null;
        if (now) {
          for (const head of findHeads(now.lines, change.name).filter((h) => h.kind === 'definition')) {
            defined = true;
            if (!same(head))
              behind.push({ where: `${path}:${now.lineNumber(head.line)}`, has: note(signatureKey(head)) });
          }
        } else {
          for (const d of known.filter((k) => k.path === path)) {
            if (d.head && same(d.head)) continue;
            behind.push({
              where: d.line ? `${path}:${d.line}` : path,
              has: note(d.head ? signatureKey(d.head) : null),
            });
          }
        }
      }
      const notRead = (unknown.get(change.name) ?? []).filter((p) => !touched.includes(p));
      if (notRead.length) reportNotChecked(ctx, change, notRead, ctx.kernel.view.release);
      if (!defined || !behind.length) continue;
      report(ctx, change, behind, basis);
    }
  },
});

/** The `__HAVE_ARCH_*` / `ARCH_HAS_*` guard of an `#ifndef` around the changed declaration, or null. */
function overridable(ctx: SeriesContext, change: PrototypeChange): string | null {
  const post = ctx
    .source()
    .files.find((f) => f.path === change.header)
    ?.steps.find((st) => st.patch === change.patch)?.post;
  if (!post) return null;
  let at = -1;
  for (let i = 0; i < post.lines.length; i++)
    if (post.lineNumber(i) === change.line) {
      at = i;
      break;
    }
  const open: (string | null)[] = [];
  for (let i = 0; i < at; i++) {
    const d = /^\s*#\s*(ifndef|ifdef|if|elif|else|endif)\b\s*(\w*)/.exec(post.lines[i]!);
    if (!d) continue;
    if (d[1] === 'endif') open.pop();
    else if (d[1] === 'else' || d[1] === 'elif') open[open.length - 1] = null;
    else
      open.push(
        d[1] === 'ifndef' && (/^(__HAVE_ARCH_|ARCH_HAS_)\w+$/.test(d[2]!) || d[2] === change.name) ? d[2]! : null,
      );
  }
  return open.find((g) => g !== null) ?? null;
}

/**
 * `typedef T name;` of the header the prototype is in and of the headers it includes, as the
 * series leaves them (a typedef the series adds counts; without a tree, the series' own files
 * are all there is): name -> T, spaces collapsed.
 */
function typedefsAround(ctx: SeriesContext, header: string): Map<string, string> {
  const after = ctx.tree;
  const read = (path: string): string | null => {
    if (after) return after.readSync(path);
    const last = ctx
      .source()
      .files.find((f) => f.path === path)
      ?.steps.at(-1);
    return last && last.diff.status !== 'deleted' ? last.post.text() : null;
  };
  const text = read(header) ?? '';
  const texts = [text];
  for (const m of text.matchAll(/^#\s*include\s+<((?:linux|asm-generic)\/[\w/.-]+\.h)>/gm)) {
    const t = read(`include/${m[1]}`);
    if (t) texts.push(t);
  }
  const out = new Map<string, string>();
  for (const t of texts)
    for (const m of t.matchAll(
      /^typedef\s+((?:(?:const|unsigned|signed|long|short|int|char|struct|union|enum)\s+)*[A-Za-z_]\w*(?:\s*\*)*)\s*\b([A-Za-z_]\w*)\s*;/gm,
    ))
      if (m[2] !== m[1]!.trim()) out.set(m[2]!, m[1]!.replace(/\s+/g, ' ').replace(/\s*\*/g, '*').trim());
  return out;
}

/** A signature key with every typedef name replaced by its type (twice, for a typedef of a typedef). */
function resolved(key: string, typedefs: Map<string, string>): string {
  let out = key;
  for (let i = 0; i < 2; i++) out = out.replace(/\b[A-Za-z_]\w*\b/g, (w) => typedefs.get(w) ?? w);
  return out.replace(/\s+/g, ' ');
}

/**
 * The files defining a hook at `release`, from the lists the model read at some releases: the list
 * in force there, or, between two lists, the files both have (an architecture in only one may or may
 * not have had the hook: unknown). Before the first list nothing is known.
 */
export function definitionsAt(
  facts: readonly Fact<string[]>[],
  release: Release,
): { files: string[]; unknown: string[]; note: string | null } {
  const at = facts.find((f) => inRange(release, f));
  if (at) return { files: at.value, unknown: [], note: null };
  const before = facts.filter((f) => f.until !== null && compareReleases(f.until, release) <= 0).at(-1) ?? null;
  const after = facts.find((f) => compareReleases(f.since, release) > 0) ?? null;
  if (before && after) {
    const files = before.value.filter((p) => after.value.includes(p));
    const unknown = [...new Set([...before.value, ...after.value])].filter((p) => !files.includes(p));
    return { files, unknown, note: `the files both the ${before.since} and the ${after.since} lists have` };
  }
  const nearest = after ?? before;
  return {
    files: [],
    unknown: nearest ? nearest.value : [],
    note: nearest ? `no list read for this kernel (the nearest is ${nearest.since}'s)` : null,
  };
}

function reportNotChecked(ctx: SeriesContext, c: PrototypeChange, files: string[], release: string) {
  const arches = [...new Set(files.map((p) => p.split('/')[1]))];
  ctx.report({
    patch: c.patch,
    file: c.header,
    line: c.line,
    severity: 'info',
    notChecked: true,
    messageId: 'definitionsNotChecked',
    data: {
      name: c.name,
      arches: arches.length > 4 ? `${arches.slice(0, 4).join(', ')}, ...` : arches.join(', '),
      kernel: release,
    },
    detail:
      `zdcheck's model lists ${c.name}()'s definitions only for the kernels whose trees it read; for ${release} it cannot tell whether ` +
      `${files.join(', ')} defined it then. Give --tree (or check a git range) to look them up.`,
  });
}

function label(p: Patch): string {
  return p.tags.index !== null && p.tags.total !== null ? `patch ${p.tags.index}/${p.tags.total}` : `"${p.tags.title}"`;
}

function report(ctx: SeriesContext, c: PrototypeChange, behind: LeftBehind[], basis: string) {
  const arches = [...new Set(behind.map((b) => b.where.split('/')[1]))];
  const list = behind.map((b) => (b.has ? `${b.where} (${b.has})` : b.where)).join(', ');
  const data = {
    name: c.name,
    arches: arches.length > 4 ? `${arches.slice(0, 4).join(', ')}, ...` : arches.join(', '),
  };
  ctx.report({
    patch: c.patch,
    file: c.header,
    line: c.line,
    ...(behind.length > 1
      ? { messageId: 'definitionsLeftBehind', data: { ...data, count: behind.length } }
      : { messageId: 'definitionLeftBehind', data }),
    detail:
      `${c.name}() changes from ${signatureKey(c.before)} to ${signatureKey(c.after)}; left behind: ${list}. ` +
      `Update every architecture in the same patch so each step of the series builds (${basis})`,
  });
}
