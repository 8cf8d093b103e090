// Series grouping as the messages arrive, so a run can check each series and let its text go
// while the rest of a 1 GB mbox is still being read. groupSeries decides the grouping; this
// file decides when a set of messages can no longer change it, and hands that set over.
//
// Messages that can affect each other's grouping form a component: threading links (a
// Message-ID one message has and another names in In-Reply-To/References, in either order),
// and the unthreaded candidates of one input (the open format-patch series that a later part
// may join). groupSeries over one component gives exactly what it gives over the whole input
// restricted to that component, so the order of series is kept by sorting on the input
// position of the message that opened each one.
//
// A component is closed (and may be checked):
//  - at once when nothing later can join it: a message without Message-ID or references
//    (`git format-patch` output, the stable mbox) that is a lone patch or not a candidate, or
//    an unthreaded format-patch series when the next series of its input starts;
//  - when its input ends, for an unthreaded series without Message-IDs;
//  - otherwise (threaded mail) when THREAD_WINDOW messages have gone by without one joining it,
//    or at the end of the input. A reply arriving later than that, or naming a message that
//    came more than the window before, is grouped as if the earlier messages were not there
//    (usually: a stray message). No real thread in a mail archive mbox is that spread out.
import type { Patch, Series } from '../types.js';
import { groupSeries } from './group.js';

/** Messages after which a thread nobody wrote to is taken as complete (see the head comment). */
export const THREAD_WINDOW = 5000;

export interface Ordered<T> {
  value: T;
  /** Input position (message counter) of the message that opened the series, or of the stray. */
  order: number;
}

export interface ClosedGroup {
  series: Ordered<Series>[];
  stray: Ordered<Patch>[];
}

interface Member {
  patch: Patch;
  order: number;
  input: string;
}

interface Component {
  parent: Component | null;
  members: Member[];
  /** Message-IDs of the members, and ids they name that no message had (yet). */
  ids: Set<string>;
  wanted: Set<string>;
  last: number;
  closed: boolean;
  /** The open unthreaded series of an input, when this component is its chain and has no ids. */
  chain: { input: string; indexes: Set<number>; total: number | null; size: number } | null;
}

function isCandidate(p: Patch): boolean {
  return p.kind === 'patch' || p.kind === 'cover';
}

function refsOf(p: Patch): string[] {
  const m = p.message;
  return m.inReplyTo ? [...m.references, m.inReplyTo] : m.references;
}

export class SeriesStream {
  private counter = 0;
  private readonly byId = new Map<string, Component>();
  private readonly open = new Set<Component>();
  /** The component holding each input's open unthreaded series. */
  private readonly chains = new Map<string, Component>();

  private readonly checkEvery: number;

  constructor(private readonly window: number = THREAD_WINDOW) {
    this.checkEvery = Math.max(1, Math.min(256, window));
  }

  /** Takes the next message; returns what it closed. */
  push(patch: Patch, input: string): ClosedGroup[] {
    const order = this.counter++;
    const out: ClosedGroup[] = [];
    const member: Member = { patch, order, input };
    const refs = refsOf(patch);
    const id = patch.message.messageId;
    const linked = new Set<Component>();
    let threadedNow = false;
    for (const r of refs) {
      const c = this.find(r);
      if (c) {
        linked.add(c);
        if (c.ids.has(r)) threadedNow = true;
      }
    }
    if (id) {
      const c = this.find(id);
      if (c) linked.add(c);
    }
    const chainable = isCandidate(patch) && !(patch.kind === 'patch' && patch.tags.total === null) && !threadedNow;
    let chain: Component | null;
    if (chainable) {
      const c = this.chains.get(input);
      chain = c ? this.root(c) : null;
      if (chain?.closed) chain = null;
      // An id-free chain holds exactly one unthreaded series: where groupSeries would start a
      // new one, the old one is final.
      if (chain && chain.chain && id === null && refs.length === 0 && restarts(chain.chain, patch)) {
        out.push(this.close(chain));
        chain = null;
      }
      if (chain) linked.add(chain);
    }

    const comp = this.merge([...linked], member);
    if (id) {
      comp.ids.add(id);
      comp.wanted.delete(id);
      this.byId.set(id, comp);
    }
    for (const r of refs) {
      if (!comp.ids.has(r)) {
        comp.wanted.add(r);
        this.byId.set(r, comp);
      }
    }
    if (chainable) {
      this.chains.set(input, comp);
      if (comp.chain && comp.ids.size === 0 && comp.wanted.size === 0 && comp.members.length === comp.chain.size + 1) {
        advance(comp.chain, patch);
      } else if (comp.members.length === 1 && comp.ids.size === 0 && comp.wanted.size === 0) {
        comp.chain = { input, indexes: new Set(), total: null, size: 0 };
        advance(comp.chain, patch);
      } else {
        comp.chain = null;
      }
    } else if (comp.ids.size === 0 && comp.wanted.size === 0 && comp.members.length === 1 && comp.chain === null) {
      // Nothing can name it and it joins no chain: a lone patch or a stray, final now.
      out.push(this.close(comp));
    }
    if ((order + 1) % this.checkEvery === 0) out.push(...this.closeIdle());
    return out;
  }

