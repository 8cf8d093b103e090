// Uses of the members of the ZONE_DEVICE structs, read from text. Member names are common words
// (`type`, `ops`, `res`, `owner`), so a use counts only when what it is read from is known to be
// one of these structs: a variable the file declares with that type, the conventional names the
// kernel gives them (`pgmap`, `altmap`: page->pgmap, pgmap->altmap, params->altmap), `pgmap->ops`
// for the operations, or a designated initializer of a variable of that type.
import type { KernelTree } from '../../src/engine/rule.js';
import { codeOf, notKernelCode } from './steps.js';

/** The structs whose members a series may not take away from their users (the model's structs). */
export const ZONE_DEVICE_STRUCTS: readonly string[] = [
  'dev_pagemap',
  'dev_pagemap_ops',
  'vmem_altmap',
  'mhp_params',
  'mhp_restrictions',
];

/** What a member access reads from, by struct, besides the variables a file declares. */
const CONVENTIONAL: Readonly<Record<string, string>> = {
  dev_pagemap: String.raw`(?:\bpgmap|->\s*pgmap|\bpage_pgmap\s*\([^()]*\)|\bpage_dev_pagemap\s*\([^()]*\))`,
  dev_pagemap_ops: String.raw`(?:\bpgmap\s*->\s*ops|->\s*pgmap\s*->\s*ops)`,
  vmem_altmap: String.raw`(?:\baltmap|->\s*altmap|\.\s*altmap)`,
  mhp_params: String.raw`(?!)`,
  mhp_restrictions: String.raw`(?!)`,
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Variables `lines` declares as `struct <name>` or a pointer to one, by struct. */
export function declaredVariables(lines: readonly string[], structs: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>(structs.map((s) => [s, new Set<string>()]));
  const text = lines.join('\n');
  for (const s of structs) {
    const re = new RegExp(
      String.raw`\bstruct\s+${s}\b\s*(?:const\s+)?(?:\*\s*(?:const\s+)?)*([A-Za-z_]\w*)\s*(?![\w(])`,
      'g',
    );
    const seen = out.get(s);
    if (seen) for (const m of text.matchAll(re)) seen.add(m[1]!);
  }
  return out;
}

export interface FieldUse {
  struct: string;
  field: string;
  /** 0-based line index. */
  i: number;
}

/**
 * Uses of `fields` (by struct) in code lines (comments, strings and directives blanked: steps.codeOf).
 * `vars`: the variables of each struct type the file declares.
 */
export function fieldUses(
  code: readonly string[],
  fields: ReadonlyMap<string, ReadonlySet<string>>,
  vars: ReadonlyMap<string, ReadonlySet<string>>,
): FieldUse[] {
  const out: FieldUse[] = [];
  const matchers: { struct: string; field: string; re: RegExp }[] = [];
  for (const [struct, names] of fields) {
    const known = [...(vars.get(struct) ?? [])].map(escape);
    const from = known.length
      ? `(?:${CONVENTIONAL[struct] ?? '(?!)'}|\\b(?:${known.join('|')}))`
      : (CONVENTIONAL[struct] ?? '(?!)');
    for (const field of names)
      matchers.push({ struct, field, re: new RegExp(`${from}\\s*(?:->|\\.)\\s*${escape(field)}(?![\\w$])`) });
  }
  if (!matchers.length) return out;
  // Designated initializers: `.field =` one level inside `struct S x = {` or `(struct S) {`.
  const opener = new RegExp(
    String.raw`(?:\bstruct\s+(${[...fields.keys()].join('|')})\b[^;{()]*=\s*\{|\(\s*struct\s+(${[...fields.keys()].join('|')})\s*\)\s*\{)`,
  );
  let init: { struct: string; depth: number } | null = null;
  for (let i = 0; i < code.length; i++) {
    const line = code[i]!;
    for (const m of matchers)
      if (line.includes(m.field) && m.re.test(line)) out.push({ struct: m.struct, field: m.field, i });
    let from = 0;
    if (!init) {
      const o = opener.exec(line);
      if (o) {
        init = { struct: o[1] ?? o[2]!, depth: 0 };
        from = o.index + o[0].length - 1;
      }
    }
    if (!init) continue;
    let depth: number = init.depth;
    for (let c = from; c < line.length; c++) {
      const ch = line[c]!;
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      else if (ch === '.' && depth === 1) {
        const d = /^\.\s*([A-Za-z_]\w*)\s*=/.exec(line.slice(c));
        if (d && fields.get(init.struct)?.has(d[1]!)) out.push({ struct: init.struct, field: d[1]!, i });
      }
      if (depth <= 0 && ch === '}') break;
    }
    init = depth <= 0 && /}/.test(line) ? null : { struct: init.struct, depth };
  }
  return out;
}

interface TreeStructFiles {
  files: Map<string, { code: string[]; vars: Map<string, Set<string>> }>;
}
const perTree = new WeakMap<object, TreeStructFiles>();

/**
 * The base tree's files that mention these structs or their conventional variables, read once per
 * run: one `git grep -l`-like pass, then the files themselves.
 */
export function structFiles(tree: KernelTree): Map<string, { code: string[]; vars: Map<string, Set<string>> }> {
  let got = perTree.get(tree);
  if (!got) {
    const hits = tree.grep([...ZONE_DEVICE_STRUCTS, 'pgmap', 'altmap'], ['*.c', '*.h'], { fixed: true });
    const paths = [...new Set(hits.map((h) => h.path))].filter((p) => !notKernelCode(p));
    const files = new Map<string, { code: string[]; vars: Map<string, Set<string>> }>();
    for (const [path, text] of tree.readMany(paths)) {
      if (text === null) continue;
      const lines = text.split('\n');
      files.set(path, { code: codeOf(lines), vars: declaredVariables(lines, ZONE_DEVICE_STRUCTS) });
    }
    perTree.set(tree, (got = { files }));
  }
  return got.files;
}
