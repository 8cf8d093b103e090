// False-positive check on a real kernel tree: every line of the chosen files is treated as
// added by one patch (a new-file diff), and the C rules run over them. A correct kernel
// should give no uncalled-predicate or duplicate-enumerator errors.
//   node bench/kernel-check.mjs /path/to/linux [glob-dirs...]   (after npm run build)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url);
const { createRun } = await import(new URL('src/engine/check.js', dist).href);
const { parseCImage } = await import(new URL('src/syntax/index.js', dist).href);
const uncalled = (await import(new URL('rules/uncalled-predicate/index.js', dist).href)).default;
const duplicate = (await import(new URL('rules/duplicate-enumerator/index.js', dist).href)).default;
const { buildSource } = await import(new URL('src/source/index.js', dist).href);

const root = process.argv[2];
if (!root) { console.error('usage: node bench/kernel-check.mjs <linux-tree> [dir:ext ...]'); process.exit(2); }
const specs = process.argv.length > 3 ? process.argv.slice(3) : ['mm:.c', 'include/linux:.h'];

export function newFilePatch(key, files) {
  return {
    key, kind: 'patch', subject: `[PATCH] ${key}`, author: null, date: null, commitMessage: '', trailers: [], diffstat: null,
    baseCommit: null, recipients: null,
    tags: { prefix: 'PATCH', rfc: false, version: 1, index: null, total: null, reply: false, title: key },
    message: { origin: { source: 'bench', index: 0, line: 1 }, from: null, to: [], cc: [], subject: key, date: null, messageId: null,
      inReplyTo: null, references: [], body: '', headers: new Map(), commit: null },
    files: files.map(({ path, text }) => {
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      return {
        oldPath: null, newPath: path, status: 'added', binary: false, oldMode: null, newMode: '100644', additions: lines.length, deletions: 0,
        hunks: [{ header: `@@ -0,0 +1,${lines.length} @@`, oldStart: 0, oldLines: 0, newStart: 1, newLines: lines.length,
          lines: lines.map((t, i) => ({ kind: 'add', text: t, oldLine: null, newLine: i + 1 })) }],
      };
    }),
  };
}

const files = [];
for (const spec of specs) {
  const [dir, ext] = spec.split(':');
  for (const name of readdirSync(join(root, dir)).sort()) {
    if (name.endsWith(ext)) files.push({ path: `${dir}/${name}`, text: readFileSync(join(root, dir, name), 'utf8') });
  }
}
const patch = newFilePatch('kernel', files);
const series = { key: 'kernel', title: 'kernel', version: 1, total: null, cover: null, patches: [patch], replies: [] };
const collection = { series: [series], stray: [], unreadable: [], gitBase: null };

const t0 = performance.now();
const src = buildSource(series, new Map());
let units = 0, broken = 0, lines = 0, errorNodes = 0;
for (const step of src.steps()) {
  const c = parseCImage(step.post);
  lines += step.post.lines.length;
  for (const u of c.units) {
    units++;
    if (u.root.hasError) { broken++; errorNodes += u.root.descendantsOfType('ERROR').length; }
  }
}
const t1 = performance.now();
// The engine's own series loop, with the files as the base (every line of them added by the patch).
const checker = createRun([uncalled, duplicate], collection, { tree: null, kernel: null }, { base: new Map() });
checker.series(series, 0);
const findings = checker.finish(1);
const t2 = performance.now();
console.log(`${files.length} files, ${lines} lines: parsed in ${(t1 - t0).toFixed(0)} ms; ${broken} files with some ERROR node (${errorNodes} ERROR nodes)`);
console.log(`rules (incl. their own parse) in ${(t2 - t1).toFixed(0)} ms: ${findings.length} findings`);
const byRule = {};
for (const f of findings) byRule[`${f.rule}/${f.severity}`] = (byRule[`${f.rule}/${f.severity}`] ?? 0) + 1;
console.log(byRule);
for (const f of findings.filter((f) => f.severity === "error").concat(findings.filter((f) => f.severity !== "error")).slice(0, Number(process.env.SHOW ?? 40))) console.log(`  ${f.file}:${f.line} ${f.rule} ${f.severity}: ${f.message}`);
