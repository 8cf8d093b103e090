// Switches over a memory-type value, as unhandled-memory-type judges them: which enumerators
// of enum memory_type they name, and what their default does when a value falls through.
import type { FileImage, LineOrigin } from '../../src/source/types.js';
import {
  enclosingFunction,
  inError,
  switches,
  type CFile,
  type SwitchStatement,
  type SyntaxNode,
} from '../../src/syntax/index.js';
import type { KernelTree } from '../../src/tree/types.js';
import type { Patch } from '../../src/types.js';

export type DefaultKind =
  /** no `default:` label: an unhandled value runs nothing (and -Wswitch warns) */
  | 'none'
  /** the default warns, bugs, logs an error or fails */
  | 'fails'
  /** the default does something ordinary (break, return 0, a fallback) */
  | 'benign';

export interface TypeSwitch {
  sw: SwitchStatement;
  /** Image line (0-based) of the `switch` keyword. */
  line: number;
  /** Image lines the statement spans. */
  first: number;
  last: number;
  labels: string[];
  defaultKind: DefaultKind;
  /** What the default does, quoted for the message (its first statement). */
  defaultText: string | null;
  functionName: string | null;
  condition: string;
}

// What a default does when it refuses a value. From the kernel's own idioms: WARN(1, "Invalid
// pgmap type"), BUG(), return -EINVAL / ERR_PTR(-EINVAL), pr_err, VM_FAULT_SIGBUS.
const FAILS = new RegExp(
  [
    String.raw`\b(?:WARN\w*|BUG\w*|VM_BUG_ON\w*|VM_WARN\w*|pr_err|pr_warn\w*|pr_crit|pr_alert|pr_emerg|dev_err\w*|dev_warn\w*|panic|unreachable)\s*\(`,
    String.raw`\breturn\s+(?:\(\s*)?(?:-\s*E[A-Z0-9]+\b|ERR_PTR\s*\(\s*-\s*E[A-Z0-9]+|VM_FAULT_SIGBUS\b)`,
    String.raw`=\s*-\s*E[A-Z0-9]+\b`,
    String.raw`\bBUG\b`,
  ].join('|'),
);

/** What a base-tree index keeps of a switch (plain data): all that is judged and reported of it. */
export type SwitchSummary = Pick<
  TypeSwitch,
  'line' | 'labels' | 'defaultKind' | 'defaultText' | 'functionName' | 'condition'
>;

/** Switches of a C file whose case labels name at least one of `typeNames` (every switch with a label: null). */
export function typeSwitches(c: CFile, typeNames: ReadonlySet<string> | null): TypeSwitch[] {
  const out: TypeSwitch[] = [];
  for (const sw of switches(c)) {
    const labels = sw.cases
      .map((k) => k.value)
      .filter((v): v is string => v !== null)
      .map((v) => v.replace(/\s+/g, ' ').trim());
    if (typeNames ? !labels.some((l) => typeNames.has(l)) : labels.length === 0) continue;
    // Never on a guess: a switch cut by a fragment, or around broken syntax, is not judged.
    if (inError(sw.node)) continue;
    const line = c.line(sw.unit, sw.node);
    const endRow = sw.node.endPosition.row - sw.unit.prelude;
    if (line === null || sw.unit.segment.start + endRow >= sw.unit.segment.end) continue;
    const { kind, text } = defaultOf(sw);
    const fn = enclosingFunction(sw.unit, sw.node);
    out.push({
      sw,
      line,
      first: line,
      last: sw.unit.segment.start + endRow,
      labels,
      defaultKind: kind,
      defaultText: text,
      functionName: fn?.name ?? null,
      condition: sw.condition.text.replace(/\s+/g, ' '),
    });
  }
  return out;
}

function defaultOf(sw: SwitchStatement): { kind: DefaultKind; text: string | null } {
  const label = sw.cases.find((k) => k.value === null);
  if (!label) return { kind: 'none', text: null };
  // A default with no statements of its own (or only `fallthrough;`) runs the next case's.
  for (let node: SyntaxNode | null = label.node; node; node = nextCase(node)) {
    const body = statementsOf(node);
    const meaningful = body.filter(
      (s) => !/^(?:fallthrough|__attribute__\s*\(\(\s*__fallthrough__\s*\)\))\s*;$/.test(s.text.trim()),
    );
    if (meaningful.length === 0) continue;
    const text = meaningful.map((s) => s.text).join('\n');
    const first = meaningful[0]!.text.split('\n')[0]!.trim();
    return { kind: FAILS.test(text) ? 'fails' : 'benign', text: first };
  }
  return { kind: 'benign', text: null };
}

