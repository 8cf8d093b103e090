// Build conditions as formulas: a preprocessor `#if` expression or a Kconfig `depends on` read
// into and/or/not over configuration symbols, so that "is this line compiled while that
// declaration is not?" becomes a question a small solver answers. What cannot be read (a
// comparison, an architecture macro such as __HAVE_ARCH_PTE_DEVMAP) stays an opaque atom: a free
// variable, the same one wherever the same text appears.

export type Formula =
  | { readonly k: 'const'; readonly v: boolean }
  /** A configuration symbol, without its CONFIG_ prefix: `ZONE_DEVICE`. */
  | { readonly k: 'sym'; readonly name: string }
  /** Something the reader cannot interpret, by its text. */
  | { readonly k: 'opaque'; readonly text: string }
  | { readonly k: 'not'; readonly a: Formula }
  | { readonly k: 'and'; readonly a: readonly Formula[] }
  | { readonly k: 'or'; readonly a: readonly Formula[] };

export const TRUE: Formula = { k: 'const', v: true };
export const FALSE: Formula = { k: 'const', v: false };

export const sym = (name: string): Formula => ({ k: 'sym', name: name.replace(/^CONFIG_/, '') });

export function not(a: Formula): Formula {
  if (a.k === 'const') return a.v ? FALSE : TRUE;
  if (a.k === 'not') return a.a;
  return { k: 'not', a };
}

/** A key equal for equal formulas, to drop repeats from and/or. */
const keyOf = (f: Formula): string => JSON.stringify(f);

export function and(...parts: Formula[]): Formula {
  const a: Formula[] = [];
  const seen = new Set<string>();
  for (const p of parts) {
    if (p.k === 'const') {
      if (!p.v) return FALSE;
      continue;
    }
    for (const x of p.k === 'and' ? p.a : [p]) {
      const k = keyOf(x);
      if (!seen.has(k)) {
        seen.add(k);
        a.push(x);
      }
    }
  }
  return a.length === 0 ? TRUE : a.length === 1 ? a[0]! : { k: 'and', a };
}

export function or(...parts: Formula[]): Formula {
  const a: Formula[] = [];
  const seen = new Set<string>();
  for (const p of parts) {
    if (p.k === 'const') {
      if (p.v) return TRUE;
      continue;
    }
    for (const x of p.k === 'or' ? p.a : [p]) {
      const k = keyOf(x);
      if (!seen.has(k)) {
        seen.add(k);
        a.push(x);
      }
    }
  }
  return a.length === 0 ? FALSE : a.length === 1 ? a[0]! : { k: 'or', a };
}

export const implies = (a: Formula, b: Formula): Formula => or(not(a), b);

/** How a formula reads in a message: `ZONE_DEVICE && !DEVICE_PRIVATE`. */
export function show(f: Formula, parent: 'and' | 'or' | 'not' | null = null): string {
  switch (f.k) {
    case 'const':
      return f.v ? 'y' : 'n';
    case 'sym':
      return f.name;
    case 'opaque':
      return f.text;
    case 'not':
      return `!${show(f.a, 'not')}`;
    case 'and': {
      const s = f.a.map((x) => show(x, 'and')).join(' && ');
      return parent === 'not' || parent === 'or' ? `(${s})` : s;
    }
    case 'or': {
      const s = f.a.map((x) => show(x, 'or')).join(' || ');
      return parent === 'and' || parent === 'not' ? `(${s})` : s;
    }
  }
}

/** The configuration symbols a formula names. */
export function symbols(f: Formula, out = new Set<string>()): Set<string> {
  if (f.k === 'sym') out.add(f.name);
  else if (f.k === 'not') symbols(f.a, out);
  else if (f.k === 'and' || f.k === 'or') for (const x of f.a) symbols(x, out);
  return out;
}

/** Every atom (symbols as `sym:X`, opaque ones as `op:text`). */
function atoms(f: Formula, out = new Set<string>()): Set<string> {
  if (f.k === 'sym') out.add(`sym:${f.name}`);
  else if (f.k === 'opaque') out.add(`op:${f.text}`);
  else if (f.k === 'not') atoms(f.a, out);
  else if (f.k === 'and' || f.k === 'or') for (const x of f.a) atoms(x, out);
  return out;
}

type Tri = boolean | null;

