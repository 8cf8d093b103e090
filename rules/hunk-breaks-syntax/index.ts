// A patch whose hunks leave the C broken where it was not: brackets the added and removed lines no
// longer balance, or an operator left without its right operand. Found lexically (balance.ts), then
// confirmed by tree-sitter: the changed stretch parsed before and after the patch, the after side
// must have errors the before side has not. Macro-heavy kernel code gives tree-sitter errors of its
// own; only those the patch adds count. Only flagged hunks are parsed.
import { defineRule } from '../../src/engine/rule.js';
import { truncationOf } from '../../src/patch/index.js';
import { maskAnnotations, prelude } from '../../src/syntax/c.js';
import { parseC, type SyntaxNode } from '../../src/syntax/parser.js';
import type { DiffLine, FileDiff, Hunk } from '../../src/types.js';
import { danglingOperator, KINDS, newState, scan, type Counts } from './balance.js';

type MessageId = 'unbalanced' | 'danglingOperator';

export default defineRule<MessageId>({
  meta: {
    id: 'hunk-breaks-syntax',
    severity: 'error',
    description:
      'A patch leaves C that parsed before it unbalanced or cut off (a dangling operator, an unclosed bracket)',
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      unbalanced:
        'the lines this patch adds leave {{count}} {{what}} more than the ones it removes: the changed code no longer parses',
      danglingOperator: '`{{operator}}` has no right operand: the changed code no longer parses',
    },
  },
  check(ctx) {
    for (const patch of ctx.series.patches) {
      if (patch.kind !== 'patch') continue;
      patch.files.forEach((diff) => {
        const path = diff.newPath;
        if (!path || !/\.(c|h)$/.test(path) || diff.binary || diff.status === 'deleted' || truncationOf(diff)) return;
        const flagged = flag(diff);
        if (!flagged) return;
        const step = ctx.source().step(patch, path);
        const whole =
          step && step.post.mode === 'whole' && step.pre.mode === 'whole'
            ? { pre: step.pre.lines, post: step.post.lines }
            : null;
        const confirmed = confirm(flagged.hunk, whole);
        if (!confirmed) return;
        const line = confirmed.line ?? flagged.line;
        if (flagged.kind === 'dangling') {
          ctx.report({
            patch,
            file: path,
            line,
            messageId: 'danglingOperator',
            data: { operator: flagged.operator },
            detail:
              `the added line ends an expression with \`${flagged.operator}\` and nothing after it; tree-sitter finds ${confirmed.errors} syntax error(s) ` +
              `in the changed code after the patch where it found ${confirmed.before} before. A dropped operand or a line cut in half?`,
          });
          return;
        }
        const { count, what } = describe(flagged.counts);
        ctx.report({
          patch,
          file: path,
          line,
          messageId: 'unbalanced',
          data: { count, what },
          detail:
            `counting the lines this patch adds and removes in ${path} (comments, strings, preprocessor lines and #else branches left out), ` +
            `${describeAll(flagged.counts)}; tree-sitter finds ${confirmed.errors} syntax error(s) in the changed code after the patch where it found ` +
            `${confirmed.before} before. A brace or parenthesis dropped with a removed line, or a statement cut in half?`,
        });
      });
    }
  },
});

interface Flag {
  kind: 'unbalanced' | 'dangling';
  hunk: Hunk;
  /** The post-image line to report when the parse does not point at one. */
  line: number | null;
  counts: Counts;
  operator: string;
}

function sides(hunk: Hunk): { pre: DiffLine[]; post: DiffLine[] } {
  return { pre: hunk.lines.filter((l) => l.kind !== 'add'), post: hunk.lines.filter((l) => l.kind !== 'del') };
}

/** The first hunk that breaks the balance of the file, or that leaves an operator dangling; null for most. */
function flag(diff: FileDiff): Flag | null {
  const total: Counts = [0, 0, 0];
  const all: Counts = [0, 0, 0];
  const perHunk: { hunk: Hunk; delta: Counts; post: DiffLine[]; postScan: ReturnType<typeof scan> }[] = [];
  const preState = newState();
  const postState = newState();
  for (const hunk of diff.hunks) {
    const { pre, post } = sides(hunk);
    const a = scan(
      pre.map((l) => l.text),
      preState,
    );
    const b = scan(
      post.map((l) => l.text),
      postState,
    );
    const delta: Counts = [b.total[0] - a.total[0], b.total[1] - a.total[1], b.total[2] - a.total[2]];
    for (let k = 0; k < 3; k++) {
      total[k]! += delta[k]!;
      all[k]! += b.all[k]! - a.all[k]!;
    }
    perHunk.push({ hunk, delta, post, postScan: b });
  }
  // Counted both with #else branches left out and with every branch: a real imbalance shows in both.
  for (let k = 0; k < 3; k++) if (Math.sign(total[k]!) !== Math.sign(all[k]!)) total[k] = 0;
  if (total.some((n) => n !== 0)) {
    const kind = total.findIndex((n) => n !== 0);
    const h = perHunk.find((p) => Math.sign(p.delta[kind]!) === Math.sign(total[kind]!)) ?? perHunk[0]!;
    // The added line that opens (or closes) what is left over, else the hunk's first added line.
    const at = h.post.findIndex(
      (l, i) => l.kind === 'add' && Math.sign(h.postScan.perLine[i]![kind]!) === Math.sign(total[kind]!),
    );
    const first = h.post.findIndex((l) => l.kind === 'add');
    const pick = h.post[at >= 0 ? at : first >= 0 ? first : 0];
    return { kind: 'unbalanced', hunk: h.hunk, line: pick?.newLine ?? null, counts: total, operator: '' };
  }
  for (const { hunk, post, postScan } of perHunk) {
    for (let i = 0; i < post.length; i++) {
      if (post[i]!.kind !== 'add') continue;
      const op = danglingOperator(postScan.code, i);
      if (op) return { kind: 'dangling', hunk, line: post[i]!.newLine, counts: [0, 0, 0], operator: op };
    }
  }
  return null;
}

