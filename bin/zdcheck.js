#!/usr/bin/env node
// Thin launcher, CommonJS (bin/package.json): Node starts a CommonJS entry sooner than an ES module,
// which the send-email hook pays once per patch (docs/performance.md). The compiled CLI lives in
// dist/ (built by `npm ci` through the prepare script): dist/bundle/ (scripts/bundle.mjs) when it is
// as new as dist/src, compiled with V8's code cache by dist/bundle/code-cache.cjs
// (src/startup/code-cache.ts); else dist/src itself, as ES modules.
'use strict';
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const root = join(__dirname, '..');
const src = join(root, 'dist', 'src', 'cli.js');
const bundle = join(root, 'dist', 'bundle', 'cli.cjs');
const loader = join(root, 'dist', 'bundle', 'code-cache.cjs');
const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};
if (!existsSync(src)) {
  process.stderr.write('zdcheck: not built; run `npm ci` (or `npm run build`) in the checkout first\n');
  process.exit(2);
}
// A bundle older than dist/src (tsc run alone) is not used: it would run the old code.
const cli =
  mtime(bundle) >= mtime(src) && existsSync(loader)
    ? Promise.resolve(require(loader).requireWithCodeCache(bundle, root, process.argv[2] === 'hook' ? 'hook' : 'check'))
    : import(pathToFileURL(src).href);
// The run is over when main resolves: the process ends once its output is written, without waiting for
// the event loop to drain (V8 finishing a garbage collection there cost the Debian mbox ~13 ms).
const leave = (code) => {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
};
cli
  .then(({ main }) => main(process.argv.slice(2), { ownProcess: true }))
  .then(leave, (err) => {
    process.stderr.write(`zdcheck: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    leave(2);
  });
