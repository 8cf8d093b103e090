// Patch[] -> Series[]: by thread first (In-Reply-To/References reaching a cover letter or
// a first patch), by version inside a thread, and for unthreaded mail (format-patch files
// without --thread) by input order, a new series starting where a part number repeats.
// Everything here is one or two passes over the messages with maps: no pairwise work.
import type { Patch, Series } from '../types.js';

export interface Grouping {
  series: Series[];
  stray: Patch[];
}

interface Group {
  members: Patch[];
  root: Patch | null;
  indexes: Set<number>;
}

const RESEND = /(^|[\s,])RESEND([\s,]|$)/i;

function isCandidate(p: Patch): boolean {
  return p.kind === 'patch' || p.kind === 'cover';
}

/**
 * `inputOf` names the input a patch came from (a directory is one input of many files);
 * unthreaded patches group only within one input.
 */
export function groupSeries(
  input: readonly Patch[],
  inputOf: (p: Patch) => string = (p) => p.message.origin.source,
): Grouping {
  const all = withoutCopies(input);
  const order = new Map<Patch, number>();
  all.forEach((p, i) => order.set(p, i));
  const byId = new Map<string, Patch>();
  for (const p of all) if (p.message.messageId && !byId.has(p.message.messageId)) byId.set(p.message.messageId, p);

  const rootMemo = new Map<Patch, Patch>();
  const rootOf = (p: Patch): Patch => {
    const seen: Patch[] = [];
    let cur = p;
    for (;;) {
      const memo = rootMemo.get(cur);
      if (memo) {
        cur = memo;
        break;
      }
      if (seen.includes(cur) || seen.length > 64) break;
      seen.push(cur);
      const parent = parentOf(cur, byId);
      if (!parent || parent === cur) break;
      cur = parent;
    }
    for (const s of seen) rootMemo.set(s, cur);
    return cur;
  };

  const rootUse = new Map<Patch, number>();
  for (const p of all) {
    const r = rootOf(p);
    if (r !== p) rootUse.set(r, (rootUse.get(r) ?? 0) + 1);
  }
  const threaded = (p: Patch) => rootOf(p) !== p || rootUse.has(p);

  // A numbered part sent in reply to the part of the same number it replaces (`[PATCH 2/3] x v2`
  // in reply to `[PATCH 2/3] x`, whatever the version spelling): how many replacements deep it is.
  const replaces = new Map<Patch, number>();
  const depthOf = (p: Patch): number => {
    const known = replaces.get(p);
    if (known !== undefined) return known;
    replaces.set(p, 0);
    const to = p.message.inReplyTo ? byId.get(p.message.inReplyTo) : undefined;
    const same =
      to &&
      to !== p &&
      p.kind === 'patch' &&
      to.kind === 'patch' &&
      p.tags.index !== null &&
      to.tags.index === p.tags.index &&
      to.tags.total === p.tags.total;
    const depth = same ? depthOf(to) + 1 : 0;
    replaces.set(p, depth);
    return depth;
  };

  const groups: Group[] = [];
  const threadGroups = new Map<string, Group>();
  const openBySource = new Map<string, Group>();
  for (const p of all) {
    if (!isCandidate(p)) continue;
    if (p.kind === 'patch' && p.tags.total === null) {
      groups.push({ members: [p], root: threaded(p) ? rootOf(p) : null, indexes: new Set() });
      continue;
    }
    if (threaded(p)) {
      const root = rootOf(p);
      // A RESEND in the thread of the original (one part, or the series again) is not the
      // original sent twice: it groups apart, like a new version. So does a part sent in reply to
      // the one it replaces, whether its version is in the tags, after the subject or nowhere.
      const depth = depthOf(p);
      const key = `${order.get(root)}:v${p.tags.version}${RESEND.test(p.tags.prefix) ? ':resend' : ''}${depth ? `:r${depth}` : ''}`;
      let g = threadGroups.get(key);
      if (!g) {
        g = { members: [], root, indexes: new Set() };
        threadGroups.set(key, g);
        groups.push(g);
      }
      g.members.push(p);
      continue;
    }
    const source = inputOf(p);
    let g = openBySource.get(source);
    const index = p.tags.index;
    // One unthreaded series declares one total: `[PATCH 1/2]` then `[PATCH 2/3]` (Debian's patch
    // mbox) are parts of two series, not one whose parts disagree. (Mixed versions stay together:
    // series-numbering reports them.)
    const total = g?.members.find((m) => m.tags.total !== null)?.tags.total ?? null;
    const restart =
      !g ||
      (index !== null && g.indexes.has(index)) ||
      (p.kind === 'cover' && g.members.length > 0) ||
      (total !== null && p.tags.total !== null && total !== p.tags.total);
    if (!g || restart) {
      g = { members: [], root: null, indexes: new Set() };
      openBySource.set(source, g);
      groups.push(g);
    }
    g.members.push(p);
    if (index !== null) g.indexes.add(index);
  }

  // A thread whose root is a plain message (no 0/N tag) above patches: that is its cover.
  const promoted = new Set<Patch>();
  for (const g of groups) {
    const root = g.root;
    if (root && root.kind === 'other' && !g.members.some((m) => m.kind === 'cover') && !promoted.has(root)) {
      const cover: Patch = { ...root, kind: 'cover' };
      promoted.add(root);
      g.members.unshift(cover);
    }
  }

  const series = groups.map((g) => toSeries(g, order));
  const memberOf = new Map<string, Series>();
  const byRoot = new Map<Patch, Series>();
  series.forEach((s, k) => {
    for (const m of [...(s.cover ? [s.cover] : []), ...s.patches])
      if (m.message.messageId) memberOf.set(m.message.messageId, s);
    const root = groups[k]!.root ?? groups[k]!.members[0]!;
    if (!byRoot.has(root)) byRoot.set(root, s);
  });

  const stray: Patch[] = [];
  for (const p of all) {
    if (isCandidate(p) || promoted.has(p)) continue;
    const target = seriesOfReply(p, memberOf) ?? byRoot.get(rootOf(p));
    if (target) target.replies.push(p);
    else stray.push(p);
  }
  return { series, stray };
}

