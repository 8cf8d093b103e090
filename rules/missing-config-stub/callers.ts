// With a base tree: every function the series adds or changes in a ZONE_DEVICE API header, judged by
// when it is declared (every #if around every declaration of it, in all the API headers as the series
// leaves them) against when its callers are compiled (their Makefile and #if conditions). A removed
// stub or a moved #endif changes the first, and is caught by the same question.
import type { SeriesContext, TreeAfterSeries } from '../../src/engine/rule.js';
import {
  breakingConfig,
  CONFIG_ONLY_OPTIONS,
  archOpaque,
  positiveSymbols,
  showConfig,
  type Breaking,
} from '../../src/kbuild/availability.js';
import { ZONE_DEVICE_API_HEADERS } from '../../src/kbuild/headers.js';
import { headerDeclarations, includeGuardOf, settle, type GuardedDeclaration } from '../../src/kbuild/index.js';
import {
  and,
  conditionAt,
  not,
  or,
  preprocBranches,
  show,
  TRUE,
  witness,
  wholeText,
  type Branches,
  type Formula,
} from '../../src/syntax/index.js';
import type { FileHistory } from '../../src/source/types.js';

/** At most this many functions of one series are looked up in the tree (one grep each). */
const MAX_NAMES = 24;
const NOT_KERNEL = /^(tools|scripts|Documentation|samples|usr)\//;
const FUNCTION_KINDS = new Set(['function', 'prototype', 'macro']);

export interface CallerFinding {
  name: string;
  /** The declaration the finding sits on (the header as the series leaves it). */
  file: string;
  /** 0-based line of the last image. */
  line: number;
  history: FileHistory;
  avail: Formula;
  /** When it was declared before the series, when that differs (a removed stub, a moved #endif). */
  before: Formula | null;
  /** `before` held in every configuration (the series took a stub away). */
  beforeAlways: boolean;
  caller: { path: string; line: number };
  breaking: Breaking;
  callerCondition: Formula;
}

export interface Judged {
  findings: CallerFinding[];
  /** Functions declared in every configuration (a stub for each build). */
  complete: Set<string>;
  /** Functions with no caller the tree shows. */
  uncalled: Set<string>;
}

/** Availability of each function the headers the series touches declare, judged against the tree's callers. */
export function judgeCallers(ctx: SeriesContext): Judged | null {
  const kb = ctx.kbuild;
  const tree = ctx.tree;
  if (!kb || !tree) return null;
  const out: Judged = { findings: [], complete: new Set(), uncalled: new Set() };
  const candidates: { name: string; history: FileHistory; line: number; before: Formula | null }[] = [];
  for (const h of ctx.source().files) {
    if (!ZONE_DEVICE_API_HEADERS.includes(h.path)) continue;
    const first = h.steps[0];
    const last = h.steps[h.steps.length - 1];
    if (!first || !last || last.post.mode !== 'whole') continue;
    const after = headerDeclarations(h.path, last.post.text()).filter((d) => FUNCTION_KINDS.has(d.kind));
    const before =
      first.pre.mode === 'whole' && h.base !== null
        ? headerDeclarations(h.path, first.pre.text()).filter((d) => FUNCTION_KINDS.has(d.kind))
        : [];
    const inFile = (ds: readonly GuardedDeclaration[], name: string) =>
      or(...ds.filter((d) => d.name === name).map((d) => d.guard));
    const names = new Set(after.map((d) => d.name));
    for (const name of names) {
      const mine = after.filter((d) => d.name === name);
      const added = mine.find((d) => last.post.origins[d.line - 1]?.kind === 'added');
      const was = before.some((d) => d.name === name) ? inFile(before, name) : null;
      const now = inFile(after, name);
      const changed = was !== null && !equivalent(was, now);
      if (!added && !changed) continue;
      candidates.push({ name, history: h, line: (added ?? mine[0]!).line - 1, before: changed ? was : null });
    }
  }
  for (const c of candidates.slice(0, MAX_NAMES)) {
    const avail = or(...kb.declarations(c.name).map((d) => d.guard));
    if (equivalent(avail, TRUE)) {
      out.complete.add(c.name);
      continue;
    }
    if (![...positiveSymbols(archOpaque(avail))].some((s) => CONFIG_ONLY_OPTIONS.has(s))) continue;
    let called = false;
    const asked = new Map<string, Breaking | null>();
    let found: CallerFinding | null = null;
    for (const hit of callersOf(tree, c.name)) {
      called = true;
      const file = kb.fileGuard(hit.path);
      if (file === null) continue;
      const branches = branchesOf(tree, hit.path);
      if (!branches) continue;
      const use = and(file, settle(conditionAt(branches.branches, hit.line - 1), branches.guard));
      const key = JSON.stringify(use);
      let breaking = asked.get(key);
      if (breaking === undefined) asked.set(key, (breaking = breakingConfig(use, avail, (f) => kb.constraints(f))));
      if (!breaking) continue;
      found = {
        name: c.name,
        file: c.history.path,
        line: c.line,
        history: c.history,
        avail,
        before: c.before,
        beforeAlways: c.before !== null && equivalent(c.before, TRUE),
        caller: hit,
        breaking,
        callerCondition: use,
      };
      break;
    }
    if (found) out.findings.push(found);
    else if (!called) out.uncalled.add(c.name);
  }
  return out;
}

