// Node 20 compiles every module of the CLI at every start (its compile cache,
// module.enableCompileCache, is Node 22's), and a run that checks one patch spends a good part of its
// time there. The bundle (dist/bundle, CommonJS for this reason: scripts/bundle.mjs) and the CommonJS
// packages it loads are therefore compiled through vm.Script with V8's code cache, kept in the user's
// cache directory (src/tree/cache.ts) per Node version and file: the next run starts from the compiled
// functions (docs/performance.md). V8 checks each cache against the source and its own flags and
// rejects what does not fit; a cache that cannot be read or written is passed over.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join, sep } from 'node:path';
import vm from 'node:vm';
import { v8FlagsChanged } from '../gc.js';
import { cacheRoot } from '../tree/cache.js';

type Compile = (this: Module, content: string, filename: string) => unknown;
interface Compiled {
  script: vm.Script;
  file: string;
  /** The part of its name that names the source file for good (pathKey). */
  key: string;
}

/**
 * Requires the bundle's entry `entry` (a .cjs file), compiling it, its chunks and the CommonJS files
 * of `within` it loads (the packages in node_modules: commander, yaml, ajv...) with the code cache.
 * Caches missing or rejected are written when the process exits, unless the run changed
 * V8's flags. `kind` keeps the send-email hook's caches apart from the other runs'.
 */
export function requireWithCodeCache(
  entry: string,
  within: string,
  kind: RunKind = 'check',
  env: NodeJS.ProcessEnv = process.env,
): unknown {
  const dir = cacheDirFor(env, kind);
  if (dir === null) return createRequire(entry)(entry);
  const proto = Module.prototype as unknown as { _compile: Compile };
  const compile = proto._compile;
  const made: Compiled[] = [];
  const inside = within.endsWith(sep) ? within : within + sep;
  proto._compile = function (this: Module, content: string, filename: string): unknown {
    // A script compiled by vm runs import() only with a loader Node 20 calls experimental (and warns
    // about on stderr, which b4 reads as the check's output): a file that holds one loads as usual.
    if (!filename.startsWith(inside) || content.includes('import(')) return compile.call(this, content, filename);
    const key = pathKey(filename);
    const file = join(dir, cacheName(filename, key));
    const cachedData = readOrUndefined(file);
    const script = new vm.Script(Module.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    if (cachedData === undefined || script.cachedDataRejected === true) made.push({ script, file, key });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename));
  };
  // On 'exit', not 'beforeExit': the launcher ends the process as soon as the output is out.
  process.once('exit', () => save(made, dir, dirname(entry)));
  return createRequire(entry)(entry);
}

/**
 * The kind of run a cache serves. A cache holds the functions compiled by the run that wrote it: one
 * written by the hook (one patch, git) lacks most of what a check of an archive runs, and one written
 * by such a check is larger than the hook needs. Measured on the Debian mbox and a Debian patch, the
 * other kind's cache cost 18 ms and 7 ms a run (docs/performance.md).
 */
export type RunKind = 'hook' | 'check';

/** The cache's folder for this Node (V8's cache format is its own) and kind of run. */
function cacheDirFor(env: NodeJS.ProcessEnv, kind: RunKind): string | null {
  const root = cacheRoot(env);
  return root === null ? null : join(root, 'code-cache', `${process.version}-${process.arch}-${kind}`);
}

/**
 * A file's cache: its key, size and time, so a rebuilt bundle or an updated package never reads an
 * old cache.
 */
function cacheName(filename: string, key: string): string {
  const st = statSync(filename);
  return `${key}${st.size}-${Math.trunc(st.mtimeMs)}.bin`;
}

/** What names a source file for good in its caches' names: its folder (hashed) and its name. */
function pathKey(filename: string): string {
  return `${folderKey(dirname(filename))}${basename(filename)}-`;
}

function folderKey(folder: string): string {
  return `${createHash('sha1').update(folder).digest('hex').slice(0, 12)}-`;
}

/** The key of a cache file's name (cacheName without size and time). */
function keyOf(cacheFile: string): string {
  return cacheFile.replace(/\d+-\d+\.bin$/, '');
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function save(made: readonly Compiled[], dir: string, bundleDir: string): void {
  // V8 checks a cache against its flags: one made after they changed would be rejected at next start.
  if (made.length === 0 || v8FlagsChanged()) return;
  try {
    mkdirSync(dir, { recursive: true });
    for (const { script, file } of made) {
      // Written whole, then renamed: a parallel run never reads half a cache.
      const tmp = `${file}.${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, file);
    }
    // Caches of files as they no longer are (a rebuild, an update) go: older caches of a file just
    // written, and of the bundle's files that are gone (a rebuild names its chunks anew).
    const written = new Set(made.map((m) => basename(m.file)));
    const replaced = new Set(made.map((m) => m.key));
    const bundle = folderKey(bundleDir);
    const present = new Set(readdirSync(bundleDir).map((f) => pathKey(join(bundleDir, f))));
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.bin') || written.has(f)) continue;
      const key = keyOf(f);
      if (replaced.has(key) || (key.startsWith(bundle) && !present.has(key))) rmSync(join(dir, f), { force: true });
    }
    // The one folder of caches for all runs that earlier versions kept.
    rmSync(join(dirname(dir), `${process.version}-${process.arch}`), { recursive: true, force: true });
  } catch {
    // a cache that cannot be written is passed over: the next run compiles again
  }
}
