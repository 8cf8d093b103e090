// One image of a C file as syntax: a tree per segment (the whole file, or each hunk of a
// fragment image), with the mapping from tree rows back to image lines.
import type { Segment } from '../source/types.js';
import { parseC, type SyntaxNode, type Tree } from './parser.js';
import { preprocBranches, type Branches } from './preproc.js';
import type { SourceText } from './text.js';

export interface CUnit {
  segment: Segment;
  tree: Tree;
  root: SyntaxNode;
  /**
   * Synthetic lines put before the segment so a fragment cut from the middle of a function
   * or a comment parses as what it is (see prelude()). Tree rows below this are not image lines.
   */
  prelude: number;
  /** Name of the function the hunk header names when the fragment starts inside a body. */
  contextFunction: string | null;
}

export interface CFile {
  image: SourceText;
  units: readonly CUnit[];
  /** Conditional-compilation branches by image line. */
  branches: Branches;
  /** Image line (0-based) where `node` starts; null when it starts in a synthetic prelude line. */
  line(unit: CUnit, node: SyntaxNode): number | null;
  /** The image line, clamped into the segment for nodes that start in the prelude. */
  lineClamped(unit: CUnit, node: SyntaxNode): number;
}

export function isCPath(path: string): boolean {
  return /\.(c|h)$/.test(path);
}

export const FRAGMENT_FUNCTION = '__zdcheck_fragment';

export function parseCImage(image: SourceText): CFile {
  const units: CUnit[] = [];
  for (const segment of image.segments) {
    const whole = segment.hunk === null;
    const lines = whole ? null : blankUnmatched(image.lines.slice(segment.start, segment.end));
    const pre = lines && segment.hunk ? prelude(lines, segment.hunk.header) : { lines: [], contextFunction: null };
    const body = lines ? [...pre.lines, ...lines] : null;
    const closers = body ? '}\n'.repeat(openBraces(body)) : '';
    const text = maskAnnotations((body ? body.join('\n') : image.text()) + '\n' + closers);
    const tree = parseC(text);
    units.push({ segment, tree, root: tree.rootNode, prelude: pre.lines.length, contextFunction: pre.contextFunction });
  }
  const line = (unit: CUnit, node: SyntaxNode): number | null => {
    const row = node.startPosition.row - unit.prelude;
    if (row < 0 || unit.segment.start + row >= unit.segment.end) return null;
    return unit.segment.start + row;
  };
  return {
    image,
    units,
    branches: preprocBranches(image),
    line,
    lineClamped: (unit, node) =>
      Math.min(unit.segment.end - 1, unit.segment.start + Math.max(0, node.startPosition.row - unit.prelude)),
  };
}

// Kernel annotations that expand to attributes or nothing. tree-sitter does not know them
// and would turn each declaration they sit in into an ERROR, so they are blanked with spaces
// (same length: rows and columns stay true to the image).
const ANNOTATIONS = new RegExp(
  '\\b(?:' +
    [
      '__weak',
      '__init',
      '__exit',
      '__meminit',
      '__meminitdata',
      '__initdata',
      '__initconst',
      '__exitdata',
      '__ref',
      '__refdata',
      '__always_inline',
      '__must_check',
      '__cold',
      '__hot',
      '__maybe_unused',
      '__always_unused',
      '__used',
      'notrace',
      '__sched',
      '__read_mostly',
      '__ro_after_init',
      '__user',
      '__iomem',
      '__rcu',
      '__percpu',
      '__force',
      '__bitwise',
      '__nocast',
      '__kprobes',
      'noinline',
      '__noreturn',
      '__pure',
      '__visible',
      'asmlinkage',
      '__latent_entropy',
      '__noclone',
      '__packed',
      '__aligned\\([^()]*\\)',
      '__section\\([^()]*\\)',
      '__printf\\([^()]*\\)',
      '__malloc',
      'noinstr',
      '__acquires\\([^()]*\\)',
      '__releases\\([^()]*\\)',
      '__must_hold\\([^()]*\\)',
      '__cacheline_aligned(?:_in_smp)?',
      '__no_sanitize_address',
      '__nocfi',
      '__init_or_module',
      '__devinit',
      '__cpuinit',
      '__safe',
    ].join('|') +
    ')(?![\\w])',
  'g',
);

