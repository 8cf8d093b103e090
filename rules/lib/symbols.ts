// Kconfig symbols where the build reads them. `config FOO` (a Kconfig file) defines FOO; `select
// FOO`, `imply FOO`, `depends on FOO`, `if FOO`, `default y if FOO`... name it in Kconfig, and
// `CONFIG_FOO` names it in C, assembly and Makefiles (`#ifdef CONFIG_FOO`, `IS_ENABLED(CONFIG_FOO)`,
// `obj-$(CONFIG_FOO) += foo.o`). A name that no Kconfig file defines is no error anywhere: Kconfig
// takes a select of it without a word and reads it as n, the preprocessor never sees it defined,
// make expands it to nothing. Only scripts/checkkconfigsymbols.py reports it.
//
// Everything here reads one line at a time (a hit of a tree search is one line); an image's help
// texts are left out with what src/syntax's Kconfig parser says of it.
import { indentOf, isKconfigPath, type KconfigFile } from '../../src/syntax/index.js';
import { codeLines } from './code-lines.js';

/** The kinds of file that name Kconfig symbols. */
export type SymbolFile = 'kconfig' | 'make' | 'c';

export function symbolFileOf(path: string): SymbolFile | null {
  if (isKconfigPath(path)) return 'kconfig';
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (/^(Makefile|Kbuild)(\..*)?$/.test(base)) return 'make';
  if (/\.(c|h|S)$/.test(base)) return 'c';
  return null;
}

/** How a line names a symbol: what the build does with it when no Kconfig file defines it. */
export type SymbolUseKind =
  /** `select FOO`: selects nothing */
  | 'select'
  /** `imply FOO`: implies nothing */
  | 'imply'
  /** in a Kconfig expression (`depends on`, `if`, `default ... if`): reads as n */
  | 'expr'
  /** `CONFIG_FOO` in C or assembly: never defined */
  | 'c'
  /** `CONFIG_FOO` in a Makefile: expands to nothing */
  | 'make';

export interface SymbolUse {
  symbol: string;
  kind: SymbolUseKind;
}

const DEFINITION = /^\s*(?:menu)?config\s+([A-Za-z0-9_]+)\s*(?:#.*)?$/;

/** The symbol a Kconfig line defines (`config FOO`, `menuconfig FOO`), else null. */
export function definedSymbol(line: string): string | null {
  return DEFINITION.exec(line)?.[1] ?? null;
}

/** Kconfig keywords that start a line whose words may name symbols. */
const ATTRIBUTES = new Set([
  'select',
  'imply',
  'depends',
  'visible',
  'if',
  'default',
  'def_bool',
  'def_tristate',
  'bool',
  'tristate',
  'string',
  'int',
  'hex',
  'prompt',
  'range',
]);
const NOT_SYMBOLS = new Set(['on', 'if', 'y', 'n', 'm']);

/** A Kconfig line without its `#` comment, its quoted strings and its `$(...)` macro calls. */
function kconfigWords(line: string): string {
  let s = '';
  let quote: string | null = null;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k]!;
    if (quote) {
      if (ch === '\\') k++;
      else if (ch === quote) quote = null;
      s += ' ';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      s += ' ';
    } else if (ch === '#') break;
    else s += ch;
  }
  let was: string;
  do {
    was = s;
    s = s.replace(/\$\([^()]*\)/g, ' ');
  } while (s !== was);
  return s;
}

/**
 * The symbols a Kconfig line names. Attributes sit one indentation level in; a deeper line is help
 * text (kernel style puts it a tab and two spaces in), which names nothing.
 */
