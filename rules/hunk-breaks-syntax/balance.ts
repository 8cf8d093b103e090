// The lexical half of hunk-breaks-syntax: what a run of C lines opens and closes, and operators
// left without their right operand. Cheap (no parse), so every hunk gets it; only a hunk it
// flags is parsed. Comments, strings, preprocessor lines (with their `\` continuations) and the
// branches a compiler may not see (`#else`/`#elif`, `#if 0`) do not count: duplicated openers in
// `#if A ... { #else ... { #endif` are how kernel code is written, not a defect.

/** Opened minus closed: `(`, `[`, `{`. */
export type Counts = [number, number, number];
export const KINDS = ['(', '[', '{'] as const;

export interface Scanned {
  /** What each line contributes (zeros for lines that do not count). */
  perLine: Counts[];
  total: Counts;
  /**
   * The same with every branch counted: a patch that moves #if lines (a group's #else now in
   * another place) shifts the branch-aware count without breaking anything, and leaves this one as it
   * was. A real imbalance shows in both.
   */
  all: Counts;
  /** Code text of each line (comments and string contents blanked; '' for lines that do not count). */
  code: string[];
}

/**
 * Where a file's #if groups stand after a stretch, carried to the next stretch of the same side
 * (the next hunk): an #else in one hunk and its #endif in the next are one group.
 */
export interface PreprocState {
  /** For each open group, whether its lines are skipped (an #else branch or #if 0). */
  groups: boolean[];
  /** For each open group, whether a branch of it was counted already (not so after `#if 0`). */
  live: boolean[];
  /**
   * Inside the other branch of a group whose #if no stretch showed (an unmatched #else): skipped
   * until its #endif. Lines before an unmatched #else are one branch, and counted.
   */
  skipOuter: boolean;
}

export function newState(): PreprocState {
  return { groups: [], live: [], skipOuter: false };
}

