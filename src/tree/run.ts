// How the tree readers run git (src/git/run.ts does the running): output as a Buffer, "no
// match" (exit 1 of grep) told apart from failure, a failure as a TreeError naming the command.
import { gitError, runGitSync } from '../git/run.js';
import { timed } from '../timing.js';
import { TreeError, type GrepHit, type GrepOptions } from './types.js';

export interface GitRun {
  cwd: string;
  args: readonly string[];
  input?: string;
  /** Exit codes that mean "nothing found" rather than failure. */
  empty?: readonly number[];
}

/**
 * Memory caps for the git processes that read a tree's objects. With git's defaults (pack windows of a
 * gigabyte, a 96 MB delta base cache) `git grep -e MEMORY_DEVICE_ <commit>` over a 6.1 kernel peaked at
 * 371 MB; with these, 116 MB, for a tenth more time (docs/performance.md).
 */
const MEMORY_CAPS = [
  '-c',
  'core.packedGitWindowSize=1m',
  '-c',
  'core.packedGitLimit=16m',
  '-c',
  'core.deltaBaseCacheLimit=16m',
] as const;

export function git(run: GitRun): Buffer {
  const r = timed('tree reads', () =>
    runGitSync({
      cwd: run.cwd,
      args: [...MEMORY_CAPS, ...run.args],
      input: run.input,
      env: { ...process.env, GIT_PAGER: 'cat', LC_ALL: 'C' },
    }),
  );
  if (r.ok) return r.stdout;
  if (r.status !== null && run.empty?.includes(r.status) && r.stderr.length === 0) return Buffer.alloc(0);
  if (r.notInstalled) throw new TreeError('git is not installed; it is needed to read a kernel tree');
  throw new TreeError(`git ${run.args[0]} failed in ${run.cwd}: ${gitError(r)}`);
}

/**
 * Parses `git grep -n -z` output: `path\0line\0text\n` per hit. `prefix` is stripped
 * from paths (`<commit>:` when searching a commit).
 */
export function parseGrep(out: Buffer, prefix = ''): GrepHit[] {
  const hits: GrepHit[] = [];
  const text = out.toString('utf8');
  let pos = 0;
  while (pos < text.length) {
    const a = text.indexOf('\0', pos);
    if (a < 0) break;
    const b = text.indexOf('\0', a + 1);
    if (b < 0) break;
    let nl = text.indexOf('\n', b + 1);
    if (nl < 0) nl = text.length;
    let path = text.slice(pos, a);
    if (prefix && path.startsWith(prefix)) path = path.slice(prefix.length);
    hits.push({ path, line: Number(text.slice(a + 1, b)), text: text.slice(b + 1, nl) });
    pos = nl + 1;
  }
  return hits;
}

/** git's default pathspec match (fnmatch without FNM_PATHNAME): `*` also crosses `/`; a plain spec matches itself and what is under it. */
export function pathspecMatcher(pathspecs: readonly string[]): (path: string) => boolean {
  if (pathspecs.length === 0) return () => true;
  const res = pathspecs.map((spec) => {
    if (!/[*?[]/.test(spec)) {
      const dir = spec.endsWith('/') ? spec : `${spec}/`;
      return (p: string) => p === spec || p.startsWith(dir);
    }
    const src = spec
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    const re = new RegExp(spec.endsWith('/') ? `^${src}` : `^${src}(/.*)?$`);
    return (p: string) => re.test(p);
  });
  return (p) => res.some((m) => m(p));
}

/** The literal directory a pathspec starts with (`arch/*\/Kconfig` -> `arch`). */
export function staticPrefix(spec: string): string {
  const glob = spec.search(/[*?[]/);
  const lit = glob < 0 ? spec : spec.slice(0, glob);
  const slash = glob < 0 ? lit.length : lit.lastIndexOf('/');
  return slash <= 0 ? '' : lit.slice(0, slash).replace(/\/$/, '');
}

/** `git grep` arguments before the revision / pathspecs: patterns always behind `-e`. */
export function grepArgs(pattern: string | readonly string[], options: GrepOptions = {}): string[] {
  const patterns = typeof pattern === 'string' ? [pattern] : [...pattern];
  if (!patterns.length) throw new Error('grep without a pattern');
  return ['-n', '-z', '-I', options.fixed ? '-F' : '-E', '--no-color', ...patterns.flatMap((p) => ['-e', p])];
}
