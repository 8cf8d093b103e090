// What the memory-type rules need beyond ctx.model(): where in the series a change was
// made (file and line, for findings), and which enumerators the series' own enum shows.
// The delta itself (what is added, removed, renamed) is ctx.model()'s; nothing here repeats it.
import type { SeriesContext } from '../../src/engine/rule.js';
import { valueAt, type Fact, type MemoryType, type Model } from '../../src/model/index.js';
import type { FileStep, SeriesSource } from '../../src/source/types.js';
import { enumBodies, inError } from '../../src/syntax/index.js';
import type { Patch } from '../../src/types.js';

/** Where a patch of the series adds or removes a name. */
export interface NamedSite {
  name: string;
  patch: Patch;
  file: string;
  /** Post-image line (1-based) of the patch: the added line, or where the removed one was. */
  line: number;
}

/**
 * Where each patch adds its enumerators to enum memory_type: for every wanted (name, patch),
 * the first site an image of that patch shows, in the order wanted; names no image shows are
 * left out. One pass over the images, so linear in enum size (asking name by name would re-read
 * every enum once per name: quadratic).
 */
export function addedEnumeratorSites(
  ctx: SeriesContext,
  wanted: readonly { name: string; patchKey: string }[],
): NamedSite[] {
  const byPatch = new Map<string, Set<string>>();
  for (const w of wanted) {
    const names = byPatch.get(w.patchKey) ?? new Set<string>();
    names.add(w.name);
    byPatch.set(w.patchKey, names);
  }
  const found = new Map<string, NamedSite>();
  const key = (patchKey: string, name: string) => `${patchKey}\0${name}`;
  for (const step of ctx.source().steps()) {
    const names = byPatch.get(step.patch.key);
    if (!names) continue;
    const c = ctx.syntax.c(step.post);
    if (!c) continue;
    for (const e of enumBodies(c)) {
      if (e.name !== 'memory_type') continue;
      for (const en of e.enumerators) {
        if (!names.has(en.name) || found.has(key(step.patch.key, en.name))) continue;
        const line = c.line(e.unit, en.node);
        if (line !== null && step.post.addedHere(line)) {
          found.set(key(step.patch.key, en.name), {
            name: en.name,
            patch: step.patch,
            file: step.post.path,
            line: step.post.lineNumber(line),
          });
        }
      }
    }
  }
  return wanted.flatMap((w) => found.get(key(w.patchKey, w.name)) ?? []);
}

/** Members of enum memory_type that any post-image of the series shows. */
export function enumMembersSeen(ctx: SeriesContext): Set<string> {
  const out = new Set<string>();
  for (const step of ctx.source().steps()) {
    if (!step.post.lines.some((l) => /\bMEMORY_DEVICE_/.test(l))) continue;
    const c = ctx.syntax.c(step.post);
    if (!c) continue;
    for (const e of enumBodies(c)) {
      if (e.name === 'memory_type') for (const en of e.enumerators) if (!inError(en.node)) out.add(en.name);
    }
  }
  return out;
}

/**
 * Where `patch` removes a line naming `name` (an enumerator, a helper's head, a `config`
 * entry): the file and the post-image line the removal sits at. null when its diff shows none.
 */
export function removalSite(patch: Patch, name: string): NamedSite | null {
  const word = new RegExp(`\\b${name}\\b`);
  for (const f of patch.files) {
    for (const h of f.hunks) {
      let next = h.newStart;
      for (const l of h.lines) {
        if (l.newLine !== null) next = l.newLine + 1;
        if (l.kind === 'del' && word.test(l.text))
          return { name, patch, file: f.newPath ?? f.oldPath ?? '', line: Math.max(1, next) };
      }
    }
  }
  return null;
}

/** Every enumerator name enum memory_type ever had in the model (mainline or not). */
export function allTypeNames(model: Model): Set<string> {
  return new Set(model.types.flatMap((t) => t.names.map((n) => n.value)));
}

export type PropertyName = 'cpuAddressable' | 'cacheCoherent' | 'migratable' | 'longTermPin' | 'onLru' | 'userMapping';

/**
 * A type's property at the series' release; for a type that does not exist then (a series
 * bringing back or backporting it), the value of its newest fact. null when the model has none.
 */
export function propertyOf<K extends PropertyName>(
  type: MemoryType,
  prop: K,
  release: string,
): MemoryType['properties'][K][number]['value'] | null {
  const facts = type.properties[prop] as Fact<unknown>[];
  const now = valueAt(facts, release);
  if (now !== null) return now as MemoryType['properties'][K][number]['value'];
  const last = facts[facts.length - 1];
  return last === undefined ? null : (last.value as MemoryType['properties'][K][number]['value']);
}

/** The step after which a file is as the series leaves it (null: the series deletes it). */
export function finalSteps(src: SeriesSource): FileStep[] {
  const out: FileStep[] = [];
  for (const f of src.files) {
    const last = f.steps[f.steps.length - 1];
    if (last && last.diff.status !== 'deleted') out.push(last);
  }
  return out;
}
