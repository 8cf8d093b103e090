import { defineRule, type KernelTree, type MessageData, type SeriesContext } from '../../src/engine/rule.js';
import { existsAt, identifierHistory } from '../../src/model/query.js';
import type { Model } from '../../src/model/types.js';
import { formatRange, hullOf } from '../../src/model/version.js';
import { comments, identifiers } from '../../src/syntax/index.js';

// Identifiers of the memory-type world a comment may name. Wildcards (MEMORY_DEVICE_*,
// IORES_DESC_{A,B}) and prefixes ending in `_` are mentions of a family, not of a name.
const IDENT =
  /\b(MEMORY_DEVICE_[A-Z0-9_]*[A-Z0-9]|IORES_DESC_[A-Z0-9_]*[A-Z0-9]|CONFIG_[A-Z0-9_]*[A-Z0-9])\b(?![*{_])/g;
const HEADER = /(?<![\w/.-])((?:[\w-]+\/)*[\w-]+\.h)\b/g;
/**
 * Header names that say they are the kernel's: `linux/`, `asm/`, `asm-generic/`, or a path from the
 * top of the tree. `sys/socket.h`, `netinet/if_ether.h` or a bare `errata.h` may be the C library's
 * or another subsystem's private header: not judged (bare names the model knows are, see judgedHeader).
 */
const KERNEL_HEADER = /^(?:include\/(?:uapi\/)?)?(?:linux|asm|asm-generic)\/|^(?:include|mm|arch)\//;
/** User-space code: its comments name the C library's headers. */
const USER_SPACE = /^(?:tools|usr)\/|(?:^|\/)uapi\//;
/** CONFIG_ symbols of this world, when the model does not know them by name. */
const WORLD_CONFIG = /^(DEVICE_|ZONE_DEVICE|DEV_PAGEMAP|ARCH_HAS_(ZONE_DEVICE|PTE_DEVMAP)|PCI_P2PDMA|FS_DAX)/;

const MISSING = 'comment names what does not exist:';
const GUESS = '; did you mean {{guess}}?';
const NOT_IN_TREE = `${MISSING} {{name}} is defined neither in the base tree nor in the series`;
const OTHER_RELEASES = `${MISSING} {{name}} exists only in {{releases}}, not in {{release}}`;
const NO_SUCH_TYPE = `${MISSING} {{name}} is in no kernel's enum memory_type nor the series`;

/** Why a name does not exist; each has a variant with a guess at the name meant (`<id>Guess`). */
type Absence = 'notInTree' | 'otherReleasesOnly' | 'noSuchType';

/** The message and its data are the one line; `because`, what it rests on (the detail). */
type Verdict = { ok: true } | { ok: false; messageId: Absence; data: MessageData; because?: string } | { ok: null };

/** What one comment line gets wrong: a finding's message and its evidence. */
interface Problem {
  messageId: Absence | `${Absence}Guess` | WrongHeader['messageId'] | 'noSuchHeader';
  data: MessageData;
  detail?: string;
}

/** A comment placing a name in the wrong header. */
interface WrongHeader {
  messageId: 'notInHeader' | 'definedElsewhere';
  data: MessageData;
}

export default defineRule({
  meta: {
    id: 'unknown-identifier-in-comment',
    severity: 'warning',
    description:
      'An added comment names a memory-type identifier or kernel header that does not exist, or puts an identifier in a header that does not define it',
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      notInTree: NOT_IN_TREE,
      notInTreeGuess: NOT_IN_TREE + GUESS,
      otherReleasesOnly: OTHER_RELEASES,
      otherReleasesOnlyGuess: OTHER_RELEASES + GUESS,
      noSuchType: NO_SUCH_TYPE,
      noSuchTypeGuess: NO_SUCH_TYPE + GUESS,
      notInHeader: `${MISSING} {{name}} is not in {{header}} as the series leaves it`,
      definedElsewhere: `${MISSING} {{name}} is defined in {{defined}}, not in {{header}}`,
      noSuchHeader: `${MISSING} {{header}} is not a kernel header`,
      namesNotChecked:
        'without a base tree, {{count}} name(s) in added comments were not checked ({{names}}); give --tree to check them',
      namesNotCheckedAcross:
        'without a base tree, {{count}} name(s) in added comments of {{series}} series were not checked ({{names}}); give --tree to check them',
    },
    // What an added comment line of a C file must name to be judged (namesJudged, below).
    interest: { paths: [/\.[ch]$/], lines: [/MEMORY_DEVICE_|IORES_DESC_|CONFIG_|\.h\b/], added: true },
  },
  check(ctx) {
    const model = ctx.data;
    const steps = ctx.source().steps();
    const mentions: { step: (typeof steps)[number]; line: number; text: string }[] = [];
    for (const step of steps) {
      if (!/\.[ch]$/.test(step.post.path)) continue;
      // Cheap first: only files whose added lines name something the rule judges are parsed (a
      // comment's text is part of its line, so a line naming nothing judged holds no such comment).
      if (!step.diff.hunks.some((h) => h.lines.some((l) => l.kind === 'add' && namesJudged(l.text, model)))) continue;
      // And only files where such a line may be comment text: `#if IS_ENABLED(CONFIG_X)` or
      // `#include <linux/x.h>` alone is code (most series never load tree-sitter then).
      if (!mayBeCommentText(step.post, (text) => namesJudged(text, model))) continue;
      const c = ctx.syntax.c(step.post);
      if (!c) continue;
      for (const k of comments(c)) {
        // Only the comment's own text: `#include <linux/x.h>  /* what it is for */` names x.h in code.
        const startLine = k.unit.segment.start + k.node.startPosition.row - k.unit.prelude;
        const endLine = k.unit.segment.start + k.node.endPosition.row - k.unit.prelude;
        for (let i = k.first; i <= k.last; i++) {
          if (!step.post.addedHere(i)) continue;
          let text = step.post.lines[i]!;
          if (i === endLine) text = text.slice(0, k.node.endPosition.column);
          if (i === startLine) text = text.slice(k.node.startPosition.column);
          if (namesJudged(text, model)) mentions.push({ step, line: i, text });
        }
      }
    }
    if (mentions.length === 0) return;
    // Names and headers are judged against the tree as the series leaves it, not the base alone.
    const tree = ctx.tree;
    const m = ctx.model();
    const release = m.view.release;
    const strong = m.inference.basis !== 'default';
    const inSeries = seriesNames(ctx);
    // The files the series leaves in place (a file it deletes is no longer there to be named).
    const seriesFiles = ctx
      .source()
      .files.filter((f) => f.steps.at(-1)?.diff.status !== 'deleted')
      .map((f) => f.path);
    const unchecked = new Set<string>();
    const treeHas = (name: string) => !!tree && perTree(tree, 'def:' + name, () => treeDefines(tree, name));
    // Whether a header exists is the base tree's answer, asked once per run, unless the series adds or removes it.
    const headerFound = (h: string) => {
      const ends = (p: string) => p === h || p.endsWith('/' + h);
      if (!tree) return seriesFiles.some(ends) || headerExists(h, model, [], null);
      if (tree.changed.some(ends)) return headerExists(h, model, [], tree, false);
      return seriesFiles.some(ends) || perTree(tree.base, 'h:' + h, () => headerExists(h, model, [], tree.base));
    };

    const judge = (name: string): Verdict => {
      const bare = name.startsWith('CONFIG_') ? name.slice(7) : name;
      if (inSeries.has(name) || inSeries.has(bare)) return { ok: true };
      if (name.startsWith('MEMORY_DEVICE_') && m.view.enumMembers.includes(name)) return { ok: true };
      if (tree)
        return treeHas(name)
          ? { ok: true }
          : { ok: false, messageId: 'notInTree', data: { name }, because: `base tree: ${tree.label}` };
      const now = existsAt(bare, release, model);
      if (now === true) return { ok: true };
      if (now === false) {
        const spans = identifierHistory(bare, model).filter((s) => s.mainline);
        const hull = hullOf(spans);
        if (!strong || !hull) return { ok: null };
        return {
          ok: false,
          messageId: 'otherReleasesOnly',
          data: { name, releases: formatRange(hull, model.releases), release },
          because: m.inference.reason,
        };
      }
      // Unknown to the model: the model lists every enumerator enum memory_type ever had.
      if (name.startsWith('MEMORY_DEVICE_'))
        return {
          ok: false,
          messageId: 'noSuchType',
          data: { name },
          because: "zdcheck's model lists every member enum memory_type ever had",
        };
      if (name.startsWith('CONFIG_') && !WORLD_CONFIG.test(bare)) return { ok: true };
      unchecked.add(name);
      return { ok: null };
    };

    for (const { step, line, text } of mentions) {
      const img = step.post;
      const problems: Problem[] = [];
      const names = new Set([...text.matchAll(IDENT)].map((x) => x[1]!));
      for (const name of names) {
        const bare = name.startsWith('CONFIG_') ? name.slice(7) : name;
        if (name.startsWith('CONFIG_') && !WORLD_CONFIG.test(bare) && identifierHistory(bare, model).length === 0)
          continue;
        const v = judge(name);
        const claimed = claimedHeader(text, name);
        if (v.ok === false) {
          const added = m.delta.typesAdded.map((t) => t.name).filter((n) => n !== name);
          const guess =
            name.startsWith('MEMORY_DEVICE_') && added.length
              ? added.join(' or ')
              : suggestion(name, m.view.enumMembers, [...inSeries]);
          const detail = [claimed ? `the comment places it in ${claimed}` : null, v.because ?? null]
            .filter((x) => x !== null)
            .join('; ');
          const said = guess
            ? { messageId: `${v.messageId}Guess` as const, data: { ...v.data, guess } }
            : { messageId: v.messageId, data: v.data };
          problems.push({ ...said, ...(detail ? { detail } : {}) });
        } else if (v.ok === true && claimed) {
          const wrong = wrongHeader(name, claimed, release, m.view.locations, tree, seriesFiles, model);
          if (wrong) problems.push(wrong);
        }
      }
      for (const hm of USER_SPACE.test(img.path) ? [] : text.matchAll(HEADER)) {
        const h = hm[1]!;
        if (!judgedHeader(h, model)) continue;
        const found = headerFound(h);
        if (found === false)
          problems.push({
            messageId: 'noSuchHeader',
            data: { header: h },
            detail: tree
              ? `no such file in the base tree (${tree.label}) with the series applied`
              : "zdcheck's model and the series have no such file",
          });
        else if (found === null) unchecked.add(h);
      }
      for (const p of problems) {
        ctx.report({
          patch: step.patch,
          file: img.path,
          line: img.lineNumber(line),
          messageId: p.messageId,
          data: p.data,
          ...(p.detail ? { detail: p.detail } : {}),
        });
      }
    }
    if (unchecked.size > 0 && !tree) {
      ctx.gather({
        key: 'no-tree',
        items: [...unchecked],
        render: (names, n) => {
          const data: MessageData = { count: names.length, names: listed(names, 4) };
          return {
            severity: 'info',
            notChecked: true,
            messageId: n > 1 ? 'namesNotCheckedAcross' : 'namesNotChecked',
            data: n > 1 ? { ...data, series: n } : data,
            detail: "zdcheck's model does not know them, and only a base tree says whether they exist",
          };
        },
      });
    }
  },
});

