// What a patch owes the lists: for each file it touches, the lists MAINTAINERS (or the
// fallback table) names, and which of those its recipients leave out.
import type { FileDiff, Patch } from '../types.js';
import type { KernelTree } from '../tree/types.js';
import { fallbackListsFor } from './fallback.js';
import { listAddresses, namedBy } from './history.js';
import { maintainers, type ListDemand, type Maintainers } from './index.js';

export interface ListSource {
  /** 'tree': the base tree's MAINTAINERS; 'fallback': the built-in table. */
  kind: 'tree' | 'fallback';
  listsFor(path: string): ListDemand[];
  /** Why the fallback was used, for the message. */
  why: string;
}

const parsed = new WeakMap<KernelTree, Maintainers | null>();

/** A tree with a series applied (src/tree/after.ts): its MAINTAINERS is the base's unless the series changes it. */
interface Layered extends KernelTree {
  readonly base: KernelTree;
  changes(path: string): boolean;
}

/**
 * The lists MAINTAINERS names, read from `tree` (the tree as the series leaves it: a series
 * that adds a section for its files asks for that section's list), else the built-in table.
 */
export function listSource(tree: KernelTree | Layered | null): ListSource {
  if (tree) {
    // Parsed once per run, not per series, when the series leaves MAINTAINERS as it was.
    const owner = 'base' in tree && !tree.changes('MAINTAINERS') ? tree.base : tree;
    if (!parsed.has(owner)) {
      const text = owner.readSync('MAINTAINERS');
      parsed.set(owner, text === null ? null : maintainers(text));
    }
    const m = parsed.get(owner);
    if (m) return { kind: 'tree', listsFor: (p) => m.listsFor(p), why: '' };
    return { kind: 'fallback', listsFor: fallbackListsFor, why: `the base tree ${tree.label} has no MAINTAINERS` };
  }
  return { kind: 'fallback', listsFor: fallbackListsFor, why: 'no base tree given' };
}

/**
 * Lists a patch is not addressed to, in the order its files bring them in. A list is one list
 * under every address it had (named by its newest); one that MAINTAINERS named only after the
 * posting was sent is not asked of it; a file the patch only adds #include lines to brings in
 * no list (its maintainers review the header, not the file that uses it).
 */
export function missingLists(patch: Patch, source: ListSource): ListDemand[] {
  // A mail with neither To nor Cc (format-patch output) says nothing of where it will go.
  if (!patch.recipients?.length) return [];
  const to = new Set(patch.recipients.map((p) => p.address.trim().toLowerCase()));
  const day = postingDay(patch);
  const missing: ListDemand[] = [];
  for (const f of patch.files) {
    if (onlyAddsIncludes(f)) continue;
    for (const path of new Set([f.oldPath, f.newPath])) {
      if (!path) continue;
      for (const named of source.listsFor(path)) {
        const d = oneList(named);
        if (day !== null && !namedBy(d.list, d.section, day)) continue;
        if (d.accepts.some((a) => to.has(a))) continue;
        if (!missing.some((m) => m.list === d.list)) missing.push(d);
      }
    }
  }
  return missing;
}

/** The demand under the list's newest address, accepting every address it had. */
function oneList(d: ListDemand): ListDemand {
  const addresses = listAddresses(d.list);
  return {
    ...d,
    list: addresses[0]!,
    accepts: [...new Set([...addresses, ...d.accepts.flatMap((a) => listAddresses(a))])],
  };
}

/** The day (UTC, YYYY-MM-DD) the mail was sent: its Date header, else the in-body one; null when neither parses. */
function postingDay(patch: Patch): string | null {
  for (const date of [patch.message.date, patch.date]) {
    const t = date ? Date.parse(date) : NaN;
    if (!Number.isNaN(t)) return new Date(t).toISOString().slice(0, 10);
  }
  return null;
}

/** The change to this file is #include lines added and nothing else. */
export function onlyAddsIncludes(f: FileDiff): boolean {
  let includes = 0;
  for (const h of f.hunks)
    for (const l of h.lines) {
      if (l.kind === 'del') return false;
      if (l.kind !== 'add') continue;
      if (/^\s*#\s*include\s*[<"]/.test(l.text)) includes++;
      else if (l.text.trim() !== '') return false;
    }
  return includes > 0;
}
