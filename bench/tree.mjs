#!/usr/bin/env node
// Tree-mode benchmark: the architecture checks against a full kernel tree, plain and git.
//   node bench/tree.mjs [PLAIN_TREE] [GIT_COPY]
// PLAIN_TREE defaults to ~/.cache/zdcheck-corpus/linux-6.1.187 (scripts/get-corpus.sh);
// GIT_COPY to its sibling linux-git, a git repository of a kernel tree made once with (any 6.1.y)
//   cp -al linux-6.1.187 linux-git && cd linux-git && git init -q && git add -A && git commit -qm base
// Three one-patch series are made from the tree (edited copies in a temp dir; the corpus is
// never written — a cp -al copy shares its inodes with the plain tree): arm64 enabling ZONE_DEVICE
// as in the 2019 review, riscv selecting ARCH_HAS_PTE_DEVMAP without pte_devmap, and an
// arch_add_memory prototype change with only x86 updated. Each runs through bin/zdcheck.js
// (build first: npm run build) as mail with --tree, and as --git against branches of the copy
// made with a temporary index. Prints a table and writes bench/tree.results.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, cpus, loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'zdcheck.js');
const plain = process.argv[2] ?? join(homedir(), '.cache/zdcheck-corpus/linux-6.1.187');
const gitCopy = process.argv[3] ?? join(dirname(plain), 'linux-git');
if (!existsSync(join(plain, 'Makefile'))) {
  console.error(`bench/tree: no kernel tree at ${plain} (run scripts/get-corpus.sh)`);
  process.exit(2);
}
const RULES = new Set(['zone-device-without-devmap', 'zone-device-page-size-condition', 'arch-hook-signature-drift']);

const CASES = [
  { name: 'arm64-enable', what: 'arm64: select ARCH_HAS_ZONE_DEVICE if ARM64_4K_PAGES', edits: [
    ['arch/arm64/Kconfig', '\tselect ARCH_HAS_TICK_BROADCAST if GENERIC_CLOCKEVENTS_BROADCAST\n', '\tselect ARCH_HAS_TICK_BROADCAST if GENERIC_CLOCKEVENTS_BROADCAST\n\tselect ARCH_HAS_ZONE_DEVICE if ARM64_4K_PAGES\n'],
  ] },
  { name: 'riscv-devmap', what: 'riscv: select ARCH_HAS_PTE_DEVMAP if 64BIT && MMU, no pte_devmap', edits: [
    ['arch/riscv/Kconfig', '\tselect ARCH_HAS_DEBUG_WX\n', '\tselect ARCH_HAS_DEBUG_WX\n\tselect ARCH_HAS_PTE_DEVMAP if 64BIT && MMU\n'],
  ] },
  { name: 'hook-x86-only', what: 'arch_add_memory gains a parameter; only arch/x86/mm/init_64.c updated', edits: [
    ['include/linux/memory_hotplug.h', 'extern int arch_add_memory(int nid, u64 start, u64 size,\n\t\t\t   struct mhp_params *params);', 'extern int arch_add_memory(int nid, u64 start, u64 size,\n\t\t\t   struct mhp_params *params, struct memory_group *group);'],
    ['arch/x86/mm/init_64.c', 'int arch_add_memory(int nid, u64 start, u64 size,\n\t\t    struct mhp_params *params)\n', 'int arch_add_memory(int nid, u64 start, u64 size,\n\t\t    struct mhp_params *params, struct memory_group *group)\n'],
  ] },
];

