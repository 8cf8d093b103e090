// The series step by step: what each patch defines and takes away, and what the tree looks like
// right after each patch. Rules that judge every step (does the kernel build after patch k?) read
// this instead of the state after the whole series (ctx.tree), which hides a break that a later
// patch mends.
//
// Names are found in two ways on purpose. What a patch removes or adds is read from the syntax of
// its images (tree-sitter declarations on the removed / added lines: precise, so a macro call at
// file scope is not taken for a removed prototype). Whether a definition *remains* somewhere is a
// generous regular expression over lines (definesName): it says yes to more than C would, and a
// yes only ever silences a finding.
import type { KernelTree, SeriesContext } from '../../src/engine/rule.js';
import type { FileHistory, FileImage, FileStep, LineOrigin, Segment } from '../../src/source/types.js';
import { declarations, parseCImage, type DeclarationKind, type SourceText } from '../../src/syntax/index.js';
import type { GrepHit } from '../../src/tree/types.js';
import type { Patch } from '../../src/types.js';
import { codeLines } from './code-lines.js';
import { symbolFileOf } from './symbols.js';

/** `3/7` for a numbered patch, else its subject's title: how findings name a step. */
export function stepLabel(p: Patch): string {
  return p.tags.index !== null ? `${p.tags.index}/${p.tags.total ?? '?'}` : `"${p.tags.title.slice(0, 60)}"`;
}

