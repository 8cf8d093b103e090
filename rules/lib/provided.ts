// What one ZONE_DEVICE API header gives that the others do not, and where a file uses it: the
// question dropped-include asks of the files a header stops reaching it for, and missing-include of a
// file the series adds code to.
import type { KernelTree } from '../../src/engine/rule.js';
import { ZONE_DEVICE_API_HEADERS } from '../../src/kbuild/headers.js';
import { headerDeclarations } from '../../src/kbuild/index.js';
import { fieldUses, ZONE_DEVICE_STRUCTS } from './fields.js';
import { codeOf, usesName } from './steps.js';

export interface Provided {
  /** Functions, macros, enumerators, typedefs and variables only that header declares. */
  names: Set<string>;
  /** Its structs' members, for uses that need the full struct. */
  fields: Map<string, Set<string>>;
}

/**
 * What the header at `path` gives that no other ZONE_DEVICE API header (nor `besides`, the header that
 * dropped it) declares.
 */
export function providedNames(tree: KernelTree, path: string, besides: string | null): Provided {
  const text = tree.readSync(path);
  const names = new Set<string>();
  const fields = new Map<string, Set<string>>();
  if (text === null) return { names, fields };
  const own = new Set(besides === null ? [] : declarationsOf(besides, tree.readSync(besides) ?? '').map((d) => d.name));
  const elsewhere = new Set<string>();
  for (const other of ZONE_DEVICE_API_HEADERS) {
    if (other === path || other === besides) continue;
    const t = tree.readSync(other);
    if (t !== null) for (const d of declarationsOf(other, t)) elsewhere.add(d.name);
  }
  for (const d of declarationsOf(path, text)) {
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

/**
 * A header's declarations, parsed once per text: missing-include asks what each of eight headers alone
 * declares, each question reading all sixteen API headers (1 s a series before this, on a 6.1 tree).
 */
function declarationsOf(path: string, text: string): ReturnType<typeof headerDeclarations> {
  const known = parsed.get(path);
  if (known && known.text === text) return known.declarations;
  const declarations = headerDeclarations(path, text);
  parsed.set(path, { text, declarations });
  return declarations;
}
const parsed = new Map<string, { text: string; declarations: ReturnType<typeof headerDeclarations> }>();

/** A use of what a header provides: the name as a message shows it, and its 0-based line. */
export interface ProvidedUse {
  name: string;
  line: number;
}

/** The file's first use of what `provided` holds, on the lines `counted` accepts (all by default), or null. */
export function firstUse(
  lines: readonly string[],
  provided: Provided,
  counted: (line: number) => boolean = () => true,
): ProvidedUse | null {
  const code = codeOf(lines);
  let first: ProvidedUse | null = null;
  for (let i = 0; i < code.length && !first; i++) {
    if (!counted(i)) continue;
    const l = code[i]!;
    for (const [n] of l.matchAll(WORD)) {
      if (!provided.names.has(n) || !usesName(l, n)) continue;
      first = { name: /^[A-Z0-9_]+$/.test(n) ? n : `${n}()`, line: i };
      break;
    }
  }
  if (provided.fields.size) {
    const text = code.join('\n');
    const vars = new Map<string, Set<string>>();
    for (const s of provided.fields.keys()) {
      const re = new RegExp(String.raw`\bstruct\s+${s}\b\s*(?:const\s+)?(?:\*\s*)*([A-Za-z_]\w*)\s*(?![\w(])`, 'g');
      vars.set(s, new Set([...text.matchAll(re)].map((m) => m[1]!)));
    }
    const u = fieldUses(code, provided.fields, vars).find((f) => counted(f.i));
    if (u && (!first || u.i < first.line)) first = { name: `struct ${u.struct}'s ${u.field}`, line: u.i };
  }
  return first;
}

const WORD = /[A-Za-z_]\w*/g;
