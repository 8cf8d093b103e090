// A small Kconfig parser: enough structure for rules about config symbols, with image
// lines for everything. Tolerant of fragments: a hunk that starts inside a block gives its
// leading attributes to the entry its `@@` header names (`@@ -31,6 +31,7 @@ config ARM64`),
// or to an entry of unknown name.
import type { Segment } from '../source/types.js';
import type { SourceText } from './text.js';

export type KEntryKind = 'config' | 'menuconfig' | 'choice' | 'comment' | 'menu' | 'mainmenu';

export interface KCond {
  /** The `if` expression after an attribute, or null. */
  condition: string | null;
  /** Image line (0-based). */
  line: number;
}
export interface KPrompt extends KCond {
  text: string;
}
export interface KSymbolRef extends KCond {
  symbol: string;
}
export interface KDefault extends KCond {
  value: string;
}
export interface KDepends {
  expr: string;
  line: number;
}
export interface KHelp {
  text: string;
  /** Image lines of the `help` keyword and of the last help text line. */
  line: number;
  last: number;
}

export interface KEntry {
  kind: KEntryKind;
  /** Symbol name (config/menuconfig), title (menu/comment/mainmenu), null for choice or unknown. */
  name: string | null;
  /** Image line of the header; null when the fragment does not show it. */
  line: number | null;
  /** The name came from the hunk header, not from a line of the image. */
  inferred: boolean;
  type: string | null;
  prompt: KPrompt | null;
  defaults: KDefault[];
  depends: KDepends[];
  selects: KSymbolRef[];
  implies: KSymbolRef[];
  help: KHelp | null;
  /** Conditions of the enclosing `if` blocks, outermost first (as far as the image shows). */
  ifs: string[];
  /** Titles of the enclosing menus, outermost first. */
  menus: string[];
  /** Image lines the entry spans. */
  first: number;
  last: number;
}

export interface KSource {
  path: string;
  line: number;
}

export interface KconfigFile {
  image: SourceText;
  entries: KEntry[];
  sources: KSource[];
  /** The entry image line `i` belongs to, if any. */
  entryAt(i: number): KEntry | null;
}

export function isKconfigPath(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === 'Kconfig' || base.startsWith('Kconfig.');
}

const TYPES = new Set(['bool', 'tristate', 'string', 'hex', 'int', 'def_bool', 'def_tristate']);

export function parseKconfig(image: SourceText): KconfigFile {
  const entries: KEntry[] = [];
  const sources: KSource[] = [];
  for (const seg of image.segments) parseSegment(image, seg, entries, sources);
  const owner = new Array<KEntry | null>(image.lines.length).fill(null);
  for (const e of entries) for (let i = e.first; i <= e.last; i++) owner[i] = e;
  return { image, entries, sources, entryAt: (i) => owner[i] ?? null };
}

/** Columns of a Kconfig line's indentation (a tab to the next multiple of 8), as Kconfig reads help text. */
export function indentOf(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === ' ') n++;
    else if (ch === '\t') n = (Math.floor(n / 8) + 1) * 8;
    else break;
  }
  return n;
}

