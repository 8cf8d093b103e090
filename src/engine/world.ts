// The ZONE_DEVICE world gate: whether a series touches anything zdcheck's code rules are about.
// zdcheck checks series that touch ZONE_DEVICE; a mailbox or a stable queue holds mostly others
// (network drivers, file systems), on which only the mail checks have anything to say. Deciding
// that from paths and the words of changed lines costs microseconds; building images, parsing C
// and reading base files for each such series cost most of a run (docs/performance.md).
// The world is data (rules/model/world.yaml) and generous: what it wrongly takes in costs time,
// what it wrongly leaves out is not checked, so every identifier the model knows counts too.
import type { Model } from '../model/types.js';
import type { Series } from '../types.js';

const wordsByModel = new WeakMap<Model, ReadonlySet<string>>();

/**
 * The names that put a series in the world, each also as `CONFIG_<name>` (how C and Makefiles say a
 * symbol). Not the model's struct members: `kill`, `cleanup` or `page_free` alone say nothing (a
 * `goto cleanup;` is in every other patch); a series that uses them as dev_pagemap's names one of
 * the world's own words too (`pgmap`, `dev_pagemap_ops`).
 */
export function worldWords(model: Model): ReadonlySet<string> {
  let words = wordsByModel.get(model);
  if (words) return words;
  const modelNames = [...model.index]
    .filter(([name, spans]) => /^\w+$/.test(name) && spans.some((s) => s.kind !== 'member'))
    .map(([name]) => name);
  const set = new Set<string>([...model.world.words, ...modelNames]);
  for (const w of [...set]) if (/^[A-Z][A-Z0-9_]*$/.test(w)) set.add(`CONFIG_${w}`);
  wordsByModel.set(model, (words = set));
  return words;
}

const WORD = /[A-Za-z_]\w*/g;

/**
 * Whether a message of the series is addressed to a list of the world, or a patch of it changes a
 * file of the world (its old or new path) or adds or removes a line that names one of its words or
 * matches one of its shapes. Lists and paths first: they decide most series at once.
 */
export function touchesWorld(series: Series, model: Model): boolean {
  const lists = model.world.lists;
  for (const m of [series.cover, ...series.patches])
    if (m?.recipients?.some((r) => lists.includes(r.address.toLowerCase()))) return true;
  const paths = model.world.paths;
  for (const patch of series.patches)
    for (const f of patch.files)
      for (const p of [f.newPath, f.oldPath]) if (p !== null && paths.some((re) => re.test(p))) return true;
  const words = worldWords(model);
  const shapes = model.world.lines;
  for (const patch of series.patches) {
    // A patch's added and removed lines as one text: each shape and the word scan run once over it,
    // not once a line (neither a shape nor a word spans a newline, so the answer is the same).
    const changed: string[] = [];
    for (const f of patch.files)
      for (const h of f.hunks) for (const l of h.lines) if (l.kind !== 'context') changed.push(l.text);
    if (changed.length === 0) continue;
    const text = changed.join('\n');
    if (shapes.some((re) => re.test(text)) || namesWord(text, words)) return true;
  }
  return false;
}

/** Whether `text` names one of `words` (a loop over the identifiers: no array of them is made). */
function namesWord(text: string, words: ReadonlySet<string>): boolean {
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) if (words.has(m[0])) return true;
  return false;
}
