// Fuzzing the whole pipeline (collect + every rule) with the project's own fixtures as seeds,
// mutated the ways real mail breaks: truncated hunks, lying hunk counts, swapped or shuffled
// headers, random bytes, invalid UTF-8, NUL bytes. Every case must end with findings (and no
// rule crash, which the engine turns into an `internal-error` finding) or a UsageError.
// Pathological sizes (100k-line hunks, 5,000-deep nesting) run through the real binary with a
// hard timeout, so a hang is a failure and not a stuck test run.
//   FUZZ_RUNS=N (cases per property, default 700), FUZZ_SEED=S: `npm run fuzz` runs long.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { check } from '../src/pipeline.js';
import { allFixtureFiles } from './helpers/rule-paths.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 700);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const CASE_MS = 5_000;

// Every case of every rule, wherever it keeps them, in the order they had under fixtures/.
const SEEDS: { path: string; data: Buffer }[] = allFixtureFiles()
  .filter((f) => /\.(mbox|patch|eml)$/.test(f.path))
  .map((f) => ({ path: f.path, data: readFileSync(f.path) }));

type Outcome = { findings: number } | { usage: string };

/** The whole pipeline on bytes read as standard input, as `zdcheck -` would. */
async function runPipeline(data: Buffer): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`case exceeded ${CASE_MS} ms`)), CASE_MS);
  });
  try {
    const run = check([{ kind: 'stdin' }], { tree: null, kernel: null, stdin: Readable.from([data]) });
    const { findings } = await Promise.race([run, timeout]);
    const crashes = findings.filter((f) => f.rule === 'internal-error');
    if (crashes.length) throw new Error(`rule crash: ${crashes.map((f) => f.message).join('; ')}`);
    for (const f of findings) {
      expect(typeof f.message).toBe('string');
      if (f.line !== null) expect(Number.isInteger(f.line) && f.line > 0).toBe(true);
    }
    return { findings: findings.length };
  } catch (err) {
    if (err instanceof UsageError) {
      expect(err.message).not.toMatch(/\n/);
      return { usage: err.message };
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

// --- mutations, each a pure function of the seed and some numbers -----------------------------

const lines = (b: Buffer) => b.toString('latin1').split('\n');
const unlines = (ls: string[]) => Buffer.from(ls.join('\n'), 'latin1');
const pick = <T>(xs: T[], k: number): number => (xs.length ? k % xs.length : 0);

type Mutation = (data: Buffer, a: number, b: number) => Buffer;
const MUTATIONS: Record<string, Mutation> = {
  truncate: (d, a) => d.subarray(0, a % (d.length + 1)),
  truncateHunk: (d, a, b) => {
    const ls = lines(d);
    const hunks = ls.flatMap((l, i) => (l.startsWith('@@') ? [i] : []));
    if (!hunks.length) return d;
    const at = hunks[pick(hunks, a)]! + 1 + (b % 6);
    const end = ls.findIndex((l, i) => i > at && /^(diff |@@|-- $|From )/.test(l));
    ls.splice(at, (end < 0 ? ls.length : end) - at);
    return unlines(ls);
  },
  lyingCounts: (d, a, b) => {
    const ls = lines(d);
    const hunks = ls.flatMap((l, i) => (l.startsWith('@@') ? [i] : []));
    if (!hunks.length) return d;
    const i = hunks[pick(hunks, a)]!;
    const counts = [0, 1, b % 50, 65535, 2 ** 31 - 1, b];
    ls[i] =
      `@@ -${counts[a % 6]},${counts[b % 6]} +${counts[(a + b) % 6]},${counts[(a * 7 + b) % 6]} @@${ls[i]!.replace(/^@@[^@]*@@/, '')}`;
    return unlines(ls);
  },
  swapHeaders: (d, a, b) => {
    const ls = lines(d);
    const heads = ls.flatMap((l, i) => (/^[A-Za-z-]+: /.test(l) ? [i] : []));
    if (heads.length < 2) return d;
    const i = heads[pick(heads, a)]!,
      j = heads[pick(heads, b)]!;
    [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    return unlines(ls);
  },
  headerIntoBody: (d, a, b) => {
    const ls = lines(d);
    const heads = ls.flatMap((l, i) =>
      /^(Subject|From|Message-I[dD]|In-Reply-To|References|Content-Type): /.test(l) ? [i] : [],
    );
    if (!heads.length) return d;
    const [line] = ls.splice(heads[pick(heads, a)]!, 1);
    ls.splice(b % (ls.length + 1), 0, line!);
    return unlines(ls);
  },
  dropLine: (d, a) => {
    const ls = lines(d);
    ls.splice(a % Math.max(1, ls.length), 1);
    return unlines(ls);
  },
  duplicateLines: (d, a, b) => {
    const ls = lines(d);
    const i = a % Math.max(1, ls.length);
    ls.splice(i, 0, ...ls.slice(i, i + 1 + (b % 20)));
    return unlines(ls);
  },
  randomBytes: (d, a, b) => {
    const at = a % (d.length + 1);
    const junk = Buffer.from(Array.from({ length: 1 + (b % 64) }, (_, k) => (a * 31 + b * 17 + k * 101) & 0xff));
    return Buffer.concat([d.subarray(0, at), junk, d.subarray(at)]);
  },
  invalidUtf8: (d, a, b) => {
    const at = a % (d.length + 1);
    const bad = [[0xc3, 0x28], [0xff], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0xaf]][b % 6]!;
    return Buffer.concat([d.subarray(0, at), Buffer.from(bad), d.subarray(at)]);
  },
  nul: (d, a, b) => {
    const at = a % (d.length + 1);
    return Buffer.concat([d.subarray(0, at), Buffer.alloc(1 + (b % 3)), d.subarray(at)]);
  },
  crlf: (d) => Buffer.from(d.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'),
  flipDiffMarkers: (d, a) => {
    const ls = lines(d);
    const ds = ls.flatMap((l, i) => (/^[+ -]/.test(l) ? [i] : []));
    if (!ds.length) return d;
    const i = ds[pick(ds, a)]!;
    ls[i] = '+-+ '[a % 4]! + ls[i]!.slice(1);
    return unlines(ls);
  },
  unbalanceC: (d, a, b) => {
    const ls = lines(d);
    const adds = ls.flatMap((l, i) => (l.startsWith('+') && !l.startsWith('+++') ? [i] : []));
    if (!adds.length) return d;
    const i = adds[pick(adds, a)]!;
    ls.splice(
      i + 1,
      0,
      '+' + ['{', '}', '#if X', '#endif', '#else', '(', '/*', '"', "'", 'enum {', 'switch (x) {'][b % 11]!,
    );
    return unlines(ls);
  },
  glueSeeds: (d, a) => Buffer.concat([d, Buffer.from('\n'), SEEDS[a % SEEDS.length]!.data]),
};
const NAMES = Object.keys(MUTATIONS);

const mutated = fc
  .tuple(
    fc.nat(SEEDS.length - 1),
    fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.nat(), fc.nat()), { minLength: 1, maxLength: 5 }),
  )
  .map(([s, edits]) => {
    let data: Buffer = SEEDS[s]!.data;
    for (const [name, a, b] of edits) data = MUTATIONS[name]!(data, a, b);
    return { seed: SEEDS[s]!.path, edits: edits.map(([n]) => n), data };
  });

const params = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), interruptAfterTimeLimit: 10 * 60_000 };