/** Whether two formulas hold in the same configurations (a small search each way). */
function equivalent(a: Formula, b: Formula): boolean {
  const one = witness(and(a, not(b)));
  const two = witness(and(b, not(a)));
  return one === null && two === null;
}

const callerCache = new WeakMap<object, Map<string, { path: string; line: number }[]>>();

/**
 * Lines that call `name` in kernel C files of the tree after the series (comments and the
 * declarations themselves left out). The base tree is grepped once per name and run; the files the
 * series changes are read from the tree after it instead.
 */
function callersOf(tree: TreeAfterSeries, name: string): { path: string; line: number }[] {
  const call = new RegExp(`\\b${name}\\s*\\(`);
  const definition = new RegExp(
    `^\\s*(?:#\\s*define\\s+${name}\\b|(?:static\\s+|inline\\s+|extern\\s+|const\\s+|unsigned\\s+|struct\\s+\\w+\\s*\\**|(?!(?:return|else|case|do|goto|sizeof)\\b)\\w+\\s*\\**\\s+)+\\**${name}\\s*\\()`,
  );
  const isCall = (text: string) => {
    const code = /^\s*\*/.test(text) ? '' : text.replace(/\/\*.*?(\*\/|$)/g, ' ').replace(/\/\/.*$/, '');
    return call.test(code) && !definition.test(code);
  };
  // A driver's own header is compiled only where its driver is, which no Makefile says.
  const wanted = (path: string) =>
    /\.(c|h)$/.test(path) &&
    !NOT_KERNEL.test(path) &&
    (!path.endsWith('.h') || /^(include\/|arch\/[^/]+\/include\/)/.test(path));
  let m = callerCache.get(tree.base);
  if (!m) callerCache.set(tree.base, (m = new Map<string, { path: string; line: number }[]>()));
  let base = m.get(name);
  if (!base) {
    const build = () =>
      tree.base
        .grep(name, ['*.c', '*.h'], { fixed: true })
        .filter((h) => wanted(h.path) && isCall(h.text))
        .map((h) => ({ path: h.path, line: h.line }));
    // Another commit's callers, the files changed since searched again (a whole-tree search per
    // name took 2.9 s on a 6.1 git tree, in every run on a new base).
    const update = (previous: { path: string; line: number }[], changed: readonly string[]) => {
      const gone = new Set(changed);
      const out = previous.filter((h) => !gone.has(h.path));
      const paths = changed.filter(wanted);
      const texts = tree.base.readMany(paths);
      for (const path of paths) {
        const text = texts.get(path);
        if (text == null || text.includes('\0') || !text.includes(name)) continue;
        text.split('\n').forEach((line, i) => {
          if (line.includes(name) && isCall(line)) out.push({ path, line: i + 1 });
        });
      }
      // In the search's order: by path, then line.
      return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
    };
    base = tree.base.index ? tree.base.index(`callers/1/${name}`, build, update) : build();
    m.set(name, base);
  }
  const out = base.filter((h) => !tree.changes(h.path));
  for (const path of tree.changed.filter(wanted)) {
    const text = tree.readSync(path);
    if (text === null || !text.includes(name)) continue;
    text.split('\n').forEach((line, i) => {
      if (isCall(line)) out.push({ path, line: i + 1 });
    });
  }
  return out;
}

/** A file's #if structure and its include guard. */
interface FileBranches {
  branches: Branches;
  guard: string | null;
}
const branchCache = new WeakMap<object, Map<string, FileBranches | null>>();

/** A caller file's #if structure (lines only, no parse), once per run for files the series leaves alone. */
function branchesOf(tree: TreeAfterSeries, path: string): FileBranches | null {
  const key = tree.changes(path) ? tree : tree.base;
  let m = branchCache.get(key);
  if (!m) branchCache.set(key, (m = new Map<string, FileBranches | null>()));
  let known = m.get(path);
  if (known === undefined) {
    const text = tree.readSync(path);
    const image = text === null ? null : wholeText(path, text);
    known = image
      ? { branches: preprocBranches(image), guard: path.endsWith('.h') ? includeGuardOf(image.lines) : null }
      : null;
    m.set(path, known);
  }
  return known;
}

/** `always`, or `when MMU && HMM_MIRROR`. */
export function whenShown(f: Formula): string {
  return f.k === 'const' && f.v ? 'always' : `when ${show(f)}`;
}

/** `HMM && HMM_MIRROR || !HMM`, cut for a message. */
export function shortCondition(f: Formula): string {
  const s = show(f);
  return s.length > 48 ? `${s.slice(0, 45)}...` : s;
}

export { showConfig };