export function kconfigUses(line: string): SymbolUse[] {
  if (indentOf(line) > 8) return [];
  const words = kconfigWords(line).match(/[A-Za-z0-9_]+/g) ?? [];
  const first = words[0];
  if (first === undefined || !ATTRIBUTES.has(first)) return [];
  const out: SymbolUse[] = [];
  let at = 1;
  if ((first === 'select' || first === 'imply') && words[1] !== undefined) {
    out.push({ symbol: words[1], kind: first });
    at = 2;
  }
  for (const w of words.slice(at)) {
    if (NOT_SYMBOLS.has(w) || /^(?:\d+|0x[0-9a-fA-F]+)$/.test(w)) continue;
    out.push({ symbol: w, kind: 'expr' });
  }
  return out;
}

const CONFIG_WORD = /(?<![\w$])CONFIG_([A-Za-z0-9_]+)/g;

/** `CONFIG_FOO` in a line (C with comments and strings blanked, or a Makefile's): FOO, and FOO for `CONFIG_FOO_MODULE`. */
function configWords(line: string, kind: 'c' | 'make'): SymbolUse[] {
  if (!line.includes('CONFIG_')) return [];
  const out: SymbolUse[] = [];
  for (const m of line.matchAll(CONFIG_WORD)) {
    out.push({ symbol: m[1]!, kind });
    if (m[1]!.endsWith('_MODULE')) out.push({ symbol: m[1]!.slice(0, -7), kind });
  }
  return out;
}

/** The symbols a Makefile line names (its `#` comment left out). */
export function makeUses(line: string): SymbolUse[] {
  const hash = line.indexOf('#');
  return configWords(hash < 0 ? line : line.slice(0, hash), 'make');
}

/** The symbols a C or assembly line names; `code` has comments and strings blanked (directives kept). */
export function cUses(code: string): SymbolUse[] {
  return configWords(code, 'c');
}

/** The symbols one line of a file of that kind names, the line read alone (a tree search's hit). */
export function lineUses(kind: SymbolFile, line: string): SymbolUse[] {
  if (kind === 'kconfig') return definedSymbol(line) === null ? kconfigUses(line) : [];
  if (kind === 'make') return makeUses(line);
  return cUses(codeLines([line])[0] ?? '');
}

const imageCache = new WeakMap<object, SymbolUse[][]>();

/**
 * The symbols each line of an image names. `image` is the key of the cache (an image is read once);
 * `kconfig`, its parse, says where the help texts are.
 */
export function imageUses(
  image: { path: string; lines: readonly string[] },
  kconfig: KconfigFile | null,
): SymbolUse[][] {
  let got = imageCache.get(image);
  if (got) return got;
  const kind = symbolFileOf(image.path);
  const lines = image.lines;
  if (kind === 'kconfig') {
    const help = new Set<number>();
    for (const e of kconfig?.entries ?? []) if (e.help) for (let i = e.help.line; i <= e.help.last; i++) help.add(i);
    got = lines.map((l, i) => (help.has(i) || definedSymbol(l) !== null ? [] : kconfigUses(l)));
  } else if (kind === 'make') got = lines.map(makeUses);
  else if (kind === 'c') got = codeLines(lines).map(cUses);
  else got = lines.map(() => []);
  imageCache.set(image, got);
  return got;
}

/** How a use reads, as a finding names it: `select FOO`, `depends on FOO`, `CONFIG_FOO`. */
export function showUse(u: SymbolUse, line: string): string {
  if (u.kind === 'select' || u.kind === 'imply') return `${u.kind} ${u.symbol}`;
  if (u.kind === 'expr') {
    const first = /^\s*(\w+)/.exec(line)?.[1] ?? '';
    return first === 'depends' ? `depends on ${u.symbol}` : first === 'if' ? `if ${u.symbol}` : u.symbol;
  }
  return `CONFIG_${u.symbol}`;
}

/** What the build does with a use of a symbol nothing defines: the end of a finding's message. */
export function effectOf(kind: SymbolUseKind): string {
  switch (kind) {
    case 'select':
      return 'it selects nothing';
    case 'imply':
      return 'it implies nothing';
    case 'expr':
      return 'it reads as n';
    default:
      return 'it is never set';
  }
}