describe('fuzz: the whole pipeline over mutated fixtures', () => {
  it('seeds themselves run clean (no rule crash)', async () => {
    expect(SEEDS.length).toBeGreaterThan(20);
    for (const s of SEEDS) await runPipeline(s.data);
  });

  it('mutated patches: findings or a UsageError, never a crash or a hang', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async ({ data }) => {
        await runPipeline(data);
      }),
      params,
    );
  }, 120_000);

  it('each mutation alone, on every seed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(SEEDS.length - 1),
        fc.constantFrom(...NAMES),
        fc.nat(),
        fc.nat(),
        async (s, name, a, b) => {
          await runPipeline(MUTATIONS[name]!(SEEDS[s]!.data, a, b));
        },
      ),
      { ...params, numRuns: Math.max(100, Math.floor(RUNS / 2)) },
    );
  }, 120_000);

  it('random bytes and random text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 4000 }).map((a) => Buffer.from(a)),
          fc.string({ maxLength: 4000 }).map((s) => Buffer.from(s, 'utf8')),
        ),
        async (data) => {
          await runPipeline(data);
        },
      ),
      { ...params, numRuns: Math.max(100, Math.floor(RUNS / 2)) },
    );
  }, 120_000);
});

// --- pathological sizes, through the binary with a hard timeout ------------------------------

