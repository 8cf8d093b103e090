// A function, static inline or function-like macro a series adds that nothing uses. "Nothing" is a
// claim about the whole tree: with a base tree every mention of the name counts as a use (a call,
// a callback's address, a macro argument, a comment), found by one batched search of the tree;
// mail alone, only what cannot be used from elsewhere (a static definition, a complete series).
import { defineRule, type KernelTree, type Report, type SeriesContext } from '../../src/engine/rule.js';
import type { FileStep } from '../../src/source/types.js';
import { functionHeads } from '../../src/syntax/index.js';
import type { GrepHit } from '../../src/tree/types.js';
import type { Patch, Series } from '../../src/types.js';
import { finalSteps } from '../lib/series-model.js';

type MessageId = 'unused' | 'exported' | 'announced';
type Ctx = SeriesContext<MessageId>;

export default defineRule({
  meta: {
    id: 'unused-new-function',
    severity: 'error',
    description:
      'A function, static inline or macro the series adds is used nowhere (not in the series, not in the tree)',
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      unused: '{{what}} {{name}} is added but nothing {{where}} uses it',
      exported: '{{what}} {{name}} is added and exported ({{export}}) but nothing in the tree uses it',
      announced: '{{what}} {{name}} is added for later work the cover letter announces; nothing {{where}} uses it yet',
    },
  },
  check(ctx) {
    const tree = ctx.tree;
    // A later part may bring the first user: only a whole series is judged (the send-email hook's
    // per-file runs see one part at a time).
    if (!complete(ctx.series)) return;
    const found = candidates(ctx);
    // Hundreds of new functions are generated code or a new subsystem, not a reviewer's "dead helper".
    if (!found.length || found.length > MAX_CANDIDATES) return;
    // Every mention outside the definition (and its prototypes and export) is a use: first in the
    // series' files as it leaves them, then (with a tree) in every other file of the tree.
    const names = [...new Set(found.map((c) => c.name))];
    const inSeries = mentions(ctx, names);
    const announced = announcement(ctx.series);
    for (const c of found) {
      // Its definitions (a real one and a !CONFIG stub) are not uses of each other.
      const defs = found.filter((d) => d.name === c.name);
      const own = (h: GrepHit) => defs.some((d) => h.path === d.path && h.line === d.line);
      const uses = (inSeries.get(c.name) ?? []).filter((h) => !own(h));
      if (uses.some((h) => !notAUse(h.text, c.name))) continue;
      if (!tree) {
        // Mail alone, a name other files can use (an arch hook the generic code already calls, a
        // helper another patch of a backport uses) cannot be judged: only what its own file alone can
        // use. A static inline of a header is for its includers, and a macro of a .c file may be
        // expanded by a header's macros (pr_fmt, __SYSCALL): only a static function of a .c file is local.
        if (!(c.isStatic && c.path.endsWith('.c'))) continue;
        // A .c file that includes another .c file (or is included by one) shares its static functions.
        if (includesC(c.step)) continue;
        // A changed file is seen only around its hunks, and a function that lived elsewhere before (a
        // header, another file the input does not carry: a backport split file by file) keeps its
        // callers out of view. Only a file the series creates is all in view.
        if (c.step.diff.status !== 'added') continue;
        if (pastedAway(ctx, c)) continue;
        const r = verdict(c, uses, announced, null);
        ctx.report({ ...r, patch: c.patch });
        continue;
      }
      if (pastedAway(ctx, c)) continue;
      // The tree is searched once for the names of every series, when the run ends (gather's render):
      // never one search per name or per series.
      const base = tree.base;
      const changed = new Set(tree.changed);
      const label = tree.label;
      wanted(base).add(c.name);
      ctx.gather({
        key: `${c.patch.key}\0${c.path}\0${c.line}\0${c.name}`,
        items: [c.name],
        patch: c.patch,
        render: () => {
          const inTree = searchTree(base, c.name).filter((h) => !changed.has(h.path) && !own(h));
          if (inTree.some((h) => !notAUse(h.text, c.name))) return null;
          return verdict(c, [...uses, ...inTree], announced, label);
        },
      });
    }
  },
});

const MAX_CANDIDATES = 200;

interface Candidate {
  name: string;
  kind: 'function' | 'static inline function' | 'static function' | 'macro';
  isStatic: boolean;
  /** A prototype of it is in the series' files too. */
  declared: boolean;
  patch: Patch;
  path: string;
  /** 1-based line in the post-image of its patch. */
  line: number;
  step: FileStep;
}

