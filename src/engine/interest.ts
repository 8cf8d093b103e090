// The prefilter: whether a series changes anything a rule declared it reads (RuleMeta.interest).
// Most kernel patches touch nothing a ZONE_DEVICE rule reads; deciding that from the diff's
// changed lines costs microseconds, where building images and parsing C costs milliseconds.
// The changed lines of a series are gathered once, on the first rule that asks.
import type { Model } from '../model/types.js';
import type { Series } from '../types.js';
import type { RuleInterest } from './rule.js';

interface ChangedFile {
  paths: string[];
  added: string[];
  removed: string[];
  /** Whole words of the added and the removed lines, made on first use. */
  addedWords?: Set<string>;
  removedWords?: Set<string>;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;

function wordsOf(lines: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const l of lines) for (const m of l.matchAll(WORD)) out.add(m[0]);
  return out;
}

const modelWordSets = new WeakMap<RuleInterest, { model: Model; words: Set<string> }>();

function modelWords(interest: RuleInterest, model: Model): Set<string> | null {
  if (!interest.modelWords) return null;
  const known = modelWordSets.get(interest);
  if (known?.model === model) return known.words;
  const words = new Set(interest.modelWords(model));
  modelWordSets.set(interest, { model, words });
  return words;
}

/** A series' changed files and lines, gathered once and asked by each rule with an interest. */
export function changesOf(series: Series): (interest: RuleInterest, model: Model) => boolean {
  let files: ChangedFile[] | null = null;
  const gather = (): ChangedFile[] => {
    const out: ChangedFile[] = [];
    for (const patch of series.patches) {
      for (const f of patch.files) {
        const added: string[] = [];
        const removed: string[] = [];
        for (const h of f.hunks)
          for (const l of h.lines)
            if (l.kind === 'add') added.push(l.text);
            else if (l.kind === 'del') removed.push(l.text);
        out.push({ paths: [f.newPath, f.oldPath].filter((p): p is string => p !== null), added, removed });
      }
    }
    return out;
  };
  return (interest, model) => {
    files ??= gather();
    const fromModel = modelWords(interest, model);
    const byWords = (interest.words?.length ?? 0) > 0 || fromModel !== null;
    const paths = interest.paths ?? null;
    const patterns = interest.lines ?? [];
    const byLines = patterns.length > 0;
    for (const f of files) {
      if (paths && !f.paths.some((p) => paths.some((re) => p.search(re) >= 0))) continue;
      if (!byWords && !byLines) return true;
      const sides = interest.added ? [f.added] : [f.added, f.removed];
      if (byLines && sides.some((lines) => lines.some((l) => patterns.some((re) => l.search(re) >= 0)))) return true;
      if (byWords) {
        const sets = interest.added
          ? [(f.addedWords ??= wordsOf(f.added))]
          : [(f.addedWords ??= wordsOf(f.added)), (f.removedWords ??= wordsOf(f.removed))];
        for (const set of sets) {
          if (interest.words?.some((w) => set.has(w))) return true;
          if (fromModel) for (const w of set) if (fromModel.has(w)) return true;
        }
      }
    }
    return false;
  };
}
