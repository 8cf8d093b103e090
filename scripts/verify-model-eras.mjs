// `node scripts/verify-model-eras.mjs [CORPUS]`: checks the model's data against the whole trees
// releases.yaml lists as observed (those of them the corpus holds, linux-<release>.<n>/): every
// mainline name of the model must be defined in a tree where the data says it exists, and not where
// it says it does not. A name the data gets wrong at an observed release is printed; exit 1 then.
// Run `npm run build` first.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = process.argv[2] ?? process.env.ZDCHECK_CORPUS ?? join(homedir(), '.cache/zdcheck-corpus');
if (!existsSync(join(root, 'dist/src/model/era.js'))) { console.error('verify-model-eras: run `npm run build` first'); process.exit(2); }
const { loadModel } = await import(join(root, 'dist/src/model/load.js'));
const { boundariesOf } = await import(join(root, 'dist/src/model/era.js'));
const { treeDefines } = await import(join(root, 'dist/src/model/tree/defines.js'));
const { dirTree } = await import(join(root, 'dist/src/tree/dir.js'));
const { inRange } = await import(join(root, 'dist/src/model/version.js'));

const model = loadModel();
let wrong = 0;
for (const obs of model.observed) {
  const dirs = existsSync(corpus) ? readdirSync(corpus).filter((d) => d.startsWith(`linux-${obs.release}.`) && /^linux-[\d.]+$/.test(d)) : [];
  if (dirs.length === 0) { console.log(`${obs.release}: no tree in ${corpus}, not checked`); continue; }
  for (const d of dirs) {
    const tree = dirTree(join(corpus, d));
    let checked = 0;
    for (const name of model.index.keys()) {
      if (/\s/.test(name)) continue;
      const h = boundariesOf(name, model);
      if (!h) continue;
      const says = h.intervals.some((iv) => inRange(obs.release, iv));
      const has = treeDefines(tree, name, h.kind, h.files);
      if (has === null) continue;
      checked++;
      if (has !== says) { wrong++; console.log(`${d}: ${name} (${h.kind}): the data says ${says ? 'present' : 'absent'}, the tree ${has ? 'defines it' : 'does not'}`); }
    }
    console.log(`${d}: ${checked} names checked`);
  }
}
process.exit(wrong ? 1 : 0);