const bin = join(process.cwd(), 'bin', 'zdcheck.js');
const tmp = mkdtempSync(join(tmpdir(), 'zdfuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function mail(subject: string, diff: string): string {
  return (
    `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: Fuzz <fuzz@example.org>\n` +
    `Date: Tue, 20 Dec 2022 10:00:00 +0000\nSubject: [PATCH] ${subject}\n\nA big one.\n\nSigned-off-by: Fuzz <fuzz@example.org>\n---\n${diff}`
  );
}
function newFile(path: string, body: string[]): string {
  return `diff --git a/${path} b/${path}\nnew file mode 100644\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1,${body.length} @@\n${body.map((l) => '+' + l).join('\n')}\n`;
}

/** Runs the binary; exit 0/1 with a report, or 2 with one line; killed after `ms`. */
function runBin(name: string, text: string, ms = 60_000): { status: number | null; stderr: string } {
  const file = join(tmp, name);
  writeFileSync(file, text);
  const r = spawnSync(process.execPath, [bin, '--no-progress', '--format', 'json', file], {
    timeout: ms,
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  expect(r.signal, `${name}: killed after ${ms} ms (hang?)`).toBeNull();
  expect([0, 1, 2]).toContain(r.status);
  if (r.status === 2) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  else expect(JSON.parse(r.stdout).findings.filter((f: { rule: string }) => f.rule === 'internal-error')).toEqual([]);
  expect(r.stderr).not.toMatch(/internal error| {4}at /);
  return { status: r.status, stderr: r.stderr };
}

describe.runIf(existsSync(join(process.cwd(), 'dist', 'src', 'cli.js')))(
  'fuzz: pathological sizes (built binary, hard timeout)',
  () => {
    it('a 100,000-line hunk', () => {
      const body = Array.from({ length: 100_000 }, (_, i) =>
        i % 3 ? `\tif (is_zone_device_page) x${i}++;` : `static int f${i}(void) { return ${i}; }`,
      );
      expect(runBin('huge.patch', mail('mm: huge', newFile('mm/huge.c', body))).status).not.toBeNull();
    });

    it('a hunk whose count promises 100,000 lines and holds three', () => {
      runBin(
        'liar.patch',
        mail(
          'mm: liar',
          'diff --git a/mm/a.c b/mm/a.c\n--- a/mm/a.c\n+++ b/mm/a.c\n@@ -1,100000 +1,100000 @@\n a\n+b\n c\n',
        ),
      );
    });

    it('5,000 nested braces, parentheses and #if', () => {
      const n = 5_000;
      const braces = [
        'void f(void)',
        ...Array.from({ length: n }, () => '{'),
        'x;',
        ...Array.from({ length: n }, () => '}'),
      ];
      const parens = [`int g = ${'('.repeat(n)}1${')'.repeat(n)};`];
      const ifs = [
        ...Array.from({ length: n }, (_, i) => `#if C${i}`),
        'int h;',
        ...Array.from({ length: n }, () => '#endif'),
      ];
      const chain = [`int a(void) { return ${'x && '.repeat(8_000)}1; }`];
      const unclosed = [
        'void u(void)',
        ...Array.from({ length: n }, () => '{ if (x) ('),
        ...Array.from({ length: n }, () => '#ifdef Y'),
      ];
      runBin(
        'nested.patch',
        mail(
          'mm: nested',
          newFile('mm/b.c', braces) +
            newFile('mm/p.c', parens) +
            newFile('include/linux/i.h', ifs) +
            newFile('mm/u.c', unclosed) +
            newFile('mm/and.c', chain),
        ),
      );
      // 5,000 members, duplicated names and values, half of them in a 1,250-arm #if/#elif chain
      // (2,000 plain members once took 20 s, 2,500 chained ones 870 s).
      const members = Array.from({ length: 2_500 }, (_, i) => `\tMEMORY_DEVICE_T${i % 800} = ${i % 7},`);
      const arms = Array.from({ length: 1_250 }, (_, i) => [
        i ? `#elif C${i}` : `#if C${i}`,
        `\tMEMORY_DEVICE_ALT${i % 3} = ${i % 5},`,
        `\tMEMORY_DEVICE_T${i} = 1,`,
      ]).flat();
      runBin(
        'enum.patch',
        mail(
          'mm: enum',
          newFile('include/linux/memremap.h', ['enum memory_type {', ...members, ...arms, '#endif', '};']),
        ),
      );
    });

    it('a single 1 MB line and a Kconfig with 5,000 nested ifs', () => {
      runBin('line.patch', mail('mm: line', newFile('mm/l.c', ['int x = ' + '1+'.repeat(500_000) + '1;'])));
      const kconfig = [
        ...Array.from({ length: 5_000 }, (_, i) => `if C${i}`),
        'config ZONE_DEVICE',
        '\tbool "z"',
        '\tselect ARCH_HAS_PTE_DEVMAP',
        ...Array.from({ length: 5_000 }, () => 'endif'),
      ];
      runBin('kconfig.patch', mail('arm64: deep', newFile('arch/arm64/Kconfig', kconfig)));
    });

    it('unusable input is exit 2 with one line: NUL-led, empty, headers only', () => {
      expect(runBin('nul.mbox', '\0\0\0From x').status).toBe(2);
      expect(runBin('empty.mbox', '').status).toBe(2);
      runBin('headers.mbox', 'Subject: x\nFrom: y\n\n');
    });
  },
);