const EXPORT = /^\s*EXPORT_(?:SYMBOL|SYMBOL_GPL|SYMBOL_NS|SYMBOL_NS_GPL|SYMBOL_FOR_MODULES)\s*\(/;
/** Paths whose functions are not kernel code the tree must use: tools, samples, scripts, uapi headers. */
const OUT_OF_SCOPE = /^(tools|samples|scripts|Documentation|usr)\/|\/uapi\//;
/** Annotations that say the function is reached in ways a search for its name cannot see. */
const REACHED_OTHERWISE =
  /\b(__used|__visible|asmlinkage|__maybe_unused|__weak|__attribute__\s*\(\(\s*(used|constructor|destructor|alias))|__alias\b|__init_or_module\b/;

/** A single patch, or every part 1..N of the series present. */
function complete(series: Series): boolean {
  const parts = series.patches.filter((p) => p.kind === 'patch');
  if (series.total === null) return parts.length >= 1;
  const have = new Set(parts.map((p) => p.tags.index));
  for (let i = 1; i <= series.total; i++) if (!have.has(i)) return false;
  return true;
}

function candidates(ctx: Ctx): Candidate[] {
  const removed = removedText(ctx.series);
  const out: Candidate[] = [];
  for (const step of ctx.source().steps()) {
    const post = step.post;
    if (!/\.[ch]$/.test(post.path) || OUT_OF_SCOPE.test(post.path)) continue;
    // Mail alone only a static function of a .c file the series adds is judged (check): no other
    // file is parsed, which spares most series tree-sitter altogether.
    if (!ctx.tree && !(step.diff.status === 'added' && post.path.endsWith('.c'))) continue;
    if (!post.lines.some((l, i) => post.addedHere(i) && HEAD_HINT.test(l))) continue;
    const c = ctx.syntax.c(post);
    if (!c) continue;
    const heads = functionHeads(c);
    const declaredNames = new Set(heads.filter((h) => h.kind === 'declaration').map((h) => h.name));
    for (const h of heads) {
      if (h.kind === 'declaration') continue;
      const at = c.line(h.unit, h.node);
      if (at === null || !post.addedHere(at)) continue;
      const name = h.name;
      // Too short to search for, or the kernel's entry points and generated names.
      if (name.length < 6 || name === 'main') continue;
      // Moved, renamed or reworked: the series removes a line naming it.
      if (new RegExp(`\\b${name}\\b`).test(removed)) continue;
      const headText = headLines(post.lines, at);
      if (REACHED_OTHERWISE.test(headText)) continue;
      const isMacro = h.kind === 'macro';
      if (isMacro && !new RegExp(`^\\s*#\\s*define\\s+${name}\\(`).test(post.lines[at]!)) continue;
      const isStatic = !isMacro && /\bstatic\b/.test(headText);
      const inline = /\binline\b|__always_inline/.test(headText);
      out.push({
        name,
        isStatic,
        declared: declaredNames.has(name),
        patch: step.patch,
        path: post.path,
        line: post.lineNumber(at),
        step,
        kind: isMacro ? 'macro' : isStatic ? (inline ? 'static inline function' : 'static function') : 'function',
      });
    }
  }
  return out;
}

/** The file's image shows an `#include "x.c"` (sev.c includes sev-shared.c): statics cross files then. */
function includesC(step: FileStep): boolean {
  return step.post.lines.some((l) => /^\s*#\s*include\s+"[^"]+\.c"/.test(l));
}

/** A line that may start a definition: a head at column 0, or a function-like #define. */
const HEAD_HINT = /^(?:[A-Za-z_][\w\s*]*\(|#\s*define\s+\w+\()/;

/** The definition's head: its line and the lines before it that belong to it (`static int\nname(`). */
function headLines(lines: readonly string[], at: number): string {
  const out = [lines[at]!];
  for (let i = at - 1; i >= 0 && i >= at - 3; i--) {
    const l = lines[i]!;
    if (l.trim() === '' || /[;{}]\s*$/.test(l) || /^\s*(#|\/\/|\*|\/\*)/.test(l)) break;
    out.unshift(l);
  }
  return out.join(' ');
}

function removedText(series: Series): string {
  const out: string[] = [];
  for (const p of series.patches)
    for (const f of p.files) for (const h of f.hunks) for (const l of h.lines) if (l.kind === 'del') out.push(l.text);
  return out.join('\n');
}

/** Lines of the series' files (as the series leaves them) that name each of `names`. */
function mentions(ctx: Ctx, names: readonly string[]): Map<string, GrepHit[]> {
  const out = new Map<string, GrepHit[]>(names.map((n) => [n, []]));
  const re = new RegExp(`\\b(${names.join('|')})\\b`, 'g');
  // With a tree the last image of each file is all of it; mail alone, each patch's hunks show only
  // their own lines, so every patch's image is read.
  const steps = ctx.tree ? finalSteps(ctx.source()) : ctx.source().steps();
  for (const step of steps) {
    step.post.lines.forEach((text, i) => {
      for (const m of text.matchAll(re)) {
        const list = out.get(m[1]!);
        if (!list) continue;
        const line = step.post.lineNumber(i);
        if (!list.some((h) => h.path === step.post.path && h.line === line))
          list.push({ path: step.post.path, line, text });
      }
    });
  }
  return out;
}

/** What to say of a candidate nothing uses; `tree`: the tree's label, null mail alone. */
function verdict(
  c: Candidate,
  mentioned: readonly GrepHit[],
  announced: string | null,
  tree: string | null,
): Omit<Report<MessageId>, 'patch'> {
  const where = tree ? 'in the tree' : 'in the series';
  const at = { file: c.path, line: c.line, ...(tree ? {} : { severity: 'warning' as const }) };
  const what = c.kind;
  const name = c.name;
  const reason = tree
    ? `searched every file of ${tree} with the series applied: the name appears only where it is defined${c.declared ? ' and declared' : ''}`
    : 'no base tree: the definition is static in a .c file the series creates, so only that file could use it, and no line of it does; give --tree to search the tree';
  const exported = mentioned.find((h) => EXPORT.test(h.text) && new RegExp(`\\(\\s*${name}\\s*\\)`).test(h.text));
  if (exported) {
    return {
      ...at,
      severity: 'warning',
      messageId: 'exported',
      data: { what, name, export: exported.text.trim().replace(/\s*;$/, '') },
      detail: `${reason}. Exported symbols are for modules, and a module outside the tree may use it; mainline takes no export without an in-tree user`,
    };
  }
  if (announced) {
    return {
      ...at,
      severity: 'warning',
      messageId: 'announced',
      data: { what, name, where },
      detail: `${reason}. The cover letter says "${announced}": reviewers usually ask to add a helper with its first user, in the series that needs it`,
    };
  }
  return {
    ...at,
    messageId: 'unused',
    data: { what, name, where },
    detail: `${reason}. Dead code is rejected in review: drop it, or add it with its first user`,
  };
}

/**
 * A name's mentions in a base tree: the first few in path and line order (enough to tell a use from
 * a definition and a prototype), and whether there were more.
 */
interface Mentions {
  hits: GrepHit[];
  more: boolean;
}
const FEW = 50;

/** Names waiting for the tree search, and what one batched search found, per base tree (one run's). */
const pending = new WeakMap<KernelTree, Set<string>>();
const searched = new WeakMap<KernelTree, Map<string, Mentions>>();

function wanted(base: KernelTree): Set<string> {
  let set = pending.get(base);
  if (!set) pending.set(base, (set = new Set()));
  return set;
}

/**
 * Lines of the base tree naming `name`, kept per name as a tree index (`mentions/1/<name>`): the next
 * run on the commit reads them back, and a run on a new commit makes them from an earlier commit's by
 * searching only the files changed since. A name no index holds is searched with every name gathered
 * so far in one `git grep` (fixed strings), so a run costs at most one search of the tree (per worker
 * thread): 2.4 s on a 6.1 git tree, in every run before this index.
 */
function searchTree(base: KernelTree, name: string): GrepHit[] {
  const build = (): Mentions => searched.get(base)?.get(name) ?? searchAll(base, name);
  const update = (previous: Mentions, changed: readonly string[]): Mentions => {
    const gone = new Set(changed);
    // Mentions past the first few that a changed file's removal would bring forward were never kept.
    if (previous.more && previous.hits.some((h) => gone.has(h.path))) return build();
    const hits = previous.hits.filter((h) => !gone.has(h.path));
    const word = new RegExp(`\\b${name}\\b`);
    const texts = base.readMany(changed);
    for (const path of changed) {
      const text = texts.get(path);
      // git grep -I passes over binary files
      if (text == null || text.includes('\0') || !text.includes(name)) continue;
      text.split('\n').forEach((line, i) => {
        if (word.test(line)) hits.push({ path, line: i + 1, text: line });
      });
    }
    // In the search's order (by path, then line), cut to the first few as the search does.
    hits.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
    return { hits: hits.slice(0, FEW), more: previous.more || hits.length > FEW };
  };
  const found = base.index ? base.index(`mentions/1/${name}`, build, update) : build();
  return found.hits;
}

/** One search of the tree for `name` and every name gathered and not yet searched; returns `name`'s. */
function searchAll(base: KernelTree, name: string): Mentions {
  let known = searched.get(base);
  if (!known) searched.set(base, (known = new Map<string, Mentions>()));
  const cache = known;
  const todo = [...new Set([...wanted(base), name])].filter((n) => !cache.has(n));
  const own: Mentions = { hits: [], more: false };
  for (const n of todo) cache.set(n, n === name ? own : { hits: [], more: false });
  wanted(base).clear();
  const word = new RegExp(`\\b(${todo.join('|')})\\b`, 'g');
  for (const h of base.grep(todo, [], { fixed: true })) {
    for (const n of new Set([...h.text.matchAll(word)].map((m) => m[1]!))) {
      const m = cache.get(n);
      if (!m) continue;
      if (m.hits.length < FEW) m.hits.push(h);
      else m.more = true;
    }
  }
  return own;
}

/** A line naming the function that is not a use: a prototype, an export, `#undef`. */
function notAUse(text: string, name: string): boolean {
  if (EXPORT.test(text)) return true;
  if (new RegExp(`^\\s*#\\s*undef\\s+${name}\\b`).test(text)) return true;
  // Its own head, shown again as context by a later hunk (kernel heads start at column 0).
  if (new RegExp(`^(?:#\\s*define\\s+${name}\\(|[A-Za-z_][^=;(]*\\b${name}\\s*\\([^;]*$)`).test(text)) return true;
  // A prototype: a type, the name, the parameters, `;` (possibly continued on the next line).
  return (
    new RegExp(
      `^\\s*(?:extern\\s+)?[A-Za-z_][\\w\\s*]*\\b${name}\\s*\\([^;{}=]*(?:\\)\\s*(?:__\\w+(?:\\([^)]*\\))?\\s*)*;|,\\s*$)`,
    ).test(text) && !/^\s*return\b/.test(text)
  );
}

/**
 * The name may be reached by token pasting: a part of it (split at an underscore) is a macro
 * argument on some line of its own file, as DEFINE_SHOW_ATTRIBUTE(foo) reaches foo_show().
 */
function pastedAway(ctx: Ctx, c: Candidate): boolean {
  const parts = c.name.split('_');
  const stems = new Set<string>();
  for (let k = 1; k < parts.length; k++) {
    const a = parts.slice(0, k).join('_');
    const b = parts.slice(k).join('_');
    // UVC_ATTR(uvcg_default_output_, b_source_id, ...) pastes a prefix that keeps its underscore.
    if (a.replace(/_/g, '').length >= 3) stems.add(a).add(`${a}_`);
    if (b.replace(/_/g, '').length >= 3) stems.add(b).add(`_${b}`);
  }
  if (!stems.size) return false;
  // An upper-case macro (DEFINE_SHOW_ATTRIBUTE, __ATTR_RO, UVC_ATTR) taking a stem as an argument.
  const arg = new RegExp(`\\b_*[A-Z][A-Z0-9_]*\\s*\\(\\s*(?:[^(),]+,\\s*)*(${[...stems].join('|')})\\s*[,)]`);
  const text = (ctx.tree?.readSync(c.path) ?? c.step.post.lines.join('\n')).split('\n');
  return text.some((l) => !l.includes(c.name) && arg.test(l));
}

const ANNOUNCE =
  /\b(?:(?:a |the )?(?:later|follow[- ]?up|future|subsequent|upcoming|next) (?:series|patch(?:es|set)?|work|changes?)|will be used (?:by|in)|users? will (?:follow|come))\b/i;

/** The cover letter's words announcing later users, or null. */
function announcement(series: Series): string | null {
  const text = series.cover?.message.body ?? '';
  const m = ANNOUNCE.exec(text);
  if (!m) return null;
  const start = Math.max(0, text.lastIndexOf('\n', m.index) + 1);
  const end = text.indexOf('\n', m.index);
  return text
    .slice(start, end < 0 ? undefined : end)
    .trim()
    .slice(0, 100);
}
