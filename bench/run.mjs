// `npm run bench`: zdcheck against checkpatch.pl on the real corpus (scripts/get-corpus.sh),
// the hook's cost, memory on a ~1 GB mbox, and tree mode. Prints a table, checks the performance
// targets (docs/performance.md), and writes bench/results.md and bench/results.json. Needs dist/
// (npm run build).
//
//   node bench/run.mjs [--quick] [--big-mb N] [--sample N] [--only a,b,...] [--corpus DIR] [--git-copy DIR]
//     --quick      skip checkpatch over the stable mbox (about 2 minutes) and use a 256 MB big mbox
//     --big-mb N   size of the repeated-stable mbox streamed for memory scaling (default 1024; 0 skips)
//     --sample N   stable patches checkpatch checks one by one, extrapolated (default 100)
//     --only LIST  startup,debian,stable,checkpatch,hook,big,tree,phases (the others' figures are
//                  kept from bench/results.json, and results.md says which run they come from)
//     --git-copy   a git repository of the corpus tree for the hook runs (default: linux-git beside
//                  it; make it as bench/tree.mjs says); without one the hook is timed as the plain CLI
// Where the time goes (phases): the runs again with ZDCHECK_TIMINGS=1 (src/timing.ts), one thread.
// Timings on a shared machine are noisy: the table says what ran alongside (load average). The
// results name files relative to the corpus, never by their place on this machine.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, pool, run, splitMboxText } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/zdcheck.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const quick = args.includes('--quick');
const corpus = opt('--corpus', process.env.ZDCHECK_CORPUS ?? join(homedir(), '.cache/zdcheck-corpus'));
const bigMB = Number(opt('--big-mb', quick ? 256 : 1024));
const sampleN = Number(opt('--sample', 100));
const only = opt('--only', null)?.split(',') ?? null;
const want = (part) => !only || only.includes(part);

if (!existsSync(join(root, 'dist/src/cli.js'))) { console.error('bench: run `npm run build` first'); process.exit(2); }
const meta = existsSync(join(corpus, 'corpus.json')) ? JSON.parse(readFileSync(join(corpus, 'corpus.json'), 'utf8')) : null;
if (!meta) { console.error(`bench: no corpus in ${corpus}; run \`npm run corpus\` first`); process.exit(2); }
const tree = meta.tree;
const checkpatch = meta.checkpatch;
const debianMbox = join(corpus, 'debian-patches.mbox');
const stableMbox = join(corpus, 'stable.mbox');
// The Debian patches of the corpus tree's version: debian-patches/, or deb-<version>-<rev>/debian/patches.
const debianDir = [join(corpus, 'debian-patches'), ...readdirSync(corpus).filter((d) => d.startsWith(`deb-${basename(meta.tree)?.replace(/^linux-/, '')}-`)).map((d) => join(corpus, d, 'debian/patches'))]
  .find((d) => existsSync(join(d, 'series'))) ?? join(corpus, 'debian-patches');
const gitCopy = opt('--git-copy', join(corpus, 'linux-git'));
const haveGitCopy = existsSync(join(gitCopy, '.git'));
const oldTree = join(corpus, meta.stable?.from ?? 'linux-6.1.4');

// --only re-runs some parts: the others' figures are kept from the last results.json.
const resultsFile = join(root, 'bench/results.json');
const previous = only && existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : null;
// Paths in the results are relative to the corpus (no machine's home in them).
const rel = (p) => (typeof p === 'string' && p.startsWith('/') ? relative(corpus, p) : p);
const corpusMeta = JSON.parse(JSON.stringify(meta, (k, v) => rel(v)));
const results = { machine: machine(), started: new Date().toISOString(), corpus: corpusMeta, measurements: { ...(previous?.measurements ?? {}) }, targets: [] };
if (previous) results.earlier = previous.earlier ? { ...previous.earlier, only } : { only, started: previous.started, machine: previous.machine, args: previous.args ?? null };
results.args = args;
const M = results.measurements;
const log = (s) => process.stderr.write(s + '\n');

function machine() {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let commit = 'unknown';
  try { commit = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(); } catch {}
  return { nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()), cpu, node: process.version, commit, loadavgAtStart: loadavg().map((x) => +x.toFixed(2)) };
}