export function maskAnnotations(text: string): string {
  return text.replace(ANNOTATIONS, (m) => ' '.repeat(m.length));
}

/**
 * A fragment may show an #else/#elif/#endif whose #if lies outside it; tree-sitter turns
 * the code around such a line into ERROR. The branches are known from the lines
 * (preprocBranches), so for parsing these directives become blank lines.
 */
function blankUnmatched(lines: string[]): string[] {
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b/.exec(lines[i]!);
    if (!m) continue;
    if (m[1]!.startsWith('if')) depth++;
    else if (m[1] === 'endif' && depth > 0) depth--;
    else if (depth === 0) lines[i] = '';
  }
  return lines;
}

/** Braces a fragment leaves open (strings, chars and comments skipped), to close after it. */
function openBraces(lines: readonly string[]): number {
  let depth = 0;
  let block = false;
  for (const line of lines) {
    for (let k = 0; k < line.length; k++) {
      const ch = line[k]!;
      if (block) {
        if (ch === '*' && line[k + 1] === '/') {
          block = false;
          k++;
        }
      } else if (ch === '/' && line[k + 1] === '*') {
        block = true;
        k++;
      } else if (ch === '/' && line[k + 1] === '/') break;
      else if (ch === '"' || ch === "'") {
        for (k++; k < line.length && line[k] !== ch; k++) if (line[k] === '\\') k++;
      } else if (ch === '{') depth++;
      else if (ch === '}' && depth > 0) depth--;
    }
  }
  return depth;
}

const COMMENT_CONTINUATION = /^\s*\*(\s|\/|$)/;

/**
 * What a fragment needs in front of it to parse as it sits in the file. A hunk that starts
 * inside a block comment gets `/*`; one whose first code line is indented sits inside a
 * block — the enum/struct/initializer its `@@` header names when that line opens one, else
 * a function body (kernel style indents nothing at file scope).
 */
export function prelude(lines: readonly string[], header: string): { lines: string[]; contextFunction: string | null } {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  if (i < lines.length && COMMENT_CONTINUATION.test(lines[i]!) && !lines[i]!.includes('/*')) {
    out.push('/*');
    while (i < lines.length && !lines[i]!.includes('*/')) i++;
    i++;
  }
  let code: string | undefined;
  for (let inComment = false; i < lines.length; i++) {
    const t = lines[i]!;
    if (inComment) {
      if (t.includes('*/')) inComment = false;
      continue;
    }
    const trimmed = t.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('//')) continue;
    if (trimmed.startsWith('/*')) {
      if (!trimmed.includes('*/')) inComment = true;
      continue;
    }
    code = t;
    break;
  }
  const ctx = header.replace(/^@@[^@]*@@\s?/, '').trimEnd();
  // A hunk that opens a function body (`{` alone at column 0) follows the signature git put in
  // its `@@` header: put the signature back, so the body's parameters and scope are in view.
  if (code?.trim() === '{' && !/^\s/.test(code) && /^[A-Za-z_][\w\s*]*\([^;{}]*\)$/.test(ctx)) {
    return { lines: [ctx, ...out], contextFunction: /([A-Za-z_]\w*)\s*\(/.exec(ctx)?.[1] ?? null };
  }
  if (code === undefined || !/^\s/.test(code)) return { lines: out, contextFunction: null };
  if (ctx.endsWith('{') && !/\)\s*\{$/.test(ctx)) return { lines: [ctx, ...out], contextFunction: null };
  const name = /([A-Za-z_]\w*)\s*\(/.exec(ctx)?.[1] ?? null;
  return { lines: [`void ${FRAGMENT_FUNCTION}(void) {`, ...out], contextFunction: name };
}