/**
 * Parses the stretch the hunk changes before and after: with whole files, from the end of the
 * top-level item above the hunk to the end of the one it ends in (the changed function); else the
 * hunk's own lines. Confirmed when the after side has more syntax errors, or errors on more rows.
 */
function confirm(
  hunk: Hunk,
  whole: { pre: readonly string[]; post: readonly string[] } | null,
): { line: number | null; errors: number; before: number } | null {
  const { pre, post } = sides(hunk);
  let preText: string[];
  let postText: string[];
  /** Post-image line number of row 0 of postText, for fragments the numbers of the lines. */
  let postNumbers: (number | null)[];
  if (whole) {
    const a = around(whole.pre, hunk.oldStart - 1, hunk.oldLines);
    const b = around(whole.post, hunk.newStart - 1, hunk.newLines);
    preText = whole.pre.slice(a.from, a.to);
    postText = whole.post.slice(b.from, b.to);
    postNumbers = postText.map((_, i) => b.from + i + 1);
  } else {
    preText = pre.map((l) => l.text);
    postText = post.map((l) => l.text);
    postNumbers = post.map((l) => l.newLine);
  }
  const added = new Set(post.filter((l) => l.kind === 'add').map((l) => l.newLine));
  const before = errorsOf(preText, hunk.header);
  const after = errorsOf(postText, hunk.header);
  if (after.count <= before.count && after.rows.size <= before.rows.size) return null;
  // The first error on an added line, or the line just after one (a missing `)` shows where the next token is).
  let line: number | null = null;
  for (const row of [...after.rows].sort((x, y) => x - y)) {
    const n = postNumbers[row] ?? null;
    if (n !== null && added.has(n)) {
      line = n;
      break;
    }
    const prev = postNumbers[row - 1] ?? null;
    if (prev !== null && added.has(prev)) {
      line = prev;
      break;
    }
  }
  return { line, errors: after.count, before: before.count };
}

/** The lines [from, to) of the top-level items around lines [start, start + count) of a whole file. */
function around(lines: readonly string[], start: number, count: number): { from: number; to: number } {
  const LIMIT = 400;
  let from = Math.max(0, start);
  while (from > 0 && start - from < LIMIT && !/^\}/.test(lines[from - 1]!)) from--;
  let to = Math.min(lines.length, start + count);
  while (to < lines.length && to - (start + count) < LIMIT && !/^\}/.test(lines[to - 1] ?? '')) to++;
  return { from, to };
}

function errorsOf(lines: readonly string[], header: string): { count: number; rows: Set<number> } {
  const pre = prelude(lines, header);
  const tree = parseC(maskAnnotations([...pre.lines, ...lines].join('\n') + '\n'));
  const rows = new Set<number>();
  let count = 0;
  const cursor = tree.walk();
  for (;;) {
    const node: SyntaxNode = cursor.currentNode;
    if (node.type === 'ERROR' || node.isMissing) {
      count++;
      const row = node.startPosition.row - pre.lines.length;
      if (row >= 0) rows.add(row);
    }
    // Into ERROR nodes too: recovery may wrap a whole fragment in one, the new error inside it.
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return { count, rows };
    }
  }
}

const NAMES: readonly (readonly [string, string])[] = [
  ['parenthesis', 'parentheses'],
  ['bracket', 'brackets'],
  ['brace', 'braces'],
];

function describe(counts: Counts): { count: number; what: string } {
  const k = counts.findIndex((n) => n !== 0);
  const n = counts[k]!;
  const [one, many] = NAMES[k]!;
  return { count: Math.abs(n), what: `${n > 0 ? 'opening' : 'closing'} ${Math.abs(n) === 1 ? one : many}` };
}

function describeAll(counts: Counts): string {
  return counts
    .map((n, k) =>
      n === 0
        ? null
        : `\`${KINDS[k]}\` ${n > 0 ? `opened ${n} more time(s) than closed` : `closed ${-n} more time(s) than opened`}`,
    )
    .filter(Boolean)
    .join(', ');
}
