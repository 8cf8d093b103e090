// `npm run bench`: zdcheck against checkpatch.pl on the real corpus (scripts/get-corpus.sh),
// the hook's cost, memory on a ~1 GB mbox, and tree mode. Prints a table, checks the performance
// targets (docs/performance.md), and writes bench/results.md and bench/results.json. Needs dist/
// (npm run build).
//
//   node bench/run.mjs [--quick] [--big-mb N] [--sample N] [--only a,b,...] [--corpus DIR]
//     --quick      skip checkpatch over the stable mbox (about 2 minutes) and use a 256 MB big mbox
//     --big-mb N   size of the repeated-stable mbox streamed for memory scaling (default 1024; 0 skips)
//     --sample N   stable patches checkpatch checks one by one, extrapolated (default 100)
//     --only LIST  startup,debian,stable,checkpatch,hook,big,tree (the others' figures are kept
//                  from bench/results.json, and results.md says which run they come from)
// Timings on a shared machine are noisy: the table says what ran alongside (load average).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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
const debianDir = join(corpus, 'debian-patches');
const oldTree = join(corpus, meta.stable?.from ?? 'linux-6.1.4');

// --only re-runs some parts: the others' figures are kept from the last results.json.
const resultsFile = join(root, 'bench/results.json');
const previous = only && existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : null;
const results = { machine: machine(), started: new Date().toISOString(), corpus: meta, measurements: { ...(previous?.measurements ?? {}) }, targets: [] };
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
  log('zdcheck over the Debian mbox (median of 3)');
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await zd(['--format', 'json', debianMbox], { keepStdout: true }));
  const r = runs.sort((a, b) => a.wall - b.wall)[1];
  M.zdcheckDebian = { wall: r.wall, walls: runs.map((x) => +x.wall.toFixed(2)), peakMB: mb(r.peakKB), patches: patchesOf(r), patchesPerSec: patchesOf(r) / r.wall, loadavg: loadavg()[0] };
  log(`  ${r.wall.toFixed(2)} s, ${mb(r.peakKB)} MB`);
  const rt = await zd(['--format', 'json', '--tree', oldTree, debianMbox], { keepStdout: true });
  M.zdcheckDebianTree = { wall: rt.wall, peakMB: mb(rt.peakKB), tree: relative(corpus, oldTree) };
  log(`  with --tree ${relative(corpus, oldTree)}: ${rt.wall.toFixed(2)} s`);
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
    return { wall: r.wall, walls: list.map((x) => +x.wall.toFixed(2)), peakMB: mb(r.peakKB), patches: n, patchesPerSec: n / r.wall, patchesPerSecAfterStartup: n / (r.wall - startup), loadavg: loadavg()[0] };
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
if (want('hook')) {
  const patch = typicalPatch();
  // In a kernel checkout, as a developer would run git send-email (base = HEAD, read from git).
  const repo = existsSync(join(corpus, 'linux-git/.git')) ? join(corpus, 'linux-git') : null;
  log(`hook on ${relative(corpus, patch)} (median of 7)${repo ? ' in linux-git' : ''}`);
  const hook = [], plain = [];
  for (let i = 0; i < 7; i++) {
    if (repo) hook.push((await run(process.execPath, [bin, 'hook', patch], { cwd: repo })).wall);
    plain.push((await zd([patch])).wall);
  }
  M.hook = { patch: relative(corpus, patch), hookInRepo: repo ? median(hook) : null, plainCli: median(plain), hookRuns: hook.map((x) => +x.toFixed(2)), loadavg: loadavg()[0] };
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

// --- targets, table, files ----------------------------------------------------------------
const target = (name, value, limit, unit, better) => {
  if (value === null || value === undefined || Number.isNaN(value)) return;
  const met = better === 'lower' ? value <= limit : value >= limit;
  const by = better === 'lower' ? value - limit : limit - value;
  results.targets.push({ name, value: +value.toFixed(3), limit, unit, met, missedBy: met ? 0 : +by.toFixed(3), missedByPct: met ? 0 : +((100 * by) / limit).toFixed(0) });
};
target('Debian mbox wall, start-up included', M.zdcheckDebian?.wall, 0.5, 's', 'lower');
target('stable mbox patches/s after start-up', M.zdcheckStable?.patchesPerSecAfterStartup, 1000, 'patches/s', 'higher');
target('hook, one patch, start-up included', M.hook?.hookInRepo ?? M.hook?.plainCli, 0.3, 's', 'lower');
target(`peak RSS, ${M.big?.inputMB ?? '?'} MB mbox`, M.big?.killedAboveMB ?? M.big?.peakMB, 300, 'MB', 'lower');
results.finished = new Date().toISOString();
results.machine.loadavgAtEnd = loadavg().map((x) => +x.toFixed(2));

const f = (x, d = 2) => (x === null || x === undefined ? '—' : typeof x === 'number' ? x.toFixed(d) : String(x));
const rows = [];
const row = (what, value, note = '') => rows.push(`| ${what} | ${value} | ${note} |`);
if (M.startup) row('zdcheck start-up (`--version`)', `${f(M.startup.wall)} s`);
if (M.zdcheckDebian) row(`zdcheck, Debian mbox (${M.zdcheckDebian.patches} patches), median of 3`, `${f(M.zdcheckDebian.wall)} s`, `${f(M.zdcheckDebian.patchesPerSec, 0)} patches/s, peak ${f(M.zdcheckDebian.peakMB, 0)} MB; runs ${M.zdcheckDebian.walls.join(' / ')} s (one thread: below the worker threshold)`);
if (M.zdcheckDebianTree) row(`zdcheck, Debian mbox, --tree ${M.zdcheckDebianTree.tree}`, `${f(M.zdcheckDebianTree.wall)} s`, `peak ${f(M.zdcheckDebianTree.peakMB, 0)} MB`);
if (M.zdcheckStable) row(`zdcheck, stable mbox (${M.zdcheckStable.patches} patches), default threads`, `${f(M.zdcheckStable.wall)} s`, `${f(M.zdcheckStable.patchesPerSecAfterStartup, 0)} patches/s after start-up, peak ${f(M.zdcheckStable.peakMB, 0)} MB; runs ${M.zdcheckStable.walls.join(' / ')} s; output ${M.zdcheckStable.sameOutputAsOneThread ? 'identical to' : '**differs from**'} --jobs 1`);
if (M.zdcheckStableOneThread) row('zdcheck, stable mbox, `--jobs 1` (one thread)', `${f(M.zdcheckStableOneThread.wall)} s`, `${f(M.zdcheckStableOneThread.patchesPerSecAfterStartup, 0)} patches/s after start-up, peak ${f(M.zdcheckStableOneThread.peakMB, 0)} MB; runs ${M.zdcheckStableOneThread.walls.join(' / ')} s`);
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
if (M.hook) row(`hook, one patch (${M.hook.patch}), median of 7`, `${f(M.hook.hookInRepo)} s`, `plain CLI on the same file: ${f(M.hook.plainCli)} s`);
if (M.big) row(`memory, ${M.big.inputMB} MB mbox via stdin (${M.big.reps}x stable)`, `peak ${f(M.big.peakMB, 0)} MB`, M.big.killedAboveMB ? `killed above ${M.big.killedAboveMB} MB` : `RSS at 10/50/100%: ${f(M.big.rssMB['10%'], 0)} / ${f(M.big.rssMB['50%'], 0)} / ${f(M.big.rssMB['100%'], 0)} MB; ${f(M.big.wall, 0)} s (${f(M.big.patchesPerSec, 0)} patches/s, ${M.big.patches ?? '?'} patches); ${M.big.findings ?? '?'} findings, report ${f(M.big.reportBytes / 1024, 0)} KB`);
if (M.tree) row('tree mode (arch checks against the full tree)', M.tree.script ? `${f(M.tree.wall)} s for all cases` : '—', M.tree.script ? `${M.tree.script}, per case below` : M.tree.note);

const targetRows = results.targets.map((t) => `| ${t.name} | ${t.value} ${t.unit} | ${t.unit === 'patches/s' ? '≥' : '≤'} ${t.limit} ${t.unit} | ${t.met ? 'met' : `**missed** by ${t.missedBy} ${t.unit} (${t.missedByPct}%)`} |`);
const m = results.machine;
const md = [
  '# Benchmark results', '',
  `Machine: ${m.nproc} cores (\`nproc\`), ${m.cpu}, Node ${m.node}; zdcheck ${m.commit}; ${results.started}.`,
  `Load average at start ${m.loadavgAtStart.join(' ')}, at end ${m.loadavgAtEnd.join(' ')} (a shared machine: figures are as noisy as that).`,
  `Produced by \`npm run bench${args.length ? ' -- ' + args.join(' ') : ''}\`; raw figures in results.json.`,
  ...(results.earlier ? [`Only ${only.join(', ')} re-run here; the other figures are from the run of ${results.earlier.started}${results.earlier.args?.length ? ` (\`${results.earlier.args.join(' ')}\`)` : ''}, load average then ${results.earlier.machine.loadavgAtStart.join(' ')} at start, ${results.earlier.machine.loadavgAtEnd?.join(' ') ?? '?'} at end.`] : []), '',
  '| measurement | value | note |', '|---|---|---|', ...rows, '',
  '## Targets (issue 7)', '', '| target | measured | limit | verdict |', '|---|---|---|---|', ...targetRows, '',
  ...(M.tree?.table?.length ? ['## Tree mode (bench/tree.mjs, one zdcheck process per row)', '', ...M.tree.table, ''] : []),
].join('\n');
console.log(md);
for (const t of results.targets) if (!t.met) console.log(`MISSED: ${t.name}: ${t.value} ${t.unit} against ${t.limit} (${t.missedByPct}% off)`);
writeFileSync(join(root, 'bench/results.md'), md);
writeFileSync(join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
