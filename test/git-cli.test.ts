// `--git A..B` must find what the same commits mailed as a mbox find (issue 2's "done when").
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, tempDir, zdcheck } from './cli-helpers.js';
import { gitEnv, makeRepo, type TempRepo } from './helpers/gitrepo.js';

let repo: TempRepo;
let dir: string;
let baseTree: string;
let config: string;

beforeAll(() => {
  ensureBuilt();
  dir = tempDir();
  // Every rule but list-not-copied: a commit has no recipients yet (git input leaves them
  // unknown), while the same commits as mail say "To: nobody", so that rule rightly differs.
  config = join(dir, 'rules.json');
  writeFileSync(config, JSON.stringify({ rules: { 'list-not-copied': 'off' } }));
  repo = makeRepo();
  repo.commit('init', {
    // Kernel-shaped (a top Makefile, include/linux/, mm/): the mbox run takes it as --tree.
    Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n',
    MAINTAINERS: 'MEMORY MANAGEMENT\nL:\tlinux-mm@kvack.org\nS:\tMaintained\nF:\tmm/\n',
    'mm/memremap.c': 'int a;\nint c;\n',
    'include/linux/memremap.h': 'enum memory_type {\n\tMEMORY_DEVICE_PRIVATE = 1,\n\tMEMORY_DEVICE_COHERENT,\n};\n',
  });
  repo.git('branch', 'base');
  repo.commit('mm/memremap: add b\n\nSigned-off-by: Test Author <author@example.invalid>', {
    'mm/memremap.c': 'int a;\nint b;\nint c;\n',
  });
  repo.commit('mm/memremap: forget the sign-off', { 'mm/memremap.c': 'int a;\nint b;\nint b2;\nint c;\n' });
  repo.commit('mm: another address\n\nSigned-off-by: Test Author <test@elsewhere.example>', {
    'include/linux/memremap.h':
      'enum memory_type {\n\tMEMORY_DEVICE_PRIVATE = 1,\n\tMEMORY_DEVICE_COHERENT,\n\tMEMORY_DEVICE_COHERENT,\n};\n',
  });
  // The base as a plain tree, for the mbox run.
  baseTree = join(dir, 'base');
  execFileSync('git', ['worktree', 'add', '-q', '--detach', baseTree, 'base'], { cwd: repo.dir, env: gitEnv() });
});
afterAll(() => {
  repo?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--git', () => {
  it('gives the same findings as the same commits mailed as a mbox', () => {
    // what a developer would mail: plain git format-patch of the range
    const mbox = join(dir, 'series.mbox');
    writeFileSync(
      mbox,
      execFileSync('git', ['format-patch', '--stdout', 'base..HEAD'], { cwd: repo.dir, env: gitEnv() }),
    );
    const viaGit = zdcheck(['--config', config, '--format', 'json', '--git', 'base..HEAD', '--repo', repo.dir]);
    const viaMbox = zdcheck(['--config', config, '--format', 'json', '--tree', baseTree, mbox]);
    expect(viaGit.stderr).toBe('');
    expect(viaMbox.stderr).toBe('');
    const a = JSON.parse(viaGit.stdout);
    const b = JSON.parse(viaMbox.stdout);
    expect(a.findings.map((f: { rule: string }) => f.rule)).toEqual(
      expect.arrayContaining(['missing-signoff', 'signoff-author-mismatch']),
    );
    expect(a.findings).toEqual(b.findings);
    expect(a.series.map((s: { patches: { subject: string }[] }) => s.patches.map((p) => p.subject))).toEqual([
      [
        '[PATCH 1/3] mm/memremap: add b',
        '[PATCH 2/3] mm/memremap: forget the sign-off',
        '[PATCH 3/3] mm: another address',
      ],
    ]);
    expect(a.base).toEqual({ repo: repo.dir, commit: repo.git('rev-parse', 'base') });
    expect(viaGit.status).toBe(1);
    expect(viaMbox.status).toBe(1);
  });

  it('exits 2 with one line for an empty range, a bad ref, an option-like ref, a non-repository', () => {
    const cases: [string[], RegExp][] = [
      [['--git', 'HEAD..HEAD', '--repo', repo.dir], /^zdcheck: --git: range HEAD\.\.HEAD has no commits\n$/],
      [
        ['--git', 'nosuch..HEAD', '--repo', repo.dir],
        /^zdcheck: --git nosuch\.\.HEAD: unknown revision "nosuch" in .*\n$/,
      ],
      [
        ['--git=--upload-pack=touch /tmp/pwned', '--repo', repo.dir],
        /^zdcheck: --git "--upload-pack=touch \/tmp\/pwned": .* is not a revision\n$/,
      ],
      [['--git', 'HEAD~1..HEAD', '--repo', dir], /^zdcheck: .*: not a git repository\n$/],
    ];
    for (const [args, stderr] of cases) {
      const r = zdcheck(['--config', config, ...args]);
      expect(r.stderr, args.join(' ')).toMatch(stderr);
      expect(r.status).toBe(2);
    }
  });
});
