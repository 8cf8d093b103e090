#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script):
// dist/bundle/ (scripts/bundle.mjs, CommonJS) when it is as new as dist/src, compiled with V8's code
// cache (dist/src/startup/code-cache.js); else dist/src itself.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const src = new URL('../dist/src/cli.js', import.meta.url);
const bundle = new URL('../dist/bundle/cli.cjs', import.meta.url);
const mtime = (u) => { try { return statSync(fileURLToPath(u)).mtimeMs; } catch { return -1; } };
if (!existsSync(fileURLToPath(src))) {
  process.stderr.write('zdcheck: not built; run `npm ci` (or `npm run build`) in the checkout first\n');
  process.exit(2);
}
// A bundle older than dist/src (tsc run alone) is not used: it would run the old code.
let main;
if (mtime(bundle) >= mtime(src)) {
  const { requireWithCodeCache } = await import(new URL('../dist/src/startup/code-cache.js', import.meta.url).href);
  ({ main } = requireWithCodeCache(fileURLToPath(bundle), fileURLToPath(new URL('..', import.meta.url))));
} else ({ main } = await import(src.href));
process.exitCode = await main(process.argv.slice(2), { ownProcess: true });
