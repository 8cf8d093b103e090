// Prints the `api_names` list of rules/model/world.yaml: every name (function, macro, enumerator,
// type, variable; not struct members) that the ZONE_DEVICE API headers declare under an #if of one
// of the options config-only-name and missing-config-stub reason about, in any of the trees given.
// A series that adds or removes one of them is in the ZONE_DEVICE world even when it touches no file
// of it (a driver calling add_memory_driver_managed()).
//
//   npm run build && node scripts/world-names.mjs linux-5.10.223 linux-6.1.187 linux-6.12.107 linux-7.2.8
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { headerDeclarations } from '../dist/src/kbuild/index.js';
import { ZONE_DEVICE_API_HEADERS } from '../dist/src/kbuild/headers.js';
import { CONFIG_ONLY_OPTIONS, positiveSymbols } from '../dist/src/kbuild/availability.js';

const trees = process.argv.slice(2);
if (!trees.length) {
  process.stderr.write('usage: node scripts/world-names.mjs TREE...\n');
  process.exit(2);
}
const names = new Set();
for (const tree of trees) {
  for (const header of ZONE_DEVICE_API_HEADERS) {
    const path = `${tree}/${header}`;
    if (!existsSync(path)) continue;
    for (const d of headerDeclarations(header, readFileSync(path, 'utf8'))) {
      if (d.kind === 'field') continue;
      if ([...positiveSymbols(d.guard)].some((s) => CONFIG_ONLY_OPTIONS.has(s))) names.add(d.name);
    }
  }
}
const versions = trees.map((t) => basename(t).replace(/^linux-/, 'v')).join(', ');
const sorted = [...names].sort();
const lines = [];
let line = '   ';
for (const n of sorted) {
  if (line.length + n.length + 2 > 118) {
    lines.push(line);
    line = '   ';
  }
  line += ` ${n},`;
}
lines.push(line.replace(/,$/, ''));
process.stdout.write(
  `  # ${sorted.length} names, read from the ${versions} trees by scripts/world-names.mjs\n  api_names: [\n${lines.join('\n')}\n  ]\n`,
);
