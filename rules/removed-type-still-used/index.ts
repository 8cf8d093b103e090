import { defineRule, type KernelTree, type MessageData, type SeriesContext } from '../../src/engine/rule.js';
import type { PatchRef } from '../../src/model/delta.js';
import type { FileImage, FileStep } from '../../src/source/types.js';
import type { Patch } from '../../src/types.js';
import { removalSite } from '../lib/series-model.js';
import { codeLines } from '../lib/code-lines.js';

type Kind = 'type' | 'helper' | 'kconfig';

interface Gone {
  name: string;
  kind: Kind;
  patch: PatchRef;
  /** For a rename, the new name. */
  to: string | null;
}

interface Use {
  file: string;
  line: number;
  /** The use sits on a line a patch of the series added: reported there. */
  added: { patch: Patch; line: number } | null;
}

const MAX_LISTED = 10;

export default defineRule({
  meta: {
    id: 'removed-type-still-used',
    severity: 'error',
    description:
      'The series removes or renames a memory type, helper or Kconfig symbol that the tree or the series still uses',
    scope: 'series',
    runsOn: 'zone-device',
    // {{name}}: `X`, `helper()` or `CONFIG_X`; {{uses}}: the first places, then how many more.
    messages: {
      usedAfterRemoval: '{{name}} is used here, but this series removes it; use what replaces it',
      usedAfterRename: '{{name}} is used here, but this series renames it to {{to}}; use {{to}}',
      removedStillUsed:
        '{{name}} is removed by this series but still used at {{uses}}; remove or convert those uses in the same series',
      renamedStillUsed:
        '{{name}} is renamed to {{to}} by this series but still used at {{uses}}; rename those uses too',
      usesNotChecked:
        "uses of {{names}} outside the series' hunks could not be checked (no base tree; give --tree or check a git range)",
      usesNotCheckedAcross:
        'uses of {{names}} outside the hunks of {{series}} series could not be checked (no base tree; give --tree or check a git range)',
    },
  },
  check(ctx) {
    const m = ctx.model();
    const d = m.delta;
    const gone: Gone[] = [
      ...d.typesRemoved.map((t) => ({ name: t.name, kind: 'type' as const, patch: t.patch, to: null })),
      ...d.typesRenamed.map((r) => ({ name: r.from, kind: 'type' as const, patch: r.patch, to: r.to })),
      ...d.helpersRemoved.map((h) => ({ name: h.name, kind: 'helper' as const, patch: h.patch, to: null })),
      ...d.kconfigRemoved.map((k) => ({ name: k.name, kind: 'kconfig' as const, patch: k.patch, to: null })),
    ];
    if (gone.length === 0) return;
    const src = ctx.source();
    const tree = src.tree ? ctx.baseTree : null;
    const patches = new Map(ctx.series.patches.map((p) => [p.key, p]));
    for (const g of gone) {
      const uses = seriesUses(ctx, g);
      if (uses === 'defined') continue;
      let treeUses: Use[] | 'defined' = [];
      if (tree) {
        const touched = new Set(src.files.flatMap((f) => [f.path, ...f.steps.map((s) => s.pre.path)]));
        treeUses = baseUses(tree, g, touched);
        if (treeUses === 'defined') continue;
      }
      const all = [...uses, ...treeUses];
      const obligation = g.to ? `rename-all-users:${g.name}` : `no-remaining-users:${g.name}`;
      const what = g.kind === 'helper' ? `${g.name}()` : g.kind === 'kconfig' ? `CONFIG_${g.name}` : g.name;
      if (all.length === 0) {
        m.settle(
          obligation,
          tree ? 'met' : 'unknown',
          tree ? null : 'no base tree: uses outside the series not checked',
        );
        continue;
      }
      m.settle(
        obligation,
        'unmet',
        `still used at ${all
          .slice(0, 3)
          .map((u) => `${u.file}:${u.line}`)
          .join(', ')}`,
      );
      for (const u of all) {
        if (!u.added) continue;
        ctx.report({
          patch: u.added.patch,
          file: u.file,
          line: u.added.line,
          ...(g.to
            ? { messageId: 'usedAfterRename', data: { name: what, to: g.to } }
            : { messageId: 'usedAfterRemoval', data: { name: what } }),
        });
      }
      const rest = all.filter((u) => !u.added);
      if (rest.length === 0) continue;
      const remover = patches.get(g.patch.key);
      const site = remover ? removalSite(remover, g.name) : null;
      const listed = rest
        .slice(0, MAX_LISTED)
        .map((u) => `${u.file}:${u.line}`)
        .join(', ');
      const more = rest.length > MAX_LISTED ? ` and ${rest.length - MAX_LISTED} more` : '';
      // Three places on the line; the others in the detail.
      const shown =
        rest.length > 3
          ? `${rest
              .slice(0, 3)
              .map((u) => `${u.file}:${u.line}`)
              .join(', ')} and ${rest.length - 3} more`
          : listed;
      ctx.report({
        patch: remover ?? null,
        file: site?.file ?? null,
        line: site?.line ?? null,
        ...(g.to
          ? { messageId: 'renamedStillUsed', data: { name: what, to: g.to, uses: shown } }
          : { messageId: 'removedStillUsed', data: { name: what, uses: shown } }),
        ...(rest.length > 3 ? { detail: `still used at ${listed}${more}` } : {}),
      });
    }
    if (!tree) {
      ctx.gather({
        key: 'no-tree',
        items: gone.map((g) => g.name),
        patch: patches.get(gone[0]!.patch.key) ?? null,
        render: (names, n) => {
          const data: MessageData = {
            names: `${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}`,
          };
          return {
            severity: 'info',
            notChecked: true,
            messageId: n > 1 ? 'usesNotCheckedAcross' : 'usesNotChecked',
            data: n > 1 ? { ...data, series: n } : data,
          };
        },
      });
    }
  },
});