/**
 * The same message twice (an mbox put together from two lists' archives, or saved twice) is one
 * message: a later one with the Message-ID and subject of an earlier one is left out. Without a
 * Message-ID nothing tells a copy from a resend, so both stay.
 */
function withoutCopies(input: readonly Patch[]): readonly Patch[] {
  const seen = new Map<string, Patch>();
  let copies = false;
  const kept = input.filter((p) => {
    const id = p.message.messageId;
    if (!id) return true;
    const first = seen.get(id);
    if (!first) {
      seen.set(id, p);
      return true;
    }
    if (first.subject !== p.subject) return true;
    copies = true;
    return false;
  });
  return copies ? kept : input;
}

function parentOf(p: Patch, byId: ReadonlyMap<string, Patch>): Patch | undefined {
  const refs = p.message.references;
  // References lists the thread from its root; the earliest one we hold is the best root.
  for (const id of refs) {
    const hit = byId.get(id);
    if (hit && hit !== p) return hit;
  }
  const parent = p.message.inReplyTo ? byId.get(p.message.inReplyTo) : undefined;
  return parent !== p ? parent : undefined;
}

function seriesOfReply(p: Patch, memberOf: ReadonlyMap<string, Series>): Series | undefined {
  if (p.message.inReplyTo) {
    const s = memberOf.get(p.message.inReplyTo);
    if (s) return s;
  }
  const refs = p.message.references;
  for (let i = refs.length - 1; i >= 0; i--) {
    const s = memberOf.get(refs[i]!);
    if (s) return s;
  }
  return undefined;
}

function mostCommon(values: readonly number[]): number {
  const counts = new Map<number, number>();
  let best = values[0] ?? 1;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > (counts.get(best) ?? 0)) best = v;
  }
  return best;
}

function toSeries(g: Group, order: ReadonlyMap<Patch, number>): Series {
  const covers = g.members.filter((m) => m.kind === 'cover');
  const cover = covers[0] ?? null;
  // A second cover letter stays among the parts so series-numbering can see the duplicate.
  const patches = g.members.filter((m) => m !== cover);
  patches.sort(
    (a, b) =>
      (a.tags.index ?? Infinity) - (b.tags.index ?? Infinity) ||
      (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity),
  );
  const totals = new Set(g.members.map((m) => m.tags.total).filter((t): t is number => t !== null));
  const head = cover ?? patches[0]!;
  return {
    key: head.key,
    title: head.tags.title || head.subject,
    version: mostCommon(g.members.map((m) => m.tags.version)),
    total: totals.size === 1 ? [...totals][0]! : null,
    cover,
    patches,
    replies: [],
  };
}