const work = mkdtempSync(join(tmpdir(), 'zdbench-'));
const env = { ...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.org', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.org', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const haveGit = existsSync(join(gitCopy, '.git'));

function makeCase(c) {
  let diff = '';
  for (const [path, from, to] of c.edits) {
    const text = readFileSync(join(plain, path), 'utf8');
    if (!text.includes(from)) throw new Error(`${c.name}: ${path} does not contain the text to edit (another kernel version?)`);
    const out = join(work, c.name, path);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text.replace(from, to));
    const d = spawnSync('diff', ['-u', '--label', `a/${path}`, '--label', `b/${path}`, join(plain, path), out], { encoding: 'utf8' });
    diff += `diff --git a/${path} b/${path}\n${d.stdout}`;
  }
  const mbox = join(work, `${c.name}.mbox`);
  writeFileSync(mbox, `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: Bench <bench@example.org>\nDate: Tue, 20 Dec 2022 10:00:00 +0000\nSubject: [PATCH] bench: ${c.name}\n\n${c.what}\n\nSigned-off-by: Bench <bench@example.org>\n---\n${diff}`);
  let branch = null;
  if (haveGit) {
    const idx = { ...env, GIT_INDEX_FILE: join(work, `${c.name}.index`) };
    const git = (args, e = env) => execFileSync('git', ['-C', gitCopy, ...args], { env: e, encoding: 'utf8' }).trim();
    git(['read-tree', 'HEAD'], idx);
    // The same edits made to the copy's own files: its commit may be another release than the plain
    // tree (a whole file taken from the plain tree would bring every change between the two along).
    for (const [path, from, to] of c.edits) {
      const text = execFileSync('git', ['-C', gitCopy, 'cat-file', 'blob', `HEAD:${path}`], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
      if (!text.includes(from)) throw new Error(`${c.name}: ${path} in the git copy does not contain the text to edit`);
      const file = join(work, c.name, 'git', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text.replace(from, to));
      git(['update-index', '--cacheinfo', `100644,${git(['hash-object', '-w', '--', file])},${path}`], idx);
    }
    const commit = git(['commit-tree', git(['write-tree'], idx), '-p', 'HEAD', '-m', `bench: ${c.name}\n\n${c.what}\n\nSigned-off-by: Bench <bench@example.org>`]);
    branch = `zdcheck-bench-${c.name}`;
    git(['update-ref', `refs/heads/${branch}`, commit]);
  }
  return { mbox, branch };
}

// The machine is shared: each mode runs RUNS times and the fastest run is the figure.
const RUNS = Number(process.env.ZDCHECK_BENCH_RUNS ?? 3);
function run(args) {
  let best = Infinity;
  let findings = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, '--format', 'json', '--fail-on', 'never', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    if (r.status !== 0) throw new Error(`zdcheck ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    findings = JSON.parse(r.stdout).findings.filter((f) => RULES.has(f.rule));
  }
  return { secs: best, findings };
}

const rows = [];
try {
  for (const c of CASES) {
    const { mbox, branch } = makeCase(c);
    const modes = [['mail, no tree', [mbox]], ['mail --tree (plain dir)', ['--tree', plain, mbox]]];
    if (branch) modes.push(['--git (git copy)', ['--repo', gitCopy, '--git', `HEAD..${branch}`]]);
    for (const [mode, args] of modes) {
      const { secs, findings } = run(args);
      // The results name the trees by their folder, not by their place on this machine.
      const local = (s) => s.split(plain).join(basename(plain)).split(gitCopy).join(basename(gitCopy));
      rows.push({ case: c.name, mode, secs, findings: findings.map((f) => local(`${f.rule} ${f.file}:${f.line}: ${f.message}`)) });
      console.log(`${c.name.padEnd(14)} ${mode.padEnd(24)} ${secs.toFixed(2)} s  ${findings.map((f) => f.rule).join(', ') || '(none)'}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  for (const c of CASES) if (haveGit) spawnSync('git', ['-C', gitCopy, 'update-ref', '-d', `refs/heads/zdcheck-bench-${c.name}`]);
}

const md = [
  '# Tree-mode benchmark (`node bench/tree.mjs`)',
  '',
  `Tree: ${basename(plain)} (${readFileSync(join(plain, 'Makefile'), 'utf8').match(/^SUBLEVEL = (\d+)/m) ? 'kernel ' + ['VERSION', 'PATCHLEVEL', 'SUBLEVEL'].map((k) => readFileSync(join(plain, 'Makefile'), 'utf8').match(new RegExp(`^${k} = (\\d+)`, 'm'))?.[1]).join('.') : ''}); git copy: ${haveGit ? basename(gitCopy) : 'none'}.`,
  `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end.`,
  `Figure: wall-clock seconds of one whole \`zdcheck\` run (process start-up, all rules, the report), fastest of ${RUNS}.`,
  'A `--tree` without .git is searched with `git grep --no-index`; the git copy at its commit with `git grep <commit>`.',
  '',
  '| case | mode | seconds | findings of the arch rules |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.case} | ${r.mode} | ${r.secs.toFixed(2)} | ${r.findings.map((f) => f.replace(/\|/g, '\\|')).join('<br>') || '(none)'} |`),
  '',
].join('\n');
writeFileSync(join(here, 'tree.results.md'), md);