function parseSegment(image: SourceText, seg: Segment, entries: KEntry[], sources: KSource[]): void {
  const ifs: string[] = [];
  const menus: string[] = [];
  let cur: KEntry | null = null;
  const open = (
    kind: KEntryKind,
    name: string | null,
    line: number | null,
    first: number,
    inferred = false,
  ): KEntry => {
    const e: KEntry = {
      kind,
      name,
      line,
      inferred,
      type: null,
      prompt: null,
      defaults: [],
      depends: [],
      selects: [],
      implies: [],
      help: null,
      ifs: [...ifs],
      menus: [...menus],
      first,
      last: first,
    };
    entries.push(e);
    return e;
  };
  for (let i = seg.start; i < seg.end; i++) {
    const raw = image.lines[i]!;
    const line = stripComment(raw).trim();
    if (line === '') continue;
    const [word = '', rest = ''] = splitWord(line);
    switch (word) {
      case 'config':
      case 'menuconfig':
        cur = open(word, rest.trim() || null, i, i);
        continue;
      case 'choice':
        cur = open('choice', rest.trim() || null, i, i);
        continue;
      case 'comment':
      case 'menu':
      case 'mainmenu': {
        const title = quoted(rest)?.text ?? null;
        cur = open(word, title, i, i);
        if (word === 'menu' && title !== null) menus.push(title);
        continue;
      }
      case 'endmenu':
        menus.pop();
        cur = null;
        continue;
      case 'endchoice':
        cur = null;
        continue;
      case 'if':
        ifs.push(rest.trim());
        cur = null;
        continue;
      case 'endif':
        ifs.pop();
        cur = null;
        continue;
      case 'source':
      case 'rsource':
      case 'osource':
      case 'orsource': {
        const q = quoted(rest);
        if (q) sources.push({ path: q.text, line: i });
        cur = null;
        continue;
      }
    }
    // An attribute: it belongs to the open entry, or (fragment) to the one the header names.
    if (!cur) {
      const fromHeader = seg.hunk
        ? /^\s*(config|menuconfig)\s+(\w+)/.exec(seg.hunk.header.replace(/^@@[^@]*@@\s?/, ''))
        : null;
      const firstEntryInSeg = !entries.some((e) => e.first >= seg.start);
      cur = open(
        fromHeader ? (fromHeader[1] as KEntryKind) : 'config',
        firstEntryInSeg && fromHeader ? fromHeader[2]! : null,
        null,
        i,
        firstEntryInSeg && fromHeader !== null,
      );
    }
    cur.last = i;
    if (word === 'help' || word === '---help---') {
      const helpIndent = indentOf(raw);
      let j = i + 1;
      let textIndent = -1;
      const text: string[] = [];
      let last = i;
      for (; j < seg.end; j++) {
        const l = image.lines[j]!;
        if (l.trim() === '') {
          text.push('');
          continue;
        }
        const ind = indentOf(l);
        if (textIndent < 0) {
          if (ind <= helpIndent) break;
          textIndent = ind;
        } else if (ind < textIndent) break;
        text.push(l.trim());
        last = j;
      }
      while (text.length && text[text.length - 1] === '') text.pop();
      cur.help = { text: text.join('\n'), line: i, last };
      cur.last = last;
      i = last;
      continue;
    }
    attribute(cur, word, rest, i);
  }
}

function attribute(e: KEntry, word: string, rest: string, i: number): void {
  const { head, condition } = splitIf(rest);
  if (TYPES.has(word)) {
    e.type = word.startsWith('def_') ? word.slice(4) : word;
    if (word.startsWith('def_')) e.defaults.push({ value: head, condition, line: i });
    else {
      const q = quoted(head);
      if (q) e.prompt = { text: q.text, condition, line: i };
    }
  } else if (word === 'prompt') {
    const q = quoted(head);
    if (q) e.prompt = { text: q.text, condition, line: i };
  } else if (word === 'default') {
    e.defaults.push({ value: head, condition, line: i });
  } else if (word === 'depends') {
    e.depends.push({ expr: rest.replace(/^on\s+/, '').trim(), line: i });
  } else if (word === 'select') {
    e.selects.push({ symbol: head, condition, line: i });
  } else if (word === 'imply') {
    e.implies.push({ symbol: head, condition, line: i });
  } else if (word === 'visible') {
    e.depends.push({ expr: rest.replace(/^if\s+/, '').trim(), line: i });
  }
}

function splitWord(line: string): [string, string] {
  const m = /^(\S+)\s*(.*)$/.exec(line);
  return m ? [m[1]!, m[2]!] : [line, ''];
}

/** `X if Y` -> head X, condition Y; an `if` inside a quoted prompt does not count. */
function splitIf(rest: string): { head: string; condition: string | null } {
  const q = quoted(rest);
  const from = q ? q.end : 0;
  const m = /\s+if\s+(.*)$/.exec(rest.slice(from));
  if (!m) return { head: rest.trim(), condition: null };
  return { head: rest.slice(0, from + m.index).trim(), condition: m[1]!.trim() };
}

function quoted(s: string): { text: string; end: number } | null {
  const m = /^\s*(["'])((?:\\.|(?!\1).)*)\1/.exec(s);
  return m ? { text: m[2]!.replace(/\\(.)/g, '$1'), end: m[0].length } : null;
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k]!;
    if (quote) {
      if (ch === '\\') k++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') return line.slice(0, k);
  }
  return line;
}
