import { defineRule, type KernelTree, type SeriesContext } from '../../src/engine/rule.js';
import { headerDeclarations } from '../../src/kbuild/index.js';
import { ZONE_DEVICE_API_HEADERS } from '../../src/kbuild/headers.js';
import type { FileStep } from '../../src/source/types.js';
import { fieldUses, ZONE_DEVICE_STRUCTS } from '../lib/fields.js';
import { codeOf, notKernelCode, usesName } from '../lib/steps.js';

const MAX_LISTED = 1;
const MAX_DEPTH = 10;
/** Headers one walk may read; past it the answer is 'may be reached' (no finding rather than a wrong one). */
const MAX_NODES = 6000;
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
    const graph = graphOf(tree);
    for (const d of drops) {
      const headerText = tree.readSync(d.header);
      if (headerText === null) continue;
      // Still reached another way (the header includes one that includes it): nothing is dropped.
      if (graph.reaches(d.header, d.removedPath, new Set())) continue;
      const provided = providedNames(tree, d.removedPath, d.header);
      if (!provided.names.size && !provided.fields.size) continue;
      const token = d.header.replace(/^include\//, '').replace(/^arch\/[^/]+\/include\//, '');
      const includers = [
        ...new Set(tree.grep(`#include <${token}>`, ['*.c', '*.h'], { fixed: true }).map((h) => h.path)),
      ].filter((p) => !notKernelCode(p) && p !== d.header && p !== d.removedPath);
      const relying: { file: string; name: string }[] = [];
      const texts = tree.readMany(includers);
      for (const file of includers) {
        const text = texts.get(file);
        if (!text) continue;
        const lines = text.split('\n');
        if (lines.some((l) => INCLUDE.exec(l)?.[1] === d.removed)) continue;
        const name = firstUse(lines, provided);
        if (!name) continue;
        if (graph.reachesFrom(file, lines, d.removedPath, new Set([d.header]))) continue;
        relying.push({ file, name });
      }
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
          .map((r) => `${r.file} (${r.name})`)
          .join(
            ', ',
          )}${relying.length > 20 ? ` and ${relying.length - 20} more` : ''}: each includes ${d.header}, uses what only <${d.removed}> declares, and does not include it. Add \`#include <${d.removed}>\` to them in the same patch.`,
      });
    }
  },
});

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

interface Provided {
  /** Functions, macros, enumerators, typedefs and variables only the removed header declares. */
  names: Set<string>;
  /** Its structs' members, for uses that need the full struct. */
  fields: Map<string, Set<string>>;
}

/** What the removed header gives that neither the header that dropped it nor another API header does. */
function providedNames(tree: KernelTree, removedPath: string, header: string): Provided {
  const text = tree.readSync(removedPath);
  const names = new Set<string>();
  const fields = new Map<string, Set<string>>();
  if (text === null) return { names, fields };
  const own = new Set(headerDeclarations(header, tree.readSync(header) ?? '').map((d) => d.name));
  const elsewhere = new Set<string>();
  for (const other of ZONE_DEVICE_API_HEADERS) {
    if (other === removedPath || other === header) continue;
    const t = tree.readSync(other);
    if (t !== null) for (const d of headerDeclarations(other, t)) elsewhere.add(d.name);
  }
  for (const d of headerDeclarations(removedPath, text)) {
    if (d.kind === 'field') {
      if (d.aggregate && ZONE_DEVICE_STRUCTS.includes(d.aggregate))
        fields.set(d.aggregate, (fields.get(d.aggregate) ?? new Set()).add(d.name));
      continue;
    }
    if (d.kind === 'struct' || own.has(d.name) || elsewhere.has(d.name) || d.name.length < 4) continue;
    names.add(d.name);
  }
  return { names, fields };
}

/** The first name of `provided` the file uses, or null. */
function firstUse(lines: readonly string[], provided: Provided): string | null {
  const code = codeOf(lines);
  const text = code.join('\n');
  for (const n of provided.names) {
    if (!text.includes(n)) continue;
    if (code.some((l) => usesName(l, n))) return n.match(/^[A-Z0-9_]+$/) ? n : `${n}()`;
  }
  if (provided.fields.size) {
    const vars = new Map<string, Set<string>>();
    for (const s of provided.fields.keys()) {
      const re = new RegExp(String.raw`\bstruct\s+${s}\b\s*(?:const\s+)?(?:\*\s*)*([A-Za-z_]\w*)\s*(?![\w(])`, 'g');
      vars.set(s, new Set([...text.matchAll(re)].map((m) => m[1]!)));
    }
    const u = fieldUses(code, provided.fields, vars)[0];
    if (u) return `struct ${u.struct}'s ${u.field}`;
  }
  return null;
}

const graphs = new WeakMap<object, IncludeGraph>();
function graphOf(tree: KernelTree): IncludeGraph {
  let g = graphs.get(tree);
  if (!g) graphs.set(tree, (g = new IncludeGraph(tree)));
  return g;
}

/** Which headers a file reaches through its #include lines, read from the tree after the series. */
class IncludeGraph {
  private readonly direct = new Map<string, string[]>();
  constructor(private readonly tree: KernelTree) {}

  private includesOf(path: string, lines?: readonly string[]): string[] {
    let got = this.direct.get(path);
    if (got) return got;
    const text = lines ? null : this.tree.readSync(path);
    const ls = lines ?? (text === null ? [] : text.split('\n'));
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    got = [];
    for (const l of ls) {
      const m = /^\s*#\s*include\s*([<"])([^>"]+)[>"]/.exec(l);
      if (!m) continue;
      const inc = m[2]!;
      if (m[1] === '"') got.push(normalize(dir + inc));
      else if (inc.startsWith('asm/')) got.push(`arch/x86/include/${inc}`, `include/asm-generic/${inc.slice(4)}`);
      else got.push(`include/${inc}`);
    }
    this.direct.set(path, got);
    return got;
  }

  /** Whether `from` reaches `target` through headers other than those in `avoid`. */
  reaches(from: string, target: string, avoid: Set<string>): boolean {
    return this.walk(this.includesOf(from), target, avoid);
  }

  reachesFrom(file: string, lines: readonly string[], target: string, avoid: Set<string>): boolean {
    return this.walk(this.includesOf(file, lines), target, avoid);
  }

  private walk(start: string[], target: string, avoid: Set<string>): boolean {
    const seen = new Set<string>(avoid);
    let level = start.filter((p) => !seen.has(p));
    for (let depth = 0; depth < MAX_DEPTH && level.length; depth++) {
      const next: string[] = [];
      for (const p of level) {
        if (p === target) return true;
        if (seen.has(p)) continue;
        seen.add(p);
        if (seen.size > MAX_NODES) return true;
        next.push(...this.includesOf(p).filter((q) => !seen.has(q)));
      }
      level = next;
    }
    return level.includes(target);
  }
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}
