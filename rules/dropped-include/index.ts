import { defineRule, type SeriesContext, type TreeAfterSeries } from '../../src/engine/rule.js';
import { ZONE_DEVICE_API_HEADERS } from '../../src/kbuild/headers.js';
import type { FileStep } from '../../src/source/types.js';
import { structFiles } from '../lib/fields.js';
import { includeGraph, includersOf, includeTargets, reaches, type IncludeGraph } from '../lib/includes.js';
import { firstUse, providedNames, type Provided } from '../lib/provided.js';
import { notKernelCode } from '../lib/steps.js';

const MAX_LISTED = 1;
/** Includers followed: direct ones, and those reaching the header through one or two other headers. */
const MAX_INCLUDER_DEPTH = 3;
/** Includers gathered from the graph (cheap), and at most how many of those naming what is provided are read. */
const MAX_INCLUDERS = 50000;
const MAX_READ = 2000;
const INCLUDE = /^\s*#\s*include\s*[<"]([^>"]+)[>"]/;

export default defineRule({
  meta: {
    id: 'dropped-include',
    severity: 'error',
    description: 'A header stops including a ZONE_DEVICE API header that files including it rely on',
    scope: 'series',
    runsOn: 'zone-device',
    // {{header}}: the header the series changes; {{removed}}: `linux/memremap.h`; {{files}}: the first files, then how many more.
    messages: {
      reliedOn:
        '{{header}} no longer includes <{{removed}}>, which {{files}} need (for {{name}}) and do not include themselves',
      notChecked: 'includers relying on {{list}} not checked (no base tree; give --tree or check a git range)',
    },
  },
  check(ctx) {
    const drops = droppedIncludes(ctx);
    if (!drops.length) return;
    const tree = ctx.source().tree ? ctx.tree : null;
    if (!tree) {
      ctx.gather({
        key: 'no-tree',
        items: drops.map((d) => `<${d.removed}> from ${d.header}`),
        patch: drops[0]!.step.patch,
        render: (items) => ({
          severity: 'info',
          notChecked: true,
          messageId: 'notChecked',
          data: { list: `${items.slice(0, 1).join(', ')}${items.length > 1 ? ` and ${items.length - 1} more` : ''}` },
        }),
      });
      return;
    }
    const graph = includeGraph(tree);
    for (const d of drops) {
      const headerText = tree.readSync(d.header);
      if (headerText === null) continue;
      // Still reached another way (the header includes one that includes it): nothing is dropped.
      if (reaches(graph, graph.includes(d.header), d.removedPath, new Set())) continue;
      const provided = providedNames(tree, d.removedPath, d.header);
      if (!provided.names.size && !provided.fields.size) continue;
      const relying = relyingIncluders(tree, graph, d, provided);
      if (!relying.length) continue;
      const files = relying.map((r) => r.file);
      const shown =
        files.length > MAX_LISTED
          ? `${files.slice(0, MAX_LISTED).join(', ')} and ${files.length - MAX_LISTED} more`
          : files.join(', ');
      ctx.report({
        patch: d.step.patch,
        file: d.header,
        line: d.line,
        messageId: 'reliedOn',
        data: { header: d.header, removed: d.removed, files: shown, name: relying[0]!.name },
        detail: `${relying
          .slice(0, 20)
          .map((r) => `${r.file} (${r.name}${r.via.length ? `; through ${r.via.join(' -> ')}` : ''})`)
          .join(
            ', ',
          )}${relying.length > 20 ? ` and ${relying.length - 20} more` : ''}: each includes ${d.header}${relying.some((r) => r.via.length) ? ' (directly or through the headers named)' : ''}, uses what only <${d.removed}> declares, and does not include it. Add \`#include <${d.removed}>\` to them in the same patch.`,
      });
    }
  },
});

/** A file that relies on the dropped header: what it uses, and the headers it reaches the changed one through. */
interface Relying {
  file: string;
  name: string;
  via: string[];
}

/**
 * The files that include the changed header (directly or through up to two other headers), use
 * what only the removed one declares, and do not reach it any other way. Only files that name one
 * of those things are read: the candidates come from one search per removed header (kept for the
 * run) and, for struct members, from the files that mention the ZONE_DEVICE structs at all.
 */
function relyingIncluders(tree: TreeAfterSeries, graph: IncludeGraph, d: Drop, provided: Provided): Relying[] {
  const naming = new Set(
    provided.names.size
      ? tree.grep([...provided.names].sort(), ['*.c', '*.h'], { fixed: true }).map((h) => h.path)
      : [],
  );
  if (provided.fields.size) for (const p of structFiles(tree.base).keys()) naming.add(p);
  for (const p of tree.changed) naming.add(p);
  const candidates = includersOf(graph, d.header, MAX_INCLUDER_DEPTH, MAX_INCLUDERS).filter(
    (i) => naming.has(i.file) && !notKernelCode(i.file) && i.file !== d.removedPath,
  );
  const read = candidates.slice(0, MAX_READ);
  const texts = tree.readMany(read.map((i) => i.file));
  const out: Relying[] = [];
  for (const { file, via } of read) {
    const text = texts.get(file);
    if (!text) continue;
    const lines = text.split('\n');
    const own = lines.flatMap((l) => includeTargets(file, l));
    if (own.includes(d.removedPath)) continue;
    const name = firstUse(lines, provided)?.name;
    if (!name) continue;
    // Another include path still brings it (the headers in between, or another of its includes).
    if (reaches(graph, own, d.removedPath, new Set([d.header]))) continue;
    out.push({ file, name, via });
  }
  return out;
}

interface Drop {
  step: FileStep;
  header: string;
  /** As written: `linux/memremap.h`. */
  removed: string;
  removedPath: string;
  /** Post-image line where the include was. */
  line: number;
}

/** `#include <linux/...>` lines of ZONE_DEVICE API headers the series removes from a header and does not put back. */
function droppedIncludes(ctx: SeriesContext): Drop[] {
  const api = new Map(ZONE_DEVICE_API_HEADERS.map((p) => [p.replace(/^include\//, ''), p]));
  const out: Drop[] = [];
  const files = ctx.source().files;
  for (const f of files) {
    const last = f.steps[f.steps.length - 1]!;
    if (!f.path.endsWith('.h') || last.diff.status === 'deleted') continue;
    const kept = new Set(last.post.lines.map((l) => INCLUDE.exec(l)?.[1]).filter((x): x is string => !!x));
    for (const s of f.steps) {
      for (const h of s.diff.hunks) {
        let next = h.newStart;
        for (const l of h.lines) {
          if (l.newLine !== null) next = l.newLine + 1;
          const inc = l.kind === 'del' ? INCLUDE.exec(l.text)?.[1] : undefined;
          const removedPath = inc === undefined ? undefined : api.get(inc);
          if (!inc || !removedPath || kept.has(inc) || out.some((d) => d.header === f.path && d.removed === inc))
            continue;
          // Last post-image whole: the include may sit there under another spelling (quotes); kept covers both.
          out.push({ step: s, header: f.path, removed: inc, removedPath, line: Math.max(1, next) });
        }
      }
    }
  }
  return out;
}