function statementsOf(caseNode: SyntaxNode): SyntaxNode[] {
  const value = caseNode.childForFieldName('value');
  return caseNode.namedChildren.filter((n) => n.type !== 'comment' && (value === null || n.id !== value.id));
}

function nextCase(node: SyntaxNode): SyntaxNode | null {
  for (let n = node.nextNamedSibling; n; n = n.nextNamedSibling) if (n.type === 'case_statement') return n;
  return null;
}

/**
 * The files of a base tree with a `case MEMORY_DEVICE_...:` label, each with its switches (every
 * switch with a label, in file order): built once per tree (KernelTree.index) so that neither a
 * run over many series nor the next hook run on the same commit searches and parses the tree again.
 * `patch` only gives the base images a patch to belong to. Paths sorted.
 */
export function memoryTypeSwitchIndex(
  tree: KernelTree,
  parse: (image: FileImage) => CFile | null,
  patch: Patch,
): Record<string, SwitchSummary[]> {
  // A fixed string is much faster than an ERE over a whole tree (docs/performance.md); the few
  // dozen hits are then narrowed to case labels here.
  const hits = tree
    .grep('MEMORY_DEVICE_', ['*.c', '*.h'], { fixed: true })
    .filter((h) => /\bcase\s+MEMORY_DEVICE_/.test(h.text));
  return switchesIn(tree, parse, patch, [...new Set(hits.map((h) => h.path))]);
}

/** A C file's line with a memory-type case label, as the search above finds it (one line, not binary). */
const CASE_LABEL_LINE = /\bcase[^\S\n]+MEMORY_DEVICE_/;

/**
 * The index of another commit (`previous`) brought to `tree`, given the paths that differ between
 * them: those are dropped and the C files among them read again; every other file is the same.
 */
export function updateMemoryTypeSwitchIndex(
  previous: Record<string, SwitchSummary[]>,
  changed: readonly string[],
  tree: KernelTree,
  parse: (image: FileImage) => CFile | null,
  patch: Patch,
): Record<string, SwitchSummary[]> {
  const gone = new Set(changed);
  const kept = Object.keys(previous).filter((p) => !gone.has(p));
  const cFiles = changed.filter((p) => /\.[ch]$/.test(p));
  const texts = tree.readMany(cFiles);
  const labelled = cFiles.filter((p) => {
    const text = texts.get(p);
    return text != null && !text.includes('\0') && CASE_LABEL_LINE.test(text);
  });
  const fresh = switchesIn(tree, parse, patch, labelled);
  const out: Record<string, SwitchSummary[]> = {};
  for (const path of [...kept, ...Object.keys(fresh)].sort()) out[path] = fresh[path] ?? previous[path]!;
  return out;
}

/** The switches of the files `paths` (in path order: the rule reports in the index's order). */
function switchesIn(
  tree: KernelTree,
  parse: (image: FileImage) => CFile | null,
  patch: Patch,
  unsorted: readonly string[],
): Record<string, SwitchSummary[]> {
  const paths = [...unsorted].sort();
  const texts = tree.readMany(paths);
  const out: Record<string, SwitchSummary[]> = {};
  for (const path of paths) {
    const text = texts.get(path);
    if (!text) continue;
    const c = parse(baseImage(path, text, patch));
    if (!c) continue;
    out[path] = typeSwitches(c, null).map((ts) => ({
      line: ts.line,
      labels: ts.labels,
      defaultKind: ts.defaultKind,
      defaultText: ts.defaultText,
      functionName: ts.functionName,
      condition: ts.condition,
    }));
  }
  return out;
}

const BASE: LineOrigin = Object.freeze({ kind: 'base', patchKey: null, hunk: null });

/** A base-tree file as an image (no line of it added), so the C view can parse it. */
export function baseImage(path: string, text: string, patch: Patch): FileImage {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return {
    path,
    mode: 'whole',
    patch,
    side: 'post',
    lines,
    origins: new Array<LineOrigin>(lines.length).fill(BASE),
    segments: lines.length ? [{ start: 0, end: lines.length, hunk: null }] : [],
    lineNumber: (i) => i + 1,
    addedHere: () => false,
    text: () => lines.join('\n'),
  };
}
