// npm run docs: writes the docs index from the rule registry — the README's rule table (between
// <!-- rules:start --> and <!-- rules:end -->) and rules/README.md. Reads the built registry in dist/
// (npm run docs builds first); test/docs-index.test.ts fails when either file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULE_METAS } from '../dist/src/rules.js';
import { rulesIndex, withRulesTable, TABLE_START, TABLE_END } from '../dist/src/report/docs-index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const updated = withRulesTable(readme, RULE_METAS);
if (updated === null) {
  process.stderr.write(`docs: README.md has no ${TABLE_START} ... ${TABLE_END} markers for the rule table\n`);
  process.exit(1);
}
const written = [];
if (updated !== readme) {
  writeFileSync(readmePath, updated);
  written.push('README.md');
}
const indexPath = join(root, 'rules', 'README.md');
const index = rulesIndex(RULE_METAS);
let old = null;
try {
  old = readFileSync(indexPath, 'utf8');
} catch {
  // first run: the index does not exist yet
}
if (old !== index) {
  writeFileSync(indexPath, index);
  written.push('rules/README.md');
}
process.stdout.write(written.length ? `docs: wrote ${written.join(', ')} (${RULE_METAS.length} rules)\n` : `docs: up to date (${RULE_METAS.length} rules)\n`);
