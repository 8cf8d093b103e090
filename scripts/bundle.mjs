// `npm run build`'s last step: the compiled CLI (dist/src) as a few files in dist/bundle/, which
// bin/zdcheck.js starts from. Node resolves and compiles ~150 ES modules at every start; bundled,
// checking one patch takes ~60 ms less CPU (docs/performance.md), which the send-email hook pays
// once per patch. The packages in node_modules stay outside (tree-sitter is native), but for the two
// every run loads. Without rolldown (a devDependency) nothing is bundled and bin/zdcheck.js starts from
// dist/src.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/bundle`;
let build;
try {
  ({ build } = await import('rolldown'));
} catch {
  rmSync(out, { recursive: true, force: true });
  console.error('bundle: rolldown is not installed; bin/zdcheck.js runs dist/src');
  process.exit(0);
}
rmSync(out, { recursive: true, force: true });
const BUNDLED = new Set(['commander', 'postal-mime']);
await build({
  // The worker thread's entry sits next to the pool's code, as in dist/src/parallel/ (pool.ts: ./worker.js).
  input: { cli: `${root}dist/src/cli.js`, worker: `${root}dist/src/parallel/worker.js` },
  platform: 'node',
  // Packages stay in node_modules (tree-sitter is native; yaml and ajv load only when a run needs them),
  // but for the two every run loads: each of their files was one more module to resolve at start (the
  // hook on one patch: ~8 ms less with both in the bundle).
  external: (id) => /^[^./]/.test(id) && !BUNDLED.has(id),
  logLevel: 'warn',
  // CommonJS, so bin/zdcheck.js can compile it with V8's code cache (src/startup/code-cache.ts): Node 20
  // has no such cache for ES modules. `.cjs`: the package is "type": "module".
  output: { dir: out, format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs' },
});
// The code cache's loader, which bin/zdcheck.js requires before the bundle: one file of its own
// (a second build, sharing no chunk with the CLI), so all it loads before the cache is on is itself.
await build({
  input: { 'code-cache': `${root}dist/src/startup/code-cache.js` },
  platform: 'node',
  external: [/^[^./]/],
  logLevel: 'warn',
  output: { dir: out, format: 'cjs', entryFileNames: '[name].cjs' },
});