  /** One input is read to its end: its unthreaded series without ids are complete. */
  endInput(input: string): ClosedGroup[] {
    const c = this.chains.get(input);
    this.chains.delete(input);
    if (!c) return [];
    const r = this.root(c);
    return !r.closed && r.chain ? [this.close(r)] : [];
  }

  /** End of all input: everything still open. */
  end(): ClosedGroup[] {
    const all = [...this.open].sort((a, b) => a.members[0]!.order - b.members[0]!.order);
    return all.map((c) => this.close(c));
  }

  private closeIdle(): ClosedGroup[] {
    const out: ClosedGroup[] = [];
    for (const c of this.open) if (this.counter - c.last > this.window) out.push(this.close(c));
    return out;
  }

  private root(c: Component): Component {
    let r = c;
    while (r.parent) r = r.parent;
    while (c.parent) {
      const next: Component = c.parent;
      c.parent = r;
      c = next;
    }
    return r;
  }

  private find(id: string): Component | null {
    const c = this.byId.get(id);
    if (!c) return null;
    const r = this.root(c);
    return r.closed ? null : r;
  }

  private merge(comps: Component[], member: Member): Component {
    if (comps.length === 0) {
      const c: Component = {
        parent: null,
        members: [member],
        ids: new Set(),
        wanted: new Set(),
        last: member.order,
        closed: false,
        chain: null,
      };
      this.open.add(c);
      return c;
    }
    comps.sort((a, b) => b.members.length - a.members.length);
    const big = comps[0]!;
    for (const small of comps.slice(1)) {
      small.parent = big;
      this.open.delete(small);
      big.members = mergeByOrder(big.members, small.members);
      for (const i of small.ids) big.ids.add(i);
      for (const w of small.wanted) big.wanted.add(w);
      small.members = [];
      small.ids.clear();
      small.wanted.clear();
    }
    for (const i of big.ids) big.wanted.delete(i);
    big.members.push(member);
    big.last = member.order;
    // Several components merged, or ids came in: it is no longer one plain unthreaded series.
    if (comps.length > 1) big.chain = null;
    return big;
  }

  private close(c: Component): ClosedGroup {
    c.closed = true;
    this.open.delete(c);
    const drop = (id: string) => {
      const at = this.byId.get(id);
      if (at && this.root(at) === c) this.byId.delete(id);
    };
    for (const i of c.ids) drop(i);
    for (const w of c.wanted) drop(w);
    const inputs = new Map<Patch, Member>(c.members.map((m) => [m.patch, m]));
    const { series, stray } = groupSeries(
      c.members.map((m) => m.patch),
      (p) => inputs.get(p)?.input ?? p.message.origin.source,
    );
    const orderOf = (p: Patch): number => inputs.get(p)?.order ?? Infinity;
    const result: ClosedGroup = {
      // A series opens at its first candidate in input order (a promoted cover is a copy, not a member).
      series: series.map((s) => ({
        value: s,
        order: Math.min(...[s.cover, ...s.patches].filter((p): p is Patch => p !== null).map(orderOf)),
      })),
      stray: stray.map((p) => ({ value: p, order: orderOf(p) })),
    };
    c.members = [];
    c.ids.clear();
    c.wanted.clear();
    return result;
  }
}

function restarts(chain: NonNullable<Component['chain']>, p: Patch): boolean {
  const index = p.tags.index;
  return (
    (index !== null && chain.indexes.has(index)) ||
    (p.kind === 'cover' && chain.size > 0) ||
    (chain.total !== null && p.tags.total !== null && chain.total !== p.tags.total)
  );
}

function advance(chain: NonNullable<Component['chain']>, p: Patch): void {
  if (p.tags.index !== null) chain.indexes.add(p.tags.index);
  if (chain.total === null && p.tags.total !== null) chain.total = p.tags.total;
  chain.size++;
}

function mergeByOrder(a: Member[], b: Member[]): Member[] {
  const out: Member[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.order <= b[j]!.order ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
