// Conditional-compilation branches by line. Done on the lines rather than the tree because
// fragments cut through #if groups: a hunk may show an #else whose #if it does not carry,
// and the lines before such an #else still sit in *some* earlier arm.
import { and, not, parseCondition, TRUE, type Formula } from './condition.js';
import type { SourceText } from './text.js';

export type BranchDirective = 'if' | 'ifdef' | 'ifndef' | 'elif' | 'else';

export interface Branch {
  /** Identifies one #if ... #endif group in the image. */
  group: number;
  /** 0 for the #if arm, 1.. for each #elif / #else after it. */
  arm: number;
  directive: BranchDirective;
  /**
   * The arm's own condition: `X` for `#if X`, `defined(X)` / `!defined(X)` for #ifdef / #ifndef,
   * null for #else and for arms the image does not show.
   */
  condition: string | null;
  /** Conditions of the earlier arms of the group (null where unseen); an #else holds when none did. */
  prior: readonly (string | null)[];
  /** Image line of the directive; null when the image does not show it (a fragment). */
  line: number | null;
  /**
   * When the arm holds exactly when one symbol is (or is not) set — `#ifdef X`, `#if !IS_ENABLED(X)`,
   * the `#else` of either — that symbol; arms of different groups with opposite literals exclude each other.
   */
  literal: { symbol: string; positive: boolean } | null;
}

export interface Branches {
  /** The branches image line `i` is inside, outermost first. */
  at(i: number): readonly Branch[];
  /** True when lines `a` and `b` sit in different arms of one group: never compiled together. */
  exclusive(a: number, b: number): boolean;
}

const DIRECTIVE = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/;
const NONE: readonly Branch[] = Object.freeze([]);

/** A stack shared between lines: each line points at its innermost branch (deep #if nests stay linear). */
interface Frame {
  branch: Branch;
  parent: Frame | null;
  depth: number;
}

export function preprocBranches(image: Pick<SourceText, 'lines' | 'segments'>): Branches {
  const frames = new Array<Frame | null>(image.lines.length).fill(null);
  // Groups whose #if the image does not show: they hold every line of the segment before their
  // unmatched #else/#elif/#endif. Per line, the ones found later are the outer ones.
  const unseen: { from: number; to: number; branch: Branch }[] = [];
  let nextGroup = 0;
  for (const seg of image.segments) {
    const st: { top: Frame | null } = { top: null };
    const push = (branch: Branch) => {
      st.top = { branch, parent: st.top, depth: (st.top?.depth ?? 0) + 1 };
    };
    for (let i = seg.start; i < seg.end; i++) {
      let text = image.lines[i]!;
      frames[i] = st.top;
      if (!DIRECTIVE.test(text)) continue;
      let j = i;
      while (text.endsWith('\\') && j + 1 < seg.end) text = text.slice(0, -1) + ' ' + image.lines[++j]!;
      // A continued line holding what `.` does not match (U+2028, a lone CR) no longer matches
      // joined: the directive is then read from its first line alone.
      const dm = DIRECTIVE.exec(text) ?? DIRECTIVE.exec(image.lines[i]!);
      if (!dm) continue;
      const kind = dm[1]!;
      const rest = stripComment(dm[2]!).trim();
      if (kind === 'if' || kind === 'ifdef' || kind === 'ifndef') {
        const condition = kind === 'if' ? rest : kind === 'ifdef' ? `defined(${rest})` : `!defined(${rest})`;
        push({
          group: nextGroup++,
          arm: 0,
          directive: kind,
          condition,
          prior: [],
          line: i,
          literal: literalOf(condition),
        });
      } else if (kind === 'endif') {
        const t = st.top;
        if (t) st.top = t.parent;
        else unseen.push({ from: seg.start, to: i, branch: unseenBranch(nextGroup++) });
      } else {
        const t = st.top;
        let was: Branch;
        if (t) {
          was = t.branch;
          st.top = t.parent;
        } else {
          was = unseenBranch(nextGroup++);
          unseen.push({ from: seg.start, to: i, branch: was });
        }
        const first = was.arm === 0 ? was.literal : null;
        push({
          group: was.group,
          arm: was.arm + 1,
          directive: kind as 'elif' | 'else',
          condition: kind === 'elif' ? rest : null,
          prior: [...was.prior, was.condition],
          line: i,
          literal: kind === 'else' && first ? { symbol: first.symbol, positive: !first.positive } : null,
        });
      }
      for (let k = i + 1; k <= j; k++) frames[k] = frames[i]!;
      i = j;
    }
  }
  const at = (i: number): readonly Branch[] => {
    const outer = unseen
      .filter((u) => u.from <= i && i < u.to)
      .reverse()
      .map((u) => u.branch);
    let f = frames[i] ?? null;
    if (!f && !outer.length) return NONE;
    const inner = new Array<Branch>(f?.depth ?? 0);
    for (let k = inner.length - 1; f; f = f.parent, k--) inner[k] = f.branch;
    return [...outer, ...inner];
  };
  return {
    at,
    exclusive(a, b) {
      const sa = at(a);
      if (!sa.length) return false;
      const sb = at(b);
      for (const x of sa) {
        for (const y of sb) {
          if (
            x.group === y.group
              ? x.arm !== y.arm
              : x.literal !== null &&
                y.literal !== null &&
                x.literal.symbol === y.literal.symbol &&
                x.literal.positive !== y.literal.positive
          )
            return true;
        }
      }
      return false;
    },
  };
}

function unseenBranch(group: number): Branch {
  return { group, arm: 0, directive: 'if', condition: null, prior: [], line: null, literal: null };
}

const LITERAL =
  /^(!?)\s*(?:defined\s*\(\s*(\w+)\s*\)|defined\s+(\w+)|IS_ENABLED\s*\(\s*(\w+)\s*\)|IS_BUILTIN\s*\(\s*(\w+)\s*\)|(CONFIG_\w+))$/;

/** `defined(X)`, `!defined X`, `IS_ENABLED(X)`, `CONFIG_X` as one symbol, set or not. */
function literalOf(condition: string): { symbol: string; positive: boolean } | null {
  let c = condition.trim();
  while (/^\(.*\)$/.test(c) && balanced(c.slice(1, -1))) c = c.slice(1, -1).trim();
  const m = LITERAL.exec(c);
  if (!m) return null;
  const symbol = m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6];
  return symbol === undefined ? null : { symbol, positive: m[1] !== '!' };
}

function balanced(s: string): boolean {
  let d = 0;
  for (const ch of s) {
    if (ch === '(') d++;
    else if (ch === ')' && --d < 0) return false;
  }
  return d === 0;
}

function stripComment(s: string): string {
  return s
    .replace(/\/\*.*?\*\//g, ' ')
    .replace(/\/\*.*$/, '')
    .replace(/\/\/.*$/, '');
}

/**
 * The condition under which image line `i` is compiled, as far as the image shows it: the
 * conjunction of its branches, each an arm's own condition and none of the earlier arms'. An arm
 * the image does not show (a fragment cut through its group) is an opaque atom of its own.
 */
export function conditionAt(branches: Branches, i: number): Formula {
  return and(...branches.at(i).map(branchCondition));
}

export function branchCondition(b: Branch): Formula {
  const unseen = (what: string): Formula => ({
    k: 'opaque',
    text: `(an #if the hunk does not show: group ${b.group}${what})`,
  });
  const own = b.directive === 'else' ? TRUE : b.condition === null ? unseen('') : parseCondition(b.condition);
  const before = b.prior.map((p, k) => (p === null ? unseen(`, arm ${k}`) : parseCondition(p)));
  return and(own, ...before.map(not));
}