/** Reads `lines` in order, as one stretch of a file (a hunk's pre- or post-image side). */
export function scan(lines: readonly string[], state: PreprocState = newState()): Scanned {
  const perLine: Counts[] = [];
  const every: Counts[] = [];
  const code: string[] = [];
  // A first line that continues a block comment (` * text`) starts inside it.
  let block = lines.length > 0 && /^\s*\*(\s|\/|$)/.test(lines[0]!) && !lines[0]!.includes('/*');
  // A stretch that starts inside a multi-line macro: its lines end with `\` up to the macro's last.
  let continued = lines.length > 0 && /\\\s*$/.test(lines[0]!) && !/^\s*#/.test(lines[0]!);
  const { groups, live } = state;
  /** The quote of a string literal the previous line left open with a `\`. */
  let quote: string | null = null;
  // Whether the stretch opened a comment yet: before it does, a `*/` means the stretch began inside one.
  let opened = false;
  for (const line of lines) {
    const zero: Counts = [0, 0, 0];
    const startsInComment = block;
    // A `#` inside a string continued from the line above (generated code templates) is text.
    const isPreproc = continued || (!block && quote === null && /^\s*#/.test(line));
    const skipped = state.skipOuter || groups.some((s) => s);
    let s = '';
    let sawClose = false;
    let k0 = 0;
    if (quote !== null) {
      const q: string = quote;
      quote = null;
      for (; k0 < line.length && line[k0] !== q; k0++) if (line[k0] === '\\') k0++;
      if (k0 >= line.length && /\\\s*$/.test(line)) quote = q;
      s = ' '.repeat(Math.min(k0 + 1, line.length));
      k0++;
    }
    // Directive lines too: a comment opened after `#define X 1 /*` goes on below it.
    for (let k = k0; k < line.length; k++) {
      const ch = line[k]!;
      if (block) {
        if (ch === '*' && line[k + 1] === '/') {
          block = false;
          k++;
        }
        s += ' ';
      } else if (ch === '*' && line[k + 1] === '/' && !opened) {
        // A comment closes that the stretch never saw open: everything so far was comment text.
        sawClose = true;
        k++;
        s = '';
      } else if (ch === '/' && line[k + 1] === '*') {
        block = true;
        opened = true;
        k++;
        s += '  ';
      } else if (ch === '/' && line[k + 1] === '/') break;
      else if (ch === '"' || ch === "'") {
        s += ch;
        for (k++; k < line.length && line[k] !== ch; k++) {
          if (line[k] === '\\') k++;
          s += ' ';
        }
        // A string continued on the next line with a `\` (a long literal in generated headers).
        if (k >= line.length && /\\\s*$/.test(line)) quote = ch;
        else s += ch;
      } else s += ch;
    }
    if (sawClose) {
      for (const c of perLine) c.fill(0);
      for (const c of every) c.fill(0);
      code.fill('');
    }
    // A directive goes on past a `\` at the end of its line, and past a comment it opened (a macro
    // body's comment needs no `\`); in C code a `\` (an enum value split over lines) changes nothing.
    continued = isPreproc && (block || /\\\s*$/.test(line));
    if (isPreproc) {
      if (!startsInComment) directive(line);
      perLine.push(zero);
      every.push(zero);
      code.push('');
      continue;
    }
    const c: Counts = [0, 0, 0];
    for (const ch of s) {
      if (ch === '(') c[0]++;
      else if (ch === ')') c[0]--;
      else if (ch === '[') c[1]++;
      else if (ch === ']') c[1]--;
      else if (ch === '{') c[2]++;
      else if (ch === '}') c[2]--;
    }
    every.push(c);
    perLine.push(skipped ? zero : c);
    code.push(skipped ? '' : s);
  }
  const total: Counts = [0, 0, 0];
  for (const c of perLine) for (let k = 0; k < 3; k++) total[k]! += c[k]!;
  const all: Counts = [0, 0, 0];
  for (const c of every) for (let k = 0; k < 3; k++) all[k]! += c[k]!;
  return { perLine, total, all, code };

  function directive(line: string): void {
    const m = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/.exec(line);
    if (!m) return;
    const [, d, rest] = m;
    if (d === 'if' || d === 'ifdef' || d === 'ifndef') {
      const never = d === 'if' && /^\s*0\s*(\/[*/].*)?$/.test(rest ?? '');
      groups.push(never);
      live.push(!never);
    } else if (d === 'elif' || d === 'else') {
      // The branch after `#if 0` is the one compiled; after any other, a second one.
      if (groups.length) {
        groups[groups.length - 1] = live[live.length - 1]!;
        live[live.length - 1] = true;
      } else state.skipOuter = true;
    } else if (groups.length) {
      groups.pop();
      live.pop();
    } else state.skipOuter = false;
  }
}

/**
 * An operator with a left operand and no right one: `a ||)`, `f(a ||, b)`, `x == ;`, `a &&` at the end of a line
 * whose next code line starts with `)` or `;`. An operator alone between commas is a macro argument
 * (`KUNIT_BINARY_ASSERTION(test, a, ==, b)`), not a defect.
 */
export function danglingOperator(code: readonly string[], i: number): string | null {
  const line = code[i]!;
  const inLine = /[\w)\]]\s*(\|\||&&|==|!=|<=|>=)\s*([)\];},])/.exec(line);
  if (inLine && !(inLine[2] === ')' && macroArgument(line, inLine.index, inLine.index + inLine[0].length)))
    return inLine[1]!;
  const atEnd = /[\w)\]]\s*(\|\||&&|==|!=)\s*$/.exec(line);
  if (!atEnd) return null;
  for (let j = i + 1; j < code.length; j++) {
    const next = code[j]!.trim();
    if (next === '') continue;
    return /^[)\];}]/.test(next) ? atEnd[1]! : null;
  }
  return null;
}

/**
 * The operator at `at` ends the argument of an upper-case macro whose call is glued to the next
 * operand without an operator (`if ( DEB( debugging || ) !inited)`, drivers/scsi/st.c: a debug macro
 * that expands to half an expression or to nothing). `VM_BUG_ON(a ||);` is no such thing.
 */
function macroArgument(line: string, at: number, after: number): boolean {
  if (!/^\s*[!\w(]/.test(line.slice(after))) return false;
  let depth = 0;
  for (let k = at; k >= 0; k--) {
    if (line[k] === ')') depth++;
    else if (line[k] === '(') {
      if (depth === 0) return /\b[A-Z][A-Z0-9_]*\s*$/.test(line.slice(0, k));
      depth--;
    }
  }
  return false;
}