const zd = (extra, o = {}) => run(process.execPath, [bin, '--no-progress', '--fail-on', 'never', ...extra], o);
const patchesOf = (res) => { try { return JSON.parse(res.stdout.toString('utf8')).summary?.patches ?? null; } catch { return null; } };
const mb = (kb) => (kb === null || kb === undefined ? null : +(kb / 1024).toFixed(1));

/** Debian's patch files in the order of their `series` file. */
function debianFiles() {
  const series = readFileSync(join(debianDir, 'series'), 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  return series.map((p) => join(debianDir, p)).filter((p) => existsSync(p));
}

/** A typical patch for the hook: a C patch of median size among Debian's. */
function typicalPatch() {
  const c = debianFiles().filter((f) => /^\+\+\+ b\/\S+\.c$/m.test(readFileSync(f, 'latin1')));
  c.sort((a, b) => statSync(a).size - statSync(b).size);
  return c[Math.floor(c.length / 2)];
}

async function checkpatchEach(files, extra, label) {
  let errors = 0;
  const wall = await pool(files, 1, async (f) => {
    const r = await run('perl', [checkpatch, '-q', '--no-summary', ...extra, f], { cwd: extra.includes('--root') ? tree : undefined });
    if (r.code !== 0 && r.code !== 1) errors++;
  });
  log(`  checkpatch ${label}: ${files.length} files in ${wall.toFixed(1)} s${errors ? ` (${errors} odd exits)` : ''}`);
  return wall;
}

// --- start-up ---------------------------------------------------------------------------
if (want('startup') || want('stable') || want('hook')) {
  log('start-up (zdcheck --version, median of 5)');
  const walls = [];
  for (let i = 0; i < 5; i++) walls.push((await zd(['--version'])).wall);
  M.startup = { wall: median(walls) };
}

// --- zdcheck over the two mboxes ------------------------------------------------------------
if (want('debian')) {
  // Median of 7, as the hook: a quarter of a second on a shared machine varies by a tenth from run to run.
  log('zdcheck over the Debian mbox (median of 7)');
  const runs = [];
  for (let i = 0; i < 7; i++) runs.push(await zd(['--format', 'json', debianMbox], { keepStdout: true }));
  const r = runs.sort((a, b) => a.wall - b.wall)[3];
  M.zdcheckDebian = { wall: r.wall, cpu: r.cpu, walls: runs.map((x) => +x.wall.toFixed(2)), peakMB: mb(r.peakKB), patches: patchesOf(r), patchesPerSec: patchesOf(r) / r.wall, loadavg: loadavg()[0] };
  log(`  ${r.wall.toFixed(2)} s, ${mb(r.peakKB)} MB`);
  const treeRuns = [];
  for (let i = 0; i < 3; i++) treeRuns.push(await zd(['--format', 'json', '--tree', oldTree, debianMbox]));
  const rt = treeRuns.sort((a, b) => a.wall - b.wall)[1];
  M.zdcheckDebianTree = { wall: rt.wall, cpu: rt.cpu, walls: treeRuns.map((x) => +x.wall.toFixed(2)), peakMB: mb(rt.peakKB), tree: relative(corpus, oldTree) };
  log(`  with --tree ${relative(corpus, oldTree)}: ${rt.wall.toFixed(2)} s, ${mb(rt.peakKB)} MB`);
}
if (want('stable')) {
  // Default: this thread and one worker per other core (src/parallel); --jobs 1: one thread.
  // Alternated, median of 3 each, so both see the same neighbours on a shared machine.
  log('zdcheck over the stable mbox (default threads, and --jobs 1; median of 3 each)');
  const startup = M.startup?.wall ?? 0;
  const runs = { parallel: [], single: [] };
  for (let i = 0; i < 3; i++) {
    runs.parallel.push(await zd(['--format', 'json', stableMbox], { keepStdout: true }));
    runs.single.push(await zd(['--jobs', '1', '--format', 'json', stableMbox], { keepStdout: true }));
  }
  const same = runs.parallel.every((r) => r.stdout.equals(runs.single[0].stdout)) && runs.single.every((r) => r.stdout.equals(runs.single[0].stdout));
  const summary = (list) => {
    const r = [...list].sort((a, b) => a.wall - b.wall)[1];
    const n = patchesOf(r);
    return { wall: r.wall, cpu: r.cpu, walls: list.map((x) => +x.wall.toFixed(2)), peakMB: mb(r.peakKB), patches: n, patchesPerSec: n / r.wall, patchesPerSecAfterStartup: n / (r.wall - startup), loadavg: loadavg()[0] };
  };
  M.zdcheckStable = { ...summary(runs.parallel), threads: cpus().length, sameOutputAsOneThread: same };
  M.zdcheckStableOneThread = summary(runs.single);
  for (const r of [...runs.parallel, ...runs.single]) r.stdout = null;
  log(`  ${M.zdcheckStable.wall.toFixed(2)} s (--jobs 1: ${M.zdcheckStableOneThread.wall.toFixed(2)} s), ${M.zdcheckStable.patches} patches, ${M.zdcheckStable.peakMB} MB, output ${same ? 'identical' : 'DIFFERS'}`);
}

// --- checkpatch.pl the way developers run it ----------------------------------------------
if (want('checkpatch')) {
  log('checkpatch.pl');
  const files = debianFiles();
  M.checkpatchDebian = {
    files: files.length,
    eachNoTree: await checkpatchEach(files, ['--no-tree'], 'per file --no-tree'),
    eachRoot: await checkpatchEach(files, ['--root', tree], `per file --root ${relative(corpus, tree)}`),
    mbox: (await run('perl', [checkpatch, '-q', '--no-tree', debianMbox])).wall,
  };
  log(`  Debian mbox as one file: ${M.checkpatchDebian.mbox.toFixed(1)} s`);
  // The stable mbox one by one would take most of an hour: a sample, evenly spread, extrapolated.
  const msgs = splitMboxText(readFileSync(stableMbox, 'latin1'));
  const step = Math.max(1, Math.floor(msgs.length / sampleN));
  const dir = mkdtempSync(join(tmpdir(), 'zdbench-cp-'));
  const sample = [];
  for (let i = 0; i < msgs.length && sample.length < sampleN; i += step) {
    const f = join(dir, `${String(sample.length).padStart(4, '0')}.patch`);
    writeFileSync(f, msgs[i], 'latin1');
    sample.push(f);
  }
  const each = await checkpatchEach(sample, ['--no-tree'], `stable sample of ${sample.length}`);
  rmSync(dir, { recursive: true, force: true });
  M.checkpatchStable = { messages: msgs.length, sample: sample.length, sampleWall: each, eachNoTreeExtrapolated: (each / sample.length) * msgs.length, mbox: null };
  if (!quick) {
    M.checkpatchStable.mbox = (await run('perl', [checkpatch, '-q', '--no-tree', stableMbox])).wall;
    log(`  stable mbox as one file: ${M.checkpatchStable.mbox.toFixed(1)} s`);
  }
}

// --- the hook -----------------------------------------------------------------------------
/** A one-line patch adding a memory type to the tree's enum memory_type (the costliest hook run). */
function memoryTypePatch(dir) {
  const path = 'include/linux/memremap.h';
  const text = readFileSync(join(tree, path), 'utf8');
  const m = /^\tMEMORY_DEVICE_PRIVATE = 1,\n/m.exec(text);
  if (!m) return null;
  const line = text.slice(0, m.index).split('\n').length;
  const ctx = text.split('\n').slice(line - 1, line + 2);
  const body = [`@@ -${line},3 +${line},4 @@`, ...ctx.slice(0, 1).map((l) => ` ${l}`), '+\tMEMORY_DEVICE_BENCH,', ...ctx.slice(1).map((l) => ` ${l}`)];
  const file = join(dir, '0001-mm-add-MEMORY_DEVICE_BENCH.patch');
  writeFileSync(file, ['From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001', 'From: Bench <bench@example.org>',
    'Date: Tue, 20 Dec 2022 10:00:00 +0000', 'Subject: [PATCH] mm: add MEMORY_DEVICE_BENCH', '', 'A memory type for the bench.', '',
    'Signed-off-by: Bench <bench@example.org>', '---', `diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`, ...body, '-- ', '2.39.5', ''].join('\n'));
  return file;
}

/**
 * A new base for the memory-type patch: a child of HEAD that changes mm/memremap.c (a file with
 * switches over the memory types), and the patch committed on it. Objects only: the work tree, the
 * index and HEAD of `repo` are not touched.
 */
function nextBase(repo, dir, patch) {
  const env = { ...process.env, GIT_INDEX_FILE: join(dir, 'next-index'), GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.org', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.org' };
  const git = (args, input) => execFileSync('git', args, { cwd: repo, env, input, encoding: 'utf8' }).trim();
  try {
    git(['read-tree', 'HEAD']);
    const file = 'mm/memremap.c';
    const blob = git(['hash-object', '-w', '--stdin'], `${git(['show', `HEAD:${file}`])}\n/* bench: the next base */\n`);
    git(['update-index', '--cacheinfo', `100644,${blob},${file}`]);
    const base = git(['commit-tree', git(['write-tree']), '-p', 'HEAD', '-m', 'bench: the next base']);
    git(['apply', '--cached', patch]);
    const tip = git(['commit-tree', git(['write-tree']), '-p', base, '-m', 'mm: add MEMORY_DEVICE_BENCH\n\nSigned-off-by: Bench <bench@example.org>']);
    return { base, tip };
  } catch (err) {
    log(`  (no new base: ${String(err).split('\n')[0]})`);
    return null;
  }
}

if (want('hook')) {
  const patch = typicalPatch();
  // In a kernel checkout, as a developer would run git send-email (base = HEAD, read from git).
  const repo = haveGitCopy ? gitCopy : null;
  log(`hook on ${relative(corpus, patch)} (median of 7)${repo ? ' in a git copy of the tree' : ' (no git copy: plain CLI only)'}`);
  const hook = [], plain = [], hookCpu = [], plainCpu = [];
  for (let i = 0; i < 7; i++) {
    if (repo) {
      const h = await run(process.execPath, [bin, 'hook', patch], { cwd: repo });
      hook.push(h.wall);
      if (h.cpu !== null) hookCpu.push(h.cpu);
    }
    const p = await zd([patch]);
    plain.push(p.wall);
    if (p.cpu !== null) plainCpu.push(p.cpu);
  }
  M.hook = {
    patch: relative(corpus, patch), hookInRepo: repo ? median(hook) : null, plainCli: median(plain), hookRuns: hook.map((x) => +x.toFixed(2)),
    hookCpu: hookCpu.length ? median(hookCpu) : null, plainCpu: plainCpu.length ? median(plainCpu) : null, loadavg: loadavg()[0],
  };
  // A patch adding a memory type: the tree is searched for switches over enum memory_type. The
  // first run on a commit indexes the tree (kept in the cache directory); the next ones read it.
  const dir = mkdtempSync(join(tmpdir(), 'zdbench-hook-'));
  try {
    const mt = memoryTypePatch(dir);
    if (mt) {
      const env = { ...process.env, ZDCHECK_CACHE_DIR: join(dir, 'cache') };
      const once = (args, cwd) => run(process.execPath, [bin, ...args], { cwd, env });
      const args = repo ? ['hook', mt] : ['--no-progress', '--fail-on', 'never', '--tree', tree, mt];
      const cold = await once(args, repo ?? undefined);
      const warm = [];
      for (let i = 0; i < 5; i++) warm.push(await once(args, repo ?? undefined));
      const w = [...warm].sort((a, b) => a.wall - b.wall)[2];
      M.hookMemoryType = { mode: repo ? 'hook in a git copy' : 'CLI --tree', coldWall: cold.wall, coldCpu: cold.cpu, coldPeakMB: mb(cold.peakKB), wall: w.wall, cpu: w.cpu, peakMB: mb(w.peakKB), runs: warm.map((x) => +x.wall.toFixed(2)), loadavg: loadavg()[0] };
      log(`  memory-type patch: first run ${cold.wall.toFixed(2)} s (${mb(cold.peakKB)} MB), then ${w.wall.toFixed(2)} s (${mb(w.peakKB)} MB)`);
      // The first run on a new base whose parent is indexed (the runs above indexed HEAD): a child of
      // HEAD changing one C file, and the patch as a commit on it, checked as --git base..tip. Made
      // with a temporary index: the copy's work tree, index and HEAD stay as they are.
      const next = repo ? nextBase(repo, dir, mt) : null;
      if (next) {
        const r = await once(['--no-progress', '--fail-on', 'never', '--git', `${next.base}..${next.tip}`, '--repo', repo], repo);
        Object.assign(M.hookMemoryType, { nextBaseWall: r.wall, nextBaseCpu: r.cpu, nextBasePeakMB: mb(r.peakKB) });
        log(`  on a new base, its parent indexed: ${r.wall.toFixed(2)} s (${mb(r.peakKB)} MB)`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- memory scaling: the stable mbox repeated to ~1 GB, streamed through stdin ---------------
if (want('big') && bigMB > 0) {
  const unit = readFileSync(stableMbox);
  const reps = Math.max(1, Math.round((bigMB * 1024 * 1024) / unit.length));
  const total = reps * unit.length;
  log(`memory scaling: ${reps} x stable.mbox = ${(total / 2 ** 20).toFixed(0)} MB through stdin`);
  async function* gen() {
    const piece = 1 << 20;
    for (let r = 0; r < reps; r++) for (let o = 0; o < unit.length; o += piece) yield unit.subarray(o, o + piece);
  }
  const limitKB = 4 * 1024 * 1024;
  const r = await zd(['--format', 'text', '-'], { input: gen(), inputBytes: total, marks: [0.1, 0.5, 1], limitKB, keepStdout: true });
  // What the run reported: its findings are kept to the end (the report is sorted by rule).
  const text = r.stdout?.toString('utf8') ?? '';
  const tot = /^total: (\d+) errors, (\d+) warnings, (\d+) patches checked$/m.exec(text);
  const infos = (text.match(/^(?:\S+: )?INFO: /gm) ?? []).length;
  M.big = {
    inputMB: +(total / 2 ** 20).toFixed(0), reps, wall: r.wall, peakMB: mb(r.peakKB),
    rssMB: { '10%': mb(r.rssAt[0.1]), '50%': mb(r.rssAt[0.5]), '100%': mb(r.rssAt[1]) },
    killedAboveMB: r.killed ? limitKB / 1024 : null, exit: r.code,
    patches: tot ? Number(tot[3]) : null, findings: tot ? Number(tot[1]) + Number(tot[2]) + infos : null, reportBytes: text.length,
    patchesPerSec: tot ? Number(tot[3]) / r.wall : null, loadavg: loadavg()[0],
  };
  log(`  ${r.wall.toFixed(1)} s, peak ${mb(r.peakKB)} MB${r.killed ? ' (killed: over the limit)' : ''}`);
}

// --- tree mode ------------------------------------------------------------------------------
if (want('tree')) {
  const script = ['tree.mjs', 'tree.js'].map((n) => join(root, 'bench', n)).find(existsSync);
  if (script) {
    log(`tree mode: ${relative(root, script)} ${relative(corpus, tree)}`);
    const r = await run(process.execPath, [script, tree], { keepStdout: true });
    // tree.mjs writes its own table (bench/tree.results.md); its rows are carried over.
    const own = join(root, 'bench/tree.results.md');
    const table = existsSync(own) ? readFileSync(own, 'utf8').split('\n').filter((l) => l.startsWith('|')) : [];
    M.tree = { script: relative(root, script), wall: r.wall, exit: r.code, table };
  } else {
    M.tree = { script: null, note: 'bench/tree.* not present yet; --tree run over the Debian mbox is in zdcheckDebianTree' };
  }
}

// --- where the time goes ---------------------------------------------------------------------
/**
 * The phases of one run (src/timing.ts), in ms, grouped: start-up (Node and the modules), reading,
 * splitting, parsing (mail, images, C), model, rules, tree reads, report, and the rest (waiting on
 * git, the event loop).
 */
function phasesOf(stderr) {
  const line = stderr.split('\n').find((l) => l.startsWith('zdcheck-timings '));
  if (!line) return null;
  const t = JSON.parse(line.slice('zdcheck-timings '.length));
  const group = { 'start-up': 0, reading: 0, splitting: 0, parsing: 0, model: 0, rules: 0, 'tree reads': 0, report: 0 };
  const byRule = {};
  for (const [k, v] of Object.entries(t)) {
    if (k === 'total' || k === 'counts') continue;
    if (k === 'start-up' || k === 'modules') group['start-up'] += v;
    else if (k === 'mail' || k === 'source' || k === 'C parsing') group.parsing += v;
    else if (k in group) group[k] += v;
    else { group.rules += v; byRule[k] = v; }
  }
  const known = Object.values(group).reduce((a, b) => a + b, 0);
  const round = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v)]));
  const topRules = Object.entries(byRule).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${Math.round(v)}`);
  return { total: Math.round(t.total), ...round(group), other: Math.round(Math.max(0, t.total - known)), topRules, cParsedKB: Math.round(Object.entries(t.counts ?? {}).filter(([k]) => k.startsWith('C bytes')).reduce((a, [, v]) => a + v, 0) / 1024) };
}

if (want('phases')) {
  log('where the time goes (ZDCHECK_TIMINGS=1, one thread)');
  const env = { ...process.env, ZDCHECK_TIMINGS: '1' };
  const cases = [
    ['Debian mbox', ['--jobs', '1', '--format', 'json', debianMbox]],
    [`Debian mbox, --tree ${relative(corpus, oldTree)}`, ['--jobs', '1', '--format', 'json', '--tree', oldTree, debianMbox]],
    ['stable mbox', ['--jobs', '1', '--format', 'json', stableMbox]],
  ];
  M.phases = {};
  for (const [name, args] of cases) {
    const r = await zd(args, { env });
    M.phases[name] = phasesOf(r.stderr);
    log(`  ${name}: ${JSON.stringify(M.phases[name])}`);
  }
  if (haveGitCopy) {
    const r = await run(process.execPath, [bin, 'hook', typicalPatch()], { cwd: gitCopy, env });
    M.phases['hook, one ordinary patch'] = phasesOf(r.stderr);
  }
}

// --- targets, table, files ----------------------------------------------------------------
const target = (name, value, limit, unit, better) => {
  if (value === null || value === undefined || Number.isNaN(value)) return;
  const met = better === 'lower' ? value <= limit : value >= limit;
  const by = better === 'lower' ? value - limit : limit - value;
  results.targets.push({ name, value: +value.toFixed(3), limit, unit, met, missedBy: met ? 0 : +by.toFixed(3), missedByPct: met ? 0 : +((100 * by) / limit).toFixed(0) });
};
target('Debian mbox wall, start-up included', M.zdcheckDebian?.wall, 0.25, 's', 'lower');
target('stable mbox patches/s, start-up included, default threads', M.zdcheckStable?.patchesPerSec, 2000, 'patches/s', 'higher');
target('hook, one ordinary patch, start-up included', M.hook?.hookInRepo ?? M.hook?.plainCli, 0.15, 's', 'lower');
target('hook, a patch adding a memory type, full tree (indexed)', M.hookMemoryType?.wall, 0.5, 's', 'lower');
target('hook, a patch adding a memory type, peak RSS', M.hookMemoryType?.peakMB, 150, 'MB', 'lower');
target('a memory-type patch, first run on a new base (its parent indexed)', M.hookMemoryType?.nextBaseWall, 0.5, 's', 'lower');
target('a memory-type patch, first run on a new base, peak RSS', M.hookMemoryType?.nextBasePeakMB, 150, 'MB', 'lower');
target('Debian mbox with --tree, wall', M.zdcheckDebianTree?.wall, 1.5, 's', 'lower');
target('Debian mbox with --tree, peak RSS', M.zdcheckDebianTree?.peakMB, 250, 'MB', 'lower');
target(`peak RSS, ${M.big?.inputMB ?? '?'} MB mbox`, M.big?.killedAboveMB ?? M.big?.peakMB, 200, 'MB', 'lower');
results.finished = new Date().toISOString();
results.machine.loadavgAtEnd = loadavg().map((x) => +x.toFixed(2));

const f = (x, d = 2) => (x === null || x === undefined ? '—' : typeof x === 'number' ? x.toFixed(d) : String(x));
const rows = [];
const row = (what, value, note = '') => rows.push(`| ${what} | ${value} | ${note} |`);
if (M.startup) row('zdcheck start-up (`--version`)', `${f(M.startup.wall)} s`);
const cpuOf = (x) => (x?.cpu === null || x?.cpu === undefined ? '' : `CPU ${f(x.cpu)} s; `);
if (M.zdcheckDebian) row(`zdcheck, Debian mbox (${M.zdcheckDebian.patches} patches), median of ${M.zdcheckDebian.walls.length}`, `${f(M.zdcheckDebian.wall)} s`, `${cpuOf(M.zdcheckDebian)}${f(M.zdcheckDebian.patchesPerSec, 0)} patches/s, peak ${f(M.zdcheckDebian.peakMB, 0)} MB; runs ${M.zdcheckDebian.walls.join(' / ')} s (one thread: below the worker threshold)`);
if (M.zdcheckDebianTree) row(`zdcheck, Debian mbox, --tree ${M.zdcheckDebianTree.tree}, median of 3`, `${f(M.zdcheckDebianTree.wall)} s`, `${cpuOf(M.zdcheckDebianTree)}peak ${f(M.zdcheckDebianTree.peakMB, 0)} MB${M.zdcheckDebianTree.walls ? `; runs ${M.zdcheckDebianTree.walls.join(' / ')} s` : ''}`);
if (M.zdcheckStable) row(`zdcheck, stable mbox (${M.zdcheckStable.patches} patches), default threads`, `${f(M.zdcheckStable.wall)} s`, `${cpuOf(M.zdcheckStable)}${f(M.zdcheckStable.patchesPerSec, 0)} patches/s (${f(M.zdcheckStable.patchesPerSecAfterStartup, 0)} after start-up), peak ${f(M.zdcheckStable.peakMB, 0)} MB; runs ${M.zdcheckStable.walls.join(' / ')} s; output ${M.zdcheckStable.sameOutputAsOneThread ? 'identical to' : '**differs from**'} --jobs 1`);
if (M.zdcheckStableOneThread) row('zdcheck, stable mbox, `--jobs 1` (one thread)', `${f(M.zdcheckStableOneThread.wall)} s`, `${cpuOf(M.zdcheckStableOneThread)}${f(M.zdcheckStableOneThread.patchesPerSecAfterStartup, 0)} patches/s after start-up, peak ${f(M.zdcheckStableOneThread.peakMB, 0)} MB; runs ${M.zdcheckStableOneThread.walls.join(' / ')} s`);
const cd = M.checkpatchDebian, cs = M.checkpatchStable;
if (cd) {
  row(`checkpatch.pl, Debian, ${cd.files} files one by one, --no-tree`, `${f(cd.eachNoTree, 1)} s`, M.zdcheckDebian ? `zdcheck is ${f(cd.eachNoTree / M.zdcheckDebian.wall, 0)}x faster` : '');
  row(`checkpatch.pl, Debian, ${cd.files} files one by one, --root tree`, `${f(cd.eachRoot, 1)} s`, M.zdcheckDebian ? `zdcheck is ${f(cd.eachRoot / M.zdcheckDebian.wall, 0)}x faster` : '');
  row('checkpatch.pl, Debian mbox as one file', `${f(cd.mbox, 1)} s`, M.zdcheckDebian ? `zdcheck/checkpatch = ${f(M.zdcheckDebian.wall / cd.mbox, 3)}` : '');
}
if (cs) {
  row(`checkpatch.pl, stable, one by one (${cs.sample} sampled, extrapolated to ${cs.messages})`, `${f(cs.eachNoTreeExtrapolated, 0)} s`, M.zdcheckStable ? `zdcheck/checkpatch = ${f(M.zdcheckStable.wall / cs.eachNoTreeExtrapolated, 4)}` : '');
  row('checkpatch.pl, stable mbox as one file', cs.mbox === null ? 'skipped (--quick)' : `${f(cs.mbox, 1)} s`, cs.mbox && M.zdcheckStable ? `zdcheck/checkpatch = ${f(M.zdcheckStable.wall / cs.mbox, 3)}` : '');
}
if (M.hook) row(`hook, one patch (${M.hook.patch}), median of 7`, `${f(M.hook.hookInRepo)} s`, `${M.hook.hookCpu ? `CPU ${f(M.hook.hookCpu)} s; ` : ''}plain CLI on the same file: ${f(M.hook.plainCli)} s${M.hook.plainCpu ? ` (CPU ${f(M.hook.plainCpu)} s)` : ''}`);
if (M.hookMemoryType) row(`${M.hookMemoryType.mode}, a patch adding a memory type, median of 5`, `${f(M.hookMemoryType.wall)} s`, `${cpuOf(M.hookMemoryType)}peak ${f(M.hookMemoryType.peakMB, 0)} MB; the first run on the commit (indexing the tree): ${f(M.hookMemoryType.coldWall)} s${M.hookMemoryType.coldCpu ? ` (CPU ${f(M.hookMemoryType.coldCpu)} s)` : ''}, ${f(M.hookMemoryType.coldPeakMB, 0)} MB${M.hookMemoryType.nextBaseWall != null ? `; the first run on a new base whose parent is indexed (--git base..tip): ${f(M.hookMemoryType.nextBaseWall)} s, ${f(M.hookMemoryType.nextBasePeakMB, 0)} MB` : ''}`);
if (M.big) row(`memory, ${M.big.inputMB} MB mbox via stdin (${M.big.reps}x stable)`, `peak ${f(M.big.peakMB, 0)} MB`, M.big.killedAboveMB ? `killed above ${M.big.killedAboveMB} MB` : `RSS at 10/50/100%: ${f(M.big.rssMB['10%'], 0)} / ${f(M.big.rssMB['50%'], 0)} / ${f(M.big.rssMB['100%'], 0)} MB; ${f(M.big.wall, 0)} s (${f(M.big.patchesPerSec, 0)} patches/s, ${M.big.patches ?? '?'} patches); ${M.big.findings ?? '?'} findings, report ${f(M.big.reportBytes / 1024, 0)} KB`);
if (M.tree) row('tree mode (arch checks against the full tree)', M.tree.script ? `${f(M.tree.wall)} s for all cases` : '—', M.tree.script ? `${M.tree.script}, per case below` : M.tree.note);

const targetRows = results.targets.map((t) => `| ${t.name} | ${t.value} ${t.unit} | ${t.unit === 'patches/s' ? '≥' : '≤'} ${t.limit} ${t.unit} | ${t.met ? 'met' : `**missed** by ${t.missedBy} ${t.unit} (${t.missedByPct}%)`} |`);
const m = results.machine;
const md = [
  '# Benchmark results', '',
  `Machine: ${m.nproc} cores (\`nproc\`), ${m.cpu}, Node ${m.node}; zdcheck ${m.commit}; ${results.started}.`,
  `Load average at start ${m.loadavgAtStart.join(' ')}, at end ${m.loadavgAtEnd.join(' ')} (a shared machine: figures are as noisy as that;`,
  'CPU figures (user + system, GNU time) say what a run costs when its wall time is mostly waiting for a core).',
  `Produced by \`npm run bench${args.length ? ' -- ' + args.join(' ') : ''}\`; raw figures in results.json.`,
  ...(results.earlier ? [`Only ${only.join(', ')} re-run here; the other figures are from the run of ${results.earlier.started}${results.earlier.args?.length ? ` (\`${results.earlier.args.join(' ')}\`)` : ''}, load average then ${results.earlier.machine.loadavgAtStart.join(' ')} at start, ${results.earlier.machine.loadavgAtEnd?.join(' ') ?? '?'} at end.`] : []), '',
  '| measurement | value | note |', '|---|---|---|', ...rows, '',
  '## Targets', '', '| target | measured | limit | verdict |', '|---|---|---|---|', ...targetRows, '',
  ...(M.phases ? ['## Where the time goes (ms, one thread, `ZDCHECK_TIMINGS=1`)', '',
    'Wall-clock milliseconds of each phase; "parsing" is mail, images and C; "other" is what no phase holds (waiting on git, the event loop).', '',
    '| run | total | start-up | reading | splitting | parsing | model | rules | tree reads | report | other | C parsed | costliest rules |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(M.phases).filter(([, p]) => p).map(([name, p]) => `| ${name} | ${p.total} | ${p['start-up']} | ${p.reading} | ${p.splitting} | ${p.parsing} | ${p.model} | ${p.rules} | ${p['tree reads']} | ${p.report} | ${p.other} | ${p.cParsedKB} KB | ${p.topRules.join(', ')} |`), ''] : []),
  ...(M.tree?.table?.length ? ['## Tree mode (bench/tree.mjs, one zdcheck process per row)', '', ...M.tree.table, ''] : []),
].join('\n');
// Figures carried over from earlier runs (tree.mjs's rows) may name the trees by their place here.
const local = (s) => s.split(`${corpus}/`).join('').split(gitCopy).join(basename(gitCopy));
console.log(local(md));
for (const t of results.targets) if (!t.met) console.log(`MISSED: ${t.name}: ${t.value} ${t.unit} against ${t.limit} (${t.missedByPct}% off)`);
writeFileSync(join(root, 'bench/results.md'), local(md));
writeFileSync(join(root, 'bench/results.json'), local(JSON.stringify(results, null, 2)) + '\n');
