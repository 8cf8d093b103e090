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
  const own = new Set(
    besides === null ? [] : headerDeclarations(besides, tree.readSync(besides) ?? '').map((d) => d.name),
  );
  const elsewhere = new Set<string>();
  for (const other of ZONE_DEVICE_API_HEADERS) {
    if (other === path || other === besides) continue;
    const t = tree.readSync(other);
    if (t !== null) for (const d of headerDeclarations(other, t)) elsewhere.add(d.name);
  }
  for (const d of headerDeclarations(path, text)) {
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
export function firstUse(lines: readonly string[], provided: Provided): string | null {
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
