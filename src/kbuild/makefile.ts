// Which configuration builds an object: a kbuild Makefile's `obj-$(CONFIG_X) += foo.o bar/`, the
// parts of a composite object (`foo-$(CONFIG_Y) += part.o`, `foo-objs := ...`) and the
// `ifdef`/`ifeq` blocks around them, read as formulas over configuration symbols.
import { and, FALSE, not, or, sym, TRUE, type Formula } from '../syntax/condition.js';

/** What one Makefile says: for each object (`foo.o`) or subdirectory (`dir/`), when it is built. */
export interface MakefileGuards {
  /** `foo.o` / `dir/` -> the condition it is built under (from every line that names it, or-ed). */
  readonly objects: ReadonlyMap<string, Formula>;
  /** `part.o` -> the composite objects it is part of (`foo-y += part.o`), with the line's condition. */
  readonly parts: ReadonlyMap<string, readonly { composite: string; condition: Formula }[]>;
}

/** `$(CONFIG_X)`, `$(subst m,y,$(CONFIG_X))`, `y`, `m`: the condition an `obj-...` suffix stands for. */
function suffixCondition(suffix: string): Formula {
  if (suffix === 'y' || suffix === 'm') return TRUE;
  if (suffix === '' || suffix === 'n') return FALSE;
  const m = /^\$\((?:subst\s+m,y,\s*)?\$?\(?(CONFIG_\w+)\)?\)$/.exec(suffix) ?? /^\$\((CONFIG_\w+)\)$/.exec(suffix);
  if (m) return sym(m[1]!);
  return { k: 'opaque', text: suffix };
}

/** `ifdef CONFIG_X`, `ifeq ($(CONFIG_X),y)`, `ifneq ($(CONFIG_X),)` ... as a formula. */
function blockCondition(kind: string, rest: string): Formula {
  const r = rest.trim();
  if (kind === 'ifdef' || kind === 'ifndef') {
    const f = /^CONFIG_\w+$/.test(r) ? sym(r) : ({ k: 'opaque', text: `defined ${r}` } as Formula);
    return kind === 'ifdef' ? f : not(f);
  }
  const m =
    /^\(\s*\$\((CONFIG_\w+)\)\s*,\s*(\w*)\s*\)$/.exec(r) ?? /^["']?\$\((CONFIG_\w+)\)["']?\s+["']?(\w*)["']?$/.exec(r);
  if (!m) return { k: 'opaque', text: `${kind} ${r}` };
  const on = sym(m[1]!);
  // ($(CONFIG_X),y) / ($(CONFIG_X),m): set; ($(CONFIG_X),): not set.
  const equalsSet =
    m[2] === 'y' || m[2] === 'm' ? on : m[2] === '' ? not(on) : ({ k: 'opaque', text: `${m[1]}=${m[2]}` } as Formula);
  return kind === 'ifeq' ? equalsSet : not(equalsSet);
}

export function parseMakefile(text: string): MakefileGuards {
  const objects = new Map<string, Formula>();
  const parts = new Map<string, { composite: string; condition: Formula }[]>();
  const blocks: { condition: Formula; negated: boolean }[] = [];
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.replace(/(^|[^\\])#.*$/, '$1').trim();
    if (line === '') continue;
    const block = /^(ifdef|ifndef|ifeq|ifneq)\s+(.*)$/.exec(line);
    if (block) {
      blocks.push({ condition: blockCondition(block[1]!, block[2]!), negated: false });
      continue;
    }
    if (/^else\b/.test(line)) {
      const top = blocks[blocks.length - 1];
      if (top) top.negated = !top.negated;
      continue;
    }
    if (/^endif\b/.test(line)) {
      blocks.pop();
      continue;
    }
    const assign = /^([A-Za-z0-9_.-]+?)-(\$\([^)]*(?:\([^)]*\))?[^)]*\)|[ymn]|objs)\s*(\+=|:=|=)\s*(.*)$/.exec(line);
    if (!assign) continue;
    // Groups 2 and 4 are not optional: a match has them.
    const [, target] = assign;
    const suffix = assign[2]!;
    const list = assign[4]!;
    const enclosing = and(...blocks.map((b) => (b.negated ? not(b.condition) : b.condition)));
    const condition = and(enclosing, suffix === 'objs' ? TRUE : suffixCondition(suffix));
    // `obj-y += $(foo-y)` builds the parts of foo-y: read it as the composite object foo.o.
    const words = list.split(/\s+/).map((w) => /^\$\(([\w-]+)-(?:y|objs)\)$/.exec(w)?.[1]?.concat('.o') ?? w);
    for (const word of words.filter((w) => /\.o$|\/$/.test(w))) {
      if (target === 'obj' || target === 'lib' || target === 'core' || target === 'drivers') {
        objects.set(word, or(objects.get(word) ?? FALSE, condition));
      } else {
        const list = parts.get(word) ?? [];
        list.push({ composite: `${target}.o`, condition });
        parts.set(word, list);
      }
    }
  }
  return { objects, parts };
}

/**
 * When `object` (`foo.o`) of this Makefile is built: named directly, or as a part of a composite
 * object that is; null when the Makefile does not name it (generated, or built another way).
 */
export function objectCondition(guards: MakefileGuards, object: string, depth = 0): Formula | null {
  const direct = guards.objects.get(object);
  const viaParts = (guards.parts.get(object) ?? []).flatMap((p) => {
    if (depth > 3) return [];
    const whole = objectCondition(guards, p.composite, depth + 1);
    return whole === null ? [] : [and(whole, p.condition)];
  });
  if (direct === undefined && viaParts.length === 0) return null;
  return or(direct ?? FALSE, ...viaParts);
}