/** Kleene's three-valued logic: null where the assignment does not decide. */
function evaluate3(f: Formula, value: (atom: string) => Tri): Tri {
  switch (f.k) {
    case 'const':
      return f.v;
    case 'sym':
      return value(`sym:${f.name}`);
    case 'opaque':
      return value(`op:${f.text}`);
    case 'not': {
      const a = evaluate3(f.a, value);
      return a === null ? null : !a;
    }
    case 'and': {
      let unknown = false;
      for (const x of f.a) {
        const v = evaluate3(x, value);
        if (v === false) return false;
        if (v === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case 'or': {
      let unknown = false;
      for (const x of f.a) {
        const v = evaluate3(x, value);
        if (v === true) return true;
        if (v === null) unknown = true;
      }
      return unknown ? null : false;
    }
  }
}

/** Most steps a question may take before the answer is 'unknown'. */
export const MAX_STEPS = 50_000;

/**
 * A configuration (an assignment of the symbols) under which `f` holds whatever the opaque atoms
 * of `f` are, and every constraint holds (its own opaque atoms free); null when there is none,
 * 'unknown' when the search ran out of steps. "Whatever the opaque atoms are" keeps the answer
 * honest: an #if the reader cannot interpret never makes the case (they stay undecided, and an
 * undecided formula is not a witness).
 */
export function witness(
  f: Formula,
  constraints: readonly Formula[] = [],
  maxSteps = MAX_STEPS,
): Map<string, boolean> | null | 'unknown' {
  const all = and(f, ...constraints);
  const fixedUnknown = new Set([...atoms(f)].filter((a) => a.startsWith('op:')));
  const branchable = [...atoms(all)].filter((a) => !fixedUnknown.has(a));
  const assigned = new Map<string, boolean>();
  const value = (a: string): Tri => assigned.get(a) ?? null;
  let steps = 0;
  const search = (k: number): boolean | 'unknown' => {
    if (++steps > maxSteps) return 'unknown';
    const v = evaluate3(all, value);
    if (v === false) return false;
    if (v === true) return true;
    if (k === branchable.length) return false;
    const atom = branchable[k]!;
    for (const choice of [true, false]) {
      assigned.set(atom, choice);
      const r = search(k + 1);
      if (r !== false) return r;
    }
    assigned.delete(atom);
    return false;
  };
  const r = search(0);
  if (r === 'unknown') return 'unknown';
  return r ? new Map([...assigned].filter(([a]) => a.startsWith('sym:'))) : null;
}

// ---- reading C preprocessor conditions ------------------------------------------------------

type Token = { t: 'id' | 'num' | 'op' | '(' | ')'; v: string };

function tokenize(text: string): Token[] | null {
  const out: Token[] = [];
  const re =
    /\s*(?:([A-Za-z_]\w*)|(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|(&&|\|\||==|!=|<=|>=|<<|>>|[!<>+\-*/%&|^~?:])|(\()|(\)))/y;
  let at = 0;
  text = text.trim();
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m || m[0].length === 0) return null;
    at = re.lastIndex;
    if (m[1]) out.push({ t: 'id', v: m[1] });
    else if (m[2]) out.push({ t: 'num', v: m[2] });
    else if (m[3]) out.push({ t: 'op', v: m[3] });
    else if (m[4]) out.push({ t: '(', v: '(' });
    else out.push({ t: ')', v: ')' });
    while (at < text.length && /\s/.test(text[at]!)) at++;
  }
  return out;
}

const CONFIG_TESTS = new Set(['IS_ENABLED', 'IS_BUILTIN', 'IS_REACHABLE', 'IS_MODULE']);
const COMPARISON = new Set([
  '==',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '<<',
  '>>',
  '?',
  ':',
]);

/**
 * A `#if`/`#elif` expression (or `defined(X)` for #ifdef) as a formula over CONFIG_ symbols.
 * `defined(CONFIG_X)`, `IS_ENABLED(CONFIG_X)` and a bare `CONFIG_X` are the symbol X; other macros
 * and arithmetic are opaque atoms; text that does not read as an expression is one opaque atom.
 */
export function parseCondition(text: string): Formula {
  const tokens = tokenize(text);
  const whole: Formula = { k: 'opaque', text: text.replace(/\s+/g, ' ').trim() };
  if (!tokens || tokens.length === 0) return whole;
  let i = 0;
  const peek = () => tokens[i];
  const source = (from: number, to: number) =>
    tokens
      .slice(from, to)
      .map((t) => t.v)
      .join(' ');

  const primary = (): Formula | null => {
    const t = peek();
    if (!t) return null;
    if (t.t === 'op' && (t.v === '!' || t.v === '~')) {
      i++;
      const a = primary();
      return a && (t.v === '!' ? not(a) : { k: 'opaque', text: `~${show(a)}` });
    }
    if (t.t === '(') {
      i++;
      const a = expr();
      if (peek()?.t !== ')') return null;
      i++;
      return a;
    }
    if (t.t === 'id' && (t.v === 'defined' || CONFIG_TESTS.has(t.v))) {
      i++;
      let name: string | undefined;
      if (peek()?.t === '(') {
        i++;
        name = peek()?.t === 'id' ? tokens[i++]!.v : undefined;
        if (peek()?.t !== ')') return null;
        i++;
      } else if (t.v === 'defined' && peek()?.t === 'id') name = tokens[i++]!.v;
      if (!name) return null;
      return name.startsWith('CONFIG_') ? sym(name) : { k: 'opaque', text: `defined(${name})` };
    }
    if (t.t === 'id') {
      i++;
      // A function-like macro call: opaque, with its arguments.
      if (peek()?.t === '(') {
        const from = i - 1;
        let depth = 0;
        for (; i < tokens.length; i++) {
          if (tokens[i]!.t === '(') depth++;
          else if (tokens[i]!.t === ')' && --depth === 0) break;
        }
        i++;
        return { k: 'opaque', text: source(from, i) };
      }
      return t.v.startsWith('CONFIG_') ? sym(t.v) : { k: 'opaque', text: t.v };
    }
    if (t.t === 'num') {
      i++;
      return Number(t.v) === 0 ? FALSE : TRUE;
    }
    return null;
  };

  /** A primary followed by arithmetic or a comparison: one opaque atom of its text. */
  const operand = (): Formula | null => {
    const from = i;
    const a = primary();
    if (!a) return null;
    const next = peek();
    if (next?.t === 'op' && COMPARISON.has(next.v)) {
      for (let t = peek(); t && !(t.t === 'op' && (t.v === '&&' || t.v === '||')) && t.t !== ')'; t = peek()) {
        if (t.t === '(') {
          let depth = 0;
          for (; i < tokens.length; i++) {
            if (tokens[i]!.t === '(') depth++;
            else if (tokens[i]!.t === ')' && --depth === 0) break;
          }
        }
        i++;
      }
      return { k: 'opaque', text: source(from, i) };
    }
    return a;
  };

  const conj = (): Formula | null => {
    const parts: Formula[] = [];
    for (;;) {
      const a = operand();
      if (!a) return null;
      parts.push(a);
      const next = peek();
      if (next?.t === 'op' && next.v === '&&') i++;
      else return and(...parts);
    }
  };

  const expr = (): Formula | null => {
    const parts: Formula[] = [];
    for (;;) {
      const a = conj();
      if (!a) return null;
      parts.push(a);
      const next = peek();
      if (next?.t === 'op' && next.v === '||') i++;
      else return or(...parts);
    }
  };

  const f = expr();
  return f && i === tokens.length ? f : whole;
}

/**
 * A Kconfig expression (`depends on`, a select's `if`): symbols without the CONFIG_ prefix, `&&`,
 * `||`, `!`, parentheses; `X = y`/`X != n` read as X / !X, other comparisons opaque; y, m, n.
 */
export function parseKconfigExpr(text: string): Formula {
  const cleaned = text.replace(/#.*$/, '').trim();
  const tokens = /^[\w\s()!&|=<>"'-]*$/.test(cleaned)
    ? cleaned.match(/"[^"]*"|'[^']*'|&&|\|\||!=|<=|>=|[=<>!()]|[A-Za-z0-9_-]+/g)
    : null;
  const whole: Formula = { k: 'opaque', text: cleaned };
  if (!tokens || tokens.length === 0) return whole;
  let i = 0;
  const atom = (v: string): Formula =>
    v === 'y'
      ? TRUE
      : v === 'n'
        ? FALSE
        : v === 'm'
          ? TRUE
          : /^\d+$/.test(v) || /^["']/.test(v)
            ? { k: 'opaque', text: v }
            : sym(v);
  const primary = (): Formula | null => {
    const t = tokens[i];
    if (t === undefined) return null;
    if (t === '!') {
      i++;
      const a = primary();
      return a && not(a);
    }
    if (t === '(') {
      i++;
      const a = expr();
      if (tokens[i] !== ')') return null;
      i++;
      return a;
    }
    if (/^[&|=<>!)]/.test(t)) return null;
    i++;
    const op = tokens[i];
    if (op === '=' || op === '!=' || op === '<' || op === '>' || op === '<=' || op === '>=') {
      const rhs = tokens[i + 1];
      if (rhs === undefined) return null;
      i += 2;
      if ((op === '=' || op === '!=') && (rhs === 'y' || rhs === 'n' || rhs === 'm')) {
        const on = atom(t);
        const is = rhs === 'n' ? not(on) : on;
        return op === '=' ? is : not(is);
      }
      return { k: 'opaque', text: `${t} ${op} ${rhs}` };
    }
    return atom(t);
  };
  const conj = (): Formula | null => {
    const parts: Formula[] = [];
    for (;;) {
      const a = primary();
      if (!a) return null;
      parts.push(a);
      if (tokens[i] === '&&') i++;
      else return and(...parts);
    }
  };
  const expr = (): Formula | null => {
    const parts: Formula[] = [];
    for (;;) {
      const a = conj();
      if (!a) return null;
      parts.push(a);
      if (tokens[i] === '||') i++;
      else return or(...parts);
    }
  };
  const f = expr();
  return f && i === tokens.length ? f : whole;
}