/**
 * Whether a text names what the rule judges: an identifier other than a CONFIG_ option outside
 * this world that the model has never heard of, or a header it judges. A comment line that names
 * nothing of the sort can give neither a finding nor an unchecked name.
 */
function namesJudged(text: string, model: Model): boolean {
  if (!/MEMORY_DEVICE_|IORES_DESC_|CONFIG_|\.h\b/.test(text)) return false;
  for (const x of text.matchAll(IDENT)) {
    const name = x[1]!;
    if (!name.startsWith('CONFIG_')) return true;
    const bare = name.slice(7);
    if (WORLD_CONFIG.test(bare) || identifierHistory(bare, model).length > 0) return true;
  }
  for (const h of text.matchAll(HEADER)) if (judgedHeader(h[1]!, model)) return true;
  return false;
}

function listed(names: readonly string[], max: number): string {
  return names.slice(0, max).join(', ') + (names.length > max ? `, and ${names.length - max} more` : '');
}

// Tree searches are answered once per tree and name for the whole run, not per series.
const treeCache = new WeakMap<KernelTree, Map<string, boolean | null>>();
function perTree(tree: KernelTree, key: string, f: () => boolean | null): boolean | null {
  let c = treeCache.get(tree);
  if (!c) treeCache.set(tree, (c = new Map<string, boolean | null>()));
  const known = c.get(key);
  if (known !== undefined) return known;
  const answer = f();
  c.set(key, answer);
  return answer;
}

