// Facts read from a base tree's own text, so rules can prefer the tree over the data and
// say where they differ. Lightweight on purpose: enum memory_type is one well-known enum,
// and only a few Kconfig entries matter here (the full Kconfig parser is in syntax/).
import type { ModelView } from './types.js';

export interface TreeEnumMember {
  name: string;
  /** Its value, counting from the last explicit `= N`; null after a value that is not a number. */
  value: number | null;
  /** 1-based line in the text. */
  line: number;
}

/** The members of `enum memory_type` in a memremap.h text, or null when the enum is absent. */
export function extractMemoryTypeEnum(text: string): TreeEnumMember[] | null {
  const start = /\benum\s+memory_type\s*\{/.exec(text);
  if (!start) return null;
  const bodyStart = start.index + start[0].length;
  const end = text.indexOf('}', bodyStart);
  if (end < 0) return null;
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  // Blank out comments but keep offsets, so line numbers stay right.
  const body = text.slice(bodyStart, end).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/^[ \t]*#[^\n]*/gm, (c) => ' '.repeat(c.length));
  const members: TreeEnumMember[] = [];
  let next: number | null = 0;
  let offset = 0;
  for (const part of body.split(',')) {
    const m = /^(\s*)([A-Za-z_]\w*)\s*(?:=\s*([^,]+?))?\s*$/.exec(part);
    if (m) {
      let value: number | null = next;
      if (m[3] !== undefined) value = /^(0x[0-9a-f]+|\d+)$/i.test(m[3].trim()) ? Number(m[3].trim()) : null;
      members.push({ name: m[2]!, value, line: lineAt(bodyStart + offset + m[1]!.length) });
      next = value === null ? null : value + 1;
    }
    offset += part.length + 1;
  }
  return members;
}

export interface KconfigEntry {
  name: string;
  prompt: string | null;
  dependsOn: string[];
  selects: string[];
  help: string;
  line: number;
}

/** `config NAME` blocks of a Kconfig text with their prompt, depends on, selects and help. */
export function extractKconfigEntries(text: string): KconfigEntry[] {
  const entries: KconfigEntry[] = [];
  let cur: KconfigEntry | null = null;
  let inHelp = false;
  let helpIndent = -1;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\t/g, '        ');
    const head = /^\s*(?:menu)?config\s+(\w+)\s*$/.exec(line);
    if (head) {
      cur = { name: head[1]!, prompt: null, dependsOn: [], selects: [], help: '', line: i + 1 };
      entries.push(cur);
      inHelp = false;
      return;
    }
    if (!cur) return;
    const c: KconfigEntry = cur;
    if (inHelp) {
      const indent = line.search(/\S/);
      if (indent < 0) { c.help += '\n'; return; }
      if (helpIndent < 0) helpIndent = indent;
      if (indent >= helpIndent) { c.help += `${line.trim()}\n`; return; }
      inHelp = false;
    }
    const t = line.trim();
    let m: RegExpExecArray | null;
    if ((m = /^(?:bool|tristate|prompt|string|int|hex)\s+"([^"]*)"/.exec(t))) c.prompt = m[1]!;
    else if ((m = /^depends\s+on\s+(.+)$/.exec(t))) c.dependsOn.push(m[1]!.trim());
    else if ((m = /^select\s+(.+)$/.exec(t))) c.selects.push(m[1]!.replace(/\s+/g, ' ').trim());
    else if (/^(?:---)?\s*help\s*(?:---)?$/.test(t)) { inHelp = true; helpIndent = -1; }
    else if (/^(?:endmenu|endif|menu|if|choice|endchoice|source|comment)\b/.test(t)) cur = null;
  });
  for (const e of entries) e.help = e.help.trim();
  return entries;
}

export type TreeDifferenceKind = 'missing-in-tree' | 'only-in-tree' | 'value-differs' | 'order-differs'
  // helpers (is_*_page, folio_is_*) in the headers the model names
  | 'helper-only-in-tree' | 'helper-missing-in-tree' | 'helper-header-differs' | 'helper-guard-differs'
  // Kconfig entries of the memory types, and what config ZONE_DEVICE depends on
  | 'kconfig-only-in-tree' | 'kconfig-missing-in-tree' | 'kconfig-file-differs' | 'kconfig-gate-differs'
  // arch/<arch>/Kconfig* selects of the era's enabling symbol and of the devmap symbol
  | 'arch-only-in-tree' | 'arch-missing-in-tree' | 'arch-condition-differs';

export interface TreeDifference {
  kind: TreeDifferenceKind;
  name: string;
  modelValue: number | null;
  treeValue: number | null;
  /** The tree's file that shows it (null: memremap.h for the enum kinds, or nothing to point at). */
  file?: string | null;
  /** 1-based line in that file (memremap.h for the enum kinds), when there is one. */
  line: number | null;
  /** One sentence for an info finding. */
  message: string;
}

/** Where the tree's enum memory_type disagrees with the model at the tree's version. */
export function compareEnumWithModel(tree: readonly TreeEnumMember[], view: ModelView): TreeDifference[] {
  const out: TreeDifference[] = [];
  const model = new Map(view.types.map((t) => [t.name, t.value]));
  const inTree = new Map(tree.map((m) => [m.name, m]));
  for (const m of tree) {
    if (!model.has(m.name)) {
      out.push({ kind: 'only-in-tree', name: m.name, modelValue: null, treeValue: m.value, line: m.line,
        message: `the base tree's enum memory_type has ${m.name}, which the model does not list for ${view.release}; the tree is followed` });
    } else if (model.get(m.name) !== null && model.get(m.name) !== m.value) {
      out.push({ kind: 'value-differs', name: m.name, modelValue: model.get(m.name)!, treeValue: m.value, line: m.line,
        message: `${m.name} is ${m.value} in the base tree but ${model.get(m.name)} in the model for ${view.release}; the tree is followed` });
    }
  }
  for (const name of view.enumMembers)
    if (!inTree.has(name))
      out.push({ kind: 'missing-in-tree', name, modelValue: model.get(name) ?? null, treeValue: null, line: null,
        message: `the model lists ${name} for ${view.release} but the base tree's enum memory_type does not have it; the tree is followed` });
  return out;
}

/**
 * The view with the tree's enum members in force: members the model does not know are
 * added as types of unknown properties (null), members the tree lacks are dropped.
 */
export function applyTreeEnum(view: ModelView, tree: readonly TreeEnumMember[]): ModelView {
  const byName = new Map(view.types.map((t) => [t.name, t]));
  const types = tree.map((m) => {
    const known = byName.get(m.name);
    if (known) return { ...known, value: m.value };
    return {
      id: m.name.toLowerCase().replace(/^memory_device_/, '').replace(/_/g, '-'), mainline: true, name: m.name, value: m.value,
      summary: 'known only from the base tree', cpuAddressable: null, cacheCoherent: null, migratable: null, longTermPin: null,
      onLru: null, userMapping: null, callbacks: [], kconfig: null, helpers: [], iores: [],
    };
  });
  return { ...view, types, enumMembers: tree.map((m) => m.name) };
}