/** The patches of the series in order, when they are a complete numbered run (else null: no steps to judge). */
export function orderedPatches(ctx: SeriesContext): Patch[] | null {
  const patches = ctx.series.patches.filter((p) => p.kind === 'patch');
  if (patches.length < 2) return null;
  const total = ctx.series.total;
  if (total === null || patches.length !== total) return null;
  for (let k = 0; k < patches.length; k++) if (patches[k]!.tags.index !== k + 1) return null;
  return patches;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An identifier as the tree search reads one (`$` counts as part of a name, as in the regex it replaced). */
const WORD = /[A-Za-z_$][\w$]*/g;
const KEYWORDS = /^\s*(?:return|else|case|goto|sizeof|typeof|do|if|while|for|switch)\b/;

const defCache = new Map<string, RegExp[]>();
function defPatterns(name: string): RegExp[] {
  let p = defCache.get(name);
  if (p) return p;
  const n = escape(name);
  p = [
    new RegExp(`^\\s*#\\s*define\\s+${n}\\b`),
    // a function or prototype with its type before it (any indentation: generous)
    new RegExp(`^\\s*(?:[A-Za-z_]\\w*[\\s*]+)+\\**${n}\\s*\\(`),
    // a definition whose type sits on the line above (column 0, not a statement)
    new RegExp(`^${n}\\s*\\((?!.*;\\s*$)`),
    new RegExp(`^\\s*(?:DEFINE|DECLARE)_\\w*\\(\\s*(?:[^,()]*,\\s*)?${n}\\b`),
    // variables, locals included (a local of that name shadows the removed one)
    new RegExp(`^\\s*(?:[A-Za-z_]\\w*[\\s*]+)+\\**${n}\\s*(?:\\[[^\\]]*\\]\\s*)*(?:=|;|,|\\)\\s*;)`),
    new RegExp(`\\btypedef\\b.*\\b${n}\\s*(?:\\[[^\\]]*\\]\\s*)*;`),
    new RegExp(`\\(\\s*\\*\\s*${n}\\s*\\)\\s*\\(`),
    new RegExp(`^\\s*}\\s*${n}\\s*;`),
    // an enumerator (or anything that looks like one: an argument line, a list)
    new RegExp(`^\\s*${n}\\s*(?:=[^,;]*)?,?\\s*$`),
    new RegExp(`\\b(?:struct|union|enum)\\s+${n}\\s*\\{`),
  ];
  defCache.set(name, p);
  return p;
}

/** Whether a code line (comments and strings blanked) may define or declare `name`. Generous. */
export function definesName(line: string, name: string): boolean {
  if (!line.includes(name)) return false;
  if (KEYWORDS.test(line) && !/^\s*#/.test(line)) return false;
  return defPatterns(name).some((re) => re.test(line));
}

const useCache = new Map<string, RegExp>();
/** Whether a code line uses `name` as an identifier (not a member `->name`/`.name`, not a struct tag). */
export function usesName(line: string, name: string): boolean {
  if (!line.includes(name)) return false;
  let re = useCache.get(name);
  if (!re)
    useCache.set(
      name,
      (re = new RegExp(`(?<![\\w$])(?<!->\\s*)(?<!\\.\\s*)(?<!\\b(?:struct|union|enum)\\s+)${escape(name)}(?![\\w$])`)),
    );
  return !/^\s*#/.test(line) && re.test(line) && !definesName(line, name);
}

/** Code lines of an image, with preprocessor lines (directives and their continuations) blanked. */
export function codeOf(lines: readonly string[]): string[] {
  const code = codeLines(lines);
  let cont = false;
  for (let i = 0; i < code.length; i++) {
    const raw = lines[i]!;
    const first = !cont;
    const directive: boolean = cont || /^\s*#/.test(code[i]!);
    cont = directive && /\\\s*$/.test(raw);
    // A #define's first line stays (it defines); its body and every other directive go: a macro is
    // checked where it is expanded, and a name in an #if condition is no use the compiler needs.
    if (directive && !(first && /^\s*#\s*define\b/.test(code[i]!))) code[i] = '';
  }
  return code;
}

const codeCache = new WeakMap<FileImage, string[]>();
export function imageCode(image: FileImage): string[] {
  let c = codeCache.get(image);
  if (!c) codeCache.set(image, (c = codeOf(image.lines)));
  return c;
}

/** One line of a file as the tree stands after some patch. */
export interface LineAt {
  file: string;
  image: FileImage;
  /** Index in `image`. */
  i: number;
  /** 1-based line number in `image`'s side of its patch. */
  line: number;
  code: string;
  raw: string;
  origin: LineOrigin | undefined;
}

export class SeriesSteps {
  readonly patches: readonly Patch[];
  private readonly index = new Map<string, number>();
  constructor(
    readonly ctx: SeriesContext,
    patches: readonly Patch[],
  ) {
    this.patches = patches;
    patches.forEach((p, k) => this.index.set(p.key, k));
  }

  /** 0-based step of a patch; -1 when it is not one of the series' patches. */
  step(p: Patch | string): number {
    return this.index.get(typeof p === 'string' ? p : p.key) ?? -1;
  }

  /** The path of `f` after patch k, or null when it does not exist then. */
  pathAt(f: FileHistory, k: number): string | null {
    const before = f.steps.filter((s) => this.step(s.patch) <= k);
    const last = before[before.length - 1];
    if (last) return last.diff.status === 'deleted' ? null : last.post.path;
    const first = f.steps[0]!;
    return first.diff.status === 'added' ? null : first.pre.path;
  }

  /**
   * The lines of `f` the series lets us see as they stand right after patch k: the image after
   * the last patch <= k that changes it (else before the first that does); for hunk fragments also
   * the lines later patches show that were there already.
   */
  linesAt(f: FileHistory, k: number): LineAt[] {
    const steps = f.steps;
    const before = steps.filter((s) => this.step(s.patch) <= k);
    const last = before[before.length - 1];
    const out: LineAt[] = [];
    const seen = new Set<string>();
    const take = (image: FileImage, filter: (i: number) => boolean) => {
      const code = imageCode(image);
      for (let i = 0; i < image.lines.length; i++) {
        if (!filter(i)) continue;
        const raw = image.lines[i]!;
        if (image.mode === 'fragments') {
          if (seen.has(raw)) continue;
          seen.add(raw);
        }
        out.push({
          file: image.path,
          image,
          i,
          line: image.lineNumber(i),
          code: code[i]!,
          raw,
          origin: image.origins[i],
        });
      }
    };
    let base: FileImage | null;
    if (last) base = last.diff.status === 'deleted' ? null : last.post;
    else base = steps[0]!.diff.status === 'added' ? null : steps[0]!.pre;
    if (base === null) return out;
    take(base, () => true);
    if (base.mode === 'whole') return out;
    for (const s of steps) {
      const j = this.step(s.patch);
      if (j <= k || s.pre === base) continue;
      // A line an earlier later patch added was not there after patch k.
      take(s.pre, (i) => {
        const o = s.pre.origins[i];
        return !(o && o.kind === 'added' && o.patchKey !== null && this.step(o.patchKey) > k);
      });
    }
    return out;
  }

  /** The first patch after step k that removes line `at` (or deletes its file); null when none does. */
  droppedBy(f: FileHistory, k: number, at: LineAt): FileStep | null {
    for (const s of f.steps) {
      if (this.step(s.patch) <= k) continue;
      if (s.diff.status === 'deleted') return s;
      for (const r of s.removed) {
        if (s.pre.lines[r] !== at.raw) continue;
        if (at.image.mode === 'whole' && s.pre.mode === 'whole' && at.origin && s.pre.origins[r] !== at.origin)
          continue;
        return s;
      }
    }
    return null;
  }
}

/** A name a patch defines or takes away, read from the syntax of its images. */
export interface NameEvent {
  name: string;
  kind: DeclarationKind;
  /** Its struct or union, for a field. */
  aggregate: string | null;
  step: FileStep;
  /** Index in the image (pre for a removal, post for an addition). */
  i: number;
}

const DECLARISH =
  /^(?:[A-Za-z_]|\s*#\s*define\s|\s+[A-Za-z_]\w*\s*(?:=[^;]*)?,?\s*$|\s+[A-Za-z_][\w\s*]*[\s*]\(?\**[A-Za-z_]\w*\)?\s*(?:\[[^\]]*\]\s*)*(?:\([^()]*\))?\s*;\s*$)/;

const WANTED: ReadonlySet<DeclarationKind> = new Set([
  'function',
  'prototype',
  'macro',
  'enumerator',
  'typedef',
  'variable',
  'field',
]);

const eventCache = new WeakMap<FileStep, { removed: NameEvent[]; added: NameEvent[] }>();

/** What one file step of a patch removes and adds (C files only). Computed once per step. */
export function nameEvents(ctx: SeriesContext, step: FileStep): { removed: NameEvent[]; added: NameEvent[] } {
  let got = eventCache.get(step);
  if (!got) eventCache.set(step, (got = computeEvents(ctx, step)));
  return got;
}

function computeEvents(ctx: SeriesContext, step: FileStep): { removed: NameEvent[]; added: NameEvent[] } {
  const removed: NameEvent[] = [];
  const added: NameEvent[] = [];
  if (!/\.(c|h)$/.test(step.post.path) && !/\.(c|h)$/.test(step.pre.path)) return { removed, added };
  const status = step.diff.status;
  const gone = new Set(step.removed);
  // Parse only what may declare at file scope or in an enum / struct: a line starting in column 0,
  // a #define, or an indented line that reads as an enumerator or a member.
  const worth = (image: FileImage, pick: (i: number) => boolean) => {
    const code = imageCode(image);
    for (let i = 0; i < code.length; i++) if (pick(i) && DECLARISH.test(code[i]!)) return true;
    return false;
  };
  const sides: { image: FileImage; pick: (i: number) => boolean; out: NameEvent[] }[] = [];
  if (status !== 'added' && (status === 'deleted' || (gone.size && worth(step.pre, (i) => gone.has(i))))) {
    sides.push({ image: step.pre, pick: (i) => status === 'deleted' || gone.has(i), out: removed });
  }
  if (status !== 'deleted' && worth(step.post, (i) => step.post.addedHere(i))) {
    sides.push({ image: step.post, pick: (i) => step.post.addedHere(i), out: added });
  }
  for (const side of sides) {
    const { image, pick, out } = side;
    // A whole file changed in a few places is read through its hunks: parsing the whole file for
    // each step of a long series costs more than the rest of the rule.
    const whole = image.mode === 'whole' && status !== 'added' && status !== 'deleted';
    const view = whole ? hunkView(step, image) : null;
    const c = view ? parseCImage(view.text) : ctx.syntax.c(image);
    if (!c) continue;
    const code = imageCode(image);
    for (const d of declarations(c)) {
      if (!WANTED.has(d.kind)) continue;
      const at = c.line(d.unit, d.node);
      const i = at === null ? null : view ? view.toImage[at]! : at;
      if (i === null || i === undefined || !pick(i)) continue;
      if (d.kind !== 'field' && !confirms(code, i, d.name)) continue;
      out.push({ name: d.name, kind: d.kind, aggregate: d.aggregate, step, i });
    }
  }
  return { removed, added };
}

/** The lines the hunks of `step` show on `image`'s side, as fragments, with each one's index in the image. */
function hunkView(step: FileStep, image: FileImage): { text: SourceText; toImage: number[] } {
  const lines: string[] = [];
  const toImage: number[] = [];
  const segments: Segment[] = [];
  const pre = image.side === 'pre';
  // Where the changed lines really are (a hunk may have applied at an offset): in order, the
  // removed lines of the pre-image, the added lines of the post-image.
  const changed = pre
    ? [...step.removed].sort((a, b) => a - b)
    : image.lines.map((_, i) => i).filter((i) => image.addedHere(i));
  let next = 0;
  let delta = 0;
  for (const h of step.diff.hunks) {
    const start = lines.length;
    const mine = (l: { kind: string }) => l.kind === (pre ? 'del' : 'add');
    const first = h.lines.find(mine);
    if (first) {
      const n = (pre ? first.oldLine : first.newLine) ?? 0;
      if (changed[next] !== undefined) delta = changed[next]! - (n - 1);
      next += h.lines.filter(mine).length;
    }
    for (const l of h.lines) {
      if (l.kind === (pre ? 'add' : 'del')) continue;
      const n = pre ? l.oldLine : l.newLine;
      if (n === null) continue;
      const i = n - 1 + delta;
      if (i < 0 || i >= image.lines.length) continue;
      lines.push(image.lines[i]!);
      toImage.push(i);
    }
    if (lines.length > start) segments.push({ start, end: lines.length, hunk: h });
  }
  const text: SourceText = {
    path: image.path,
    lines,
    segments,
    addedHere: (i) => image.addedHere(toImage[i]!),
    text: () => lines.join('\n'),
  };
  return { text, toImage };
}

/** The declaration line reads as one (its name with a type before it, a #define, ...): not a macro call taken for a prototype. */
function confirms(code: readonly string[], i: number, name: string): boolean {
  const line = code[i] ?? '';
  if (/^\s*#\s*define\b/.test(line)) return new RegExp(`^\\s*#\\s*define\\s+${escape(name)}\\b`).test(line);
  if (!definesName(line, name)) return false;
  // `NAME(...)` alone at column 0 is a definition only when the line above gives it a type.
  if (new RegExp(`^${escape(name)}\\s*\\(`).test(line))
    return /[\w*]\s*$/.test(code[i - 1] ?? '') && !/[;{}]\s*$/.test(code[i - 1] ?? '');
  return true;
}

/** Paths a rule does not count as kernel code: docs, scripts, user-space tools (their test modules excepted). */
export function notKernelCode(path: string): boolean {
  if (path.startsWith('tools/')) return !/^tools\/testing\/(nvdimm|cxl)\//.test(path);
  return /^(Documentation|scripts|samples|usr)\//.test(path) || /\/configs\//.test(path);
}

/** The architecture directory a path sits in (`arch/x86/`), or '' for generic code. */
export function archOf(path: string): string {
  const m = /^arch\/[^/]+\//.exec(path);
  return m ? m[0] : '';
}

const MAX_HITS = 4000;

export type Mentions = Map<string, GrepHit[] | 'too-many'>;

interface TreeNameIndex {
  /** C names: their whole-word mentions in C and assembly files. */
  names: Mentions;
  /** Kconfig symbols: where Kconfig files, C, assembly and Makefiles name them (symbols.ts). */
  symbols: Mentions;
}
const treeIndexes = new WeakMap<object, TreeNameIndex>();

const C_FILES = ['*.c', '*.h', '*.S'];
const BUILD_FILES = ['*Kconfig*', '*Makefile*', '*Kbuild*'];
/** Patterns a search takes at once: git grep -F costs about the same per pattern either way. */
const CHUNK = 200;

/**
 * Where the base tree mentions each C name (in C and assembly files) and each Kconfig symbol (in
 * Kconfig files as FOO, in C, assembly and Makefiles as CONFIG_FOO): one `git grep -F` for every
 * name and symbol not asked before in this run (the index lives as long as the tree), whatever
 * rule or series asks. git grep's time grows with the number of patterns, not with the hits: ask
 * for what can change a verdict, all at once. A name mentioned more than a few thousand times is
 * 'too-many': too common to judge by text.
 */
export function treeLookup(
  tree: KernelTree,
  names: Iterable<string>,
  symbols: Iterable<string> = [],
): { names: Mentions; symbols: Mentions } {
  let index = treeIndexes.get(tree);
  if (!index) treeIndexes.set(tree, (index = { names: new Map(), symbols: new Map() }));
  const wantNames = [...new Set(names)];
  const wantSymbols = [...new Set(symbols)];
  const missingNames = wantNames.filter((n) => !index.names.has(n));
  const missingSymbols = wantSymbols.filter((n) => !index.symbols.has(n));
  if (missingNames.length || missingSymbols.length) {
    const gotNames = new Map<string, GrepHit[]>(missingNames.map((n) => [n, []]));
    const gotSymbols = new Map<string, GrepHit[]>(missingSymbols.map((n) => [n, []]));
    const patterns = covering([...missingNames, ...missingSymbols]);
    const pathspecs = missingSymbols.length ? [...C_FILES, ...BUILD_FILES] : C_FILES;
    for (let at = 0; at < patterns.length; at += CHUNK) {
      for (const h of tree.grep(patterns.slice(at, at + CHUNK), pathspecs, { fixed: true })) {
        if (notKernelCode(h.path)) continue;
        const kind = symbolFileOf(h.path);
        if (kind === null) continue;
        // A line's whole words, each looked up once: a name inside a longer identifier is no mention.
        const words = new Set(h.text.match(WORD) ?? []);
        const named = new Set<string>();
        for (const w of words) {
          if (kind === 'c') gotNames.get(w)?.push(h);
          const symbol = kind === 'kconfig' ? w : w.startsWith('CONFIG_') ? w.slice(7) : null;
          if (symbol === null) continue;
          named.add(symbol);
          // CONFIG_FOO_MODULE (a tristate's =m) names FOO too.
          if (kind !== 'kconfig' && symbol.endsWith('_MODULE')) named.add(symbol.slice(0, -7));
        }
        for (const symbol of named) gotSymbols.get(symbol)?.push(h);
      }
    }
    for (const [n, list] of gotNames) index.names.set(n, list.length > MAX_HITS ? 'too-many' : list);
    for (const [n, list] of gotSymbols) index.symbols.set(n, list.length > MAX_HITS ? 'too-many' : list);
  }
  const pick = (from: Mentions, want: string[]): Mentions =>
    new Map(
      want.flatMap((n) => {
        const h = from.get(n);
        return h === undefined ? [] : [[n, h] as const];
      }),
    );
  return { names: pick(index.names, wantNames), symbols: pick(index.symbols, wantSymbols) };
}

/**
 * The fewest fixed strings whose hits hold every line with one of `words`: a word that contains
 * another (`pfn_t_to_page`, `pfn_t`) is found by the shorter one's search, at no cost.
 */
export function covering(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of [...new Set(words)].sort((a, b) => a.length - b.length || (a < b ? -1 : 1)))
    if (!out.some((o) => w.includes(o))) out.push(w);
  return out;
}

/** Where the base tree mentions each C name: treeLookup's names. */
export function treeMentions(tree: KernelTree, names: Iterable<string>): Mentions {
  return treeLookup(tree, names).names;
}

/** Every path the series touches, before and after each step. */
export function touchedPaths(ctx: SeriesContext): Set<string> {
  return new Set(ctx.source().files.flatMap((f) => [f.path, ...f.steps.flatMap((s) => [s.pre.path, s.post.path])]));
}