/** The regular expression a use of `g` matches on a line of code. */
function usePattern(g: Gone, path: string): RegExp | null {
  if (g.kind !== 'kconfig') return /\.(c|h|S)$/.test(path) ? new RegExp(`\\b${g.name}\\b`) : null;
  if (/(^|\/)Kconfig[^/]*$/.test(path))
    return new RegExp(`^\\s*(?:depends\\s+on|select|imply|default|visible\\s+if|if|range)\\b.*\\b${g.name}\\b`);
  return new RegExp(`\\bCONFIG_${g.name}\\b`);
}

/** A line that (re)defines `g`: it is not gone after all, only moved or kept elsewhere. */
function defines(g: Gone, text: string): boolean {
  const n = g.name;
  if (g.kind === 'type') return new RegExp(`^\\s*${n}\\s*(?:=[^,;]*)?,?\\s*$`).test(text);
  if (g.kind === 'helper') {
    return (
      new RegExp(`^\\s*#\\s*define\\s+${n}\\b`).test(text) ||
      new RegExp(`^\\s*(?:static|extern|inline|bool|int|void|unsigned|struct|const|long)\\b[^=;(]*\\b${n}\\s*\\(`).test(
        text,
      )
    );
  }
  return new RegExp(`^\\s*(?:menu)?config\\s+${n}\\s*$`).test(text);
}

/**
 * Uses in the series' images as the series leaves them: the last image of each file (whole
 * files), or, for fragments, every line shown that no later patch of the file removes.
 */
function seriesUses(ctx: SeriesContext, g: Gone): Use[] | 'defined' {
  const out = new Map<string, Use>();
  for (const f of ctx.source().files) {
    const steps = f.steps;
    const last = steps[steps.length - 1];
    if (!last || last.diff.status === 'deleted') continue;
    const pattern = usePattern(g, last.post.path);
    if (!pattern) continue;
    for (let k = 0; k < steps.length; k++) {
      const step = steps[k]!;
      const image = step.post;
      const code = codeLinesOf(image, g.kind === 'kconfig' && /Kconfig/.test(image.path));
      for (let i = 0; i < image.lines.length; i++) {
        const text = code[i]!;
        if (!pattern.test(text) && !(defines(g, text) && new RegExp(`\\b${g.name}\\b`).test(text))) continue;
        if (!survives(steps, k, image, i)) continue;
        if (defines(g, text)) return 'defined';
        const key = `${image.path}\0${image.lines[i]!.trim()}`;
        const line = image.lineNumber(i);
        const added = image.addedHere(i) ? { patch: step.patch, line } : (out.get(key)?.added ?? null);
        out.set(key, { file: image.path, line: lastLine(steps, image, i) ?? line, added });
      }
    }
  }
  return [...out.values()];
}

/** Whether line `i` of step k's image is still there when the series ends. */
function survives(steps: readonly FileStep[], k: number, image: FileImage, i: number): boolean {
  const last = steps[steps.length - 1]!;
  if (image.mode === 'whole') {
    if (k === steps.length - 1) return true;
    const origin = image.origins[i];
    return last.post.origins.some((o, j) => o === origin && last.post.lines[j] === image.lines[i]);
  }
  const text = image.lines[i]!;
  for (const later of steps.slice(k + 1)) {
    for (const r of later.removed) if (later.pre.lines[r] === text) return false;
  }
  return true;
}

/** The line number in the file as the series leaves it, when whole images tell. */
function lastLine(steps: readonly FileStep[], image: FileImage, i: number): number | null {
  const last = steps[steps.length - 1]!.post;
  if (image.mode !== 'whole' || last === image) return null;
  const j = last.origins.findIndex((o, n) => o === image.origins[i] && last.lines[n] === image.lines[i]);
  return j < 0 ? null : j + 1;
}

function codeLinesOf(image: FileImage, kconfig: boolean): string[] {
  if (kconfig) return image.lines.map((l) => l.replace(/#.*$/, ''));
  return codeLines(image.lines);
}

/** Uses in base-tree files the series does not touch: one git grep, then the hit files read. */
function baseUses(tree: KernelTree, g: Gone, touched: ReadonlySet<string>): Use[] | 'defined' {
  const specs =
    g.kind === 'kconfig' ? ['*.c', '*.h', '*.S', '*Kconfig*', '*Makefile*', '*Kbuild*'] : ['*.c', '*.h', '*.S'];
  const word = g.kind === 'kconfig' ? `\\b(CONFIG_)?${g.name}\\b` : `\\b${g.name}\\b`;
  const hits = tree
    .grep(word, specs)
    .filter((h) => !touched.has(h.path) && !h.path.startsWith('Documentation/') && !/\/configs\//.test(h.path));
  const paths = [...new Set(hits.map((h) => h.path))];
  const texts = tree.readMany(paths);
  const out: Use[] = [];
  for (const path of paths) {
    const text = texts.get(path);
    const pattern = usePattern(g, path);
    if (!text || !pattern) continue;
    const lines = text.split('\n');
    const code = /Kconfig/.test(path) ? lines.map((l) => l.replace(/#.*$/, '')) : codeLines(lines);
    for (const h of hits) {
      if (h.path !== path) continue;
      const t = code[h.line - 1] ?? '';
      if (defines(g, t)) return 'defined';
      if (pattern.test(t)) out.push({ file: path, line: h.line, added: null });
    }
  }
  return out;
}