/** Every identifier the series' images carry in code (comments excluded), and every Kconfig symbol they define or name. */
function seriesNames(ctx: SeriesContext): Set<string> {
  const out = new Set<string>();
  for (const step of ctx.source().steps()) {
    for (const img of [step.pre, step.post]) {
      const c = ctx.syntax.c(img);
      if (c) for (const { node } of identifiers(c)) if (/^(MEMORY_|IORES_|CONFIG_)/.test(node.text)) out.add(node.text);
      const k = ctx.syntax.kconfig(img);
      if (k) for (const e of k.entries) if (e.name) out.add(e.name);
      // #if/#ifdef lines are not always identifiers in the tree (a fragment's unmatched #else).
      for (const l of img.lines)
        if (/^\s*#/.test(l)) for (const x of l.matchAll(/\b(CONFIG_\w+|MEMORY_\w+|IORES_\w+)\b/g)) out.add(x[1]!);
    }
  }
  return out;
}

function treeDefines(tree: KernelTree, name: string): boolean {
  if (name.startsWith('CONFIG_')) {
    const bare = name.slice(7);
    return tree.grep(`^\\s*(menu)?config\\s+${bare}\\b`, ['*Kconfig*']).length > 0;
  }
  return tree.grep(`\\b${name}\\b`, ['include/', 'arch/']).length > 0;
}

/**
 * A header mention exists: true / false, or null when only a base tree could tell. The model's
 * list of headers speaks for every tree unless `modelSays` is false (the series removed one).
 */
function headerExists(
  h: string,
  model: Model,
  seriesFiles: readonly string[],
  tree: KernelTree | null,
  modelSays = true,
): boolean | null {
  const known = knownHeaders(model);
  const ends = (p: string) => p === h || p.endsWith('/' + h);
  if ((modelSays && [...known].some(ends)) || seriesFiles.some(ends)) return true;
  if (!tree) return null;
  const candidates = [
    h,
    `include/${h}`,
    `include/linux/${h}`,
    `include/asm-generic/${h}`,
    `include/uapi/${h}`,
    `include/uapi/linux/${h}`,
  ];
  if (candidates.some((p) => tree.exists(p))) return true;
  if (h.includes('/') && !h.startsWith('asm/')) return tree.list([`*/${h}`]).length > 0;
  return tree.list([`*/${h.replace(/^asm\//, 'asm/')}`]).length > 0;
}

/** A header name the rule has reason to believe is a kernel header of this world. */
function judgedHeader(h: string, model: Model): boolean {
  if (KERNEL_HEADER.test(h)) return true;
  return !h.includes('/') && [...knownHeaders(model)].some((k) => k.endsWith('/' + h));
}

let headersCache: { model: Model; set: Set<string> } | null = null;
function knownHeaders(model: Model): Set<string> {
  if (headersCache?.model === model) return headersCache.set;
  const set = new Set<string>();
  for (const spans of model.index.values()) for (const s of spans) if (s.where?.endsWith('.h')) set.add(s.where);
  for (const h of model.hooks) set.add(h.header);
  for (const t of model.types) for (const f of t.helpers) set.add(f.header);
  headersCache = { model, set };
  return set;
}

/** `X ... in foo.h`: the header a comment says defines X. */
function claimedHeader(text: string, name: string): string | null {
  const re = new RegExp(`\\b${name}\\b[^.;:]{0,30}?\\b(?:in|from)\\s+<?((?:[\\w-]+\\/)*[\\w-]+\\.h)\\b`);
  return re.exec(text)?.[1] ?? null;
}

function wrongHeader(
  name: string,
  header: string,
  release: string,
  locations: Record<string, string[]>,
  tree: KernelTree | null,
  seriesFiles: readonly string[],
  model: Model,
): WrongHeader | null {
  const ends = (p: string) => p === header || p.endsWith('/' + header);
  const bare = name.startsWith('CONFIG_') ? name.slice(7) : name;
  if (tree) {
    const path = [header, `include/${header}`, `include/linux/${header}`].find((p) => tree.exists(p));
    if (!path) return null; // the header check reports a header that does not exist
    const text = tree.readSync(path) ?? '';
    return new RegExp(`\\b${name}\\b`).test(text) ? null : { messageId: 'notInHeader', data: { name, header: path } };
  }
  const where = locations[bare] ?? locations[name] ?? (existsAt(bare, release, model) ? [] : []);
  if (where.length === 0 || where.some(ends) || seriesFiles.some(ends)) return null;
  return { messageId: 'definedElsewhere', data: { name, defined: where.join(', '), header } };
}

/** The closest existing enumerator, for a hint: a shared word after MEMORY_DEVICE_. */
function suggestion(name: string, members: readonly string[], seriesNames: readonly string[]): string | null {
  if (!name.startsWith('MEMORY_DEVICE_')) return null;
  const words = new Set(name.slice(14).split('_'));
  const pool = [...new Set([...seriesNames.filter((n) => n.startsWith('MEMORY_DEVICE_')), ...members])].filter(
    (n) => n !== name,
  );
  return (
    pool.find((n) =>
      n
        .slice(14)
        .split('_')
        .some((w) => words.has(w)),
    ) ?? null
  );
}

/**
 * Whether an added line of the image that `judged` accepts may be comment text, judged by the
 * characters alone: it holds a comment's mark (`/*`, `*\/`, `//`, a leading `*`), or a block comment
 * opened above it is not closed yet. Generous: a string holding `/*` only makes the file parsed.
 */
function mayBeCommentText(
  img: { lines: readonly string[]; addedHere(i: number): boolean },
  judged: (text: string) => boolean,
): boolean {
  let open = false;
  for (let i = 0; i < img.lines.length; i++) {
    const text = img.lines[i]!;
    const marked = /\/\*|\*\/|\/\/|^\s*\*/.test(text);
    if ((open || marked) && img.addedHere(i) && judged(text)) return true;
    // The line's last mark decides: a `/*` after its last `*/` leaves a comment open, a `*/` closes it.
    const opens = text.lastIndexOf('/*');
    const closes = text.lastIndexOf('*/');
    if (opens > closes) open = true;
    else if (closes >= 0) open = false;
  }
  return false;
}
