// Input the tool must refuse with one clear line (UsageError) or survive; and properties over
// random and mutated mbox files and diffs: nothing but UsageError escapes, nothing hangs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { collect, check } from '../src/pipeline.js';
import { UsageError } from '../src/errors.js';
import { parseDiffText } from '../src/patch/index.js';
import { gzipSync } from 'node:zlib';

const path = (p: string) => [{ kind: 'path' as const, path: p }];
const opts = { tree: null, kernel: null };

async function usageError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('no UsageError');
}

describe('unusable input ends in one UsageError line', () => {
  it.each([
    ['fixtures/bad-input/empty.mbox', /empty\.mbox: empty file/],
    ['fixtures/bad-input/binary.mbox', /binary\.mbox: binary file/],
    ['fixtures/bad-input/no-mail.txt', /no-mail\.txt: no mail message or patch found/],
    ['fixtures/bad-input/does-not-exist.mbox', /does-not-exist\.mbox: no such file or directory/],
  ])('%s', async (file, want) => {
    expect(await usageError(collect(path(file)))).toMatch(want);
  });

  it('an empty stdin', async () => {
    const stdin = new PassThrough();
    stdin.end();
    expect(await usageError(collect([{ kind: 'stdin' }], { stdin }))).toBe('-: empty input');
  });
});

describe('damaged input is survived', () => {
  it('checks the rest of a mbox around one corrupt base64 part', async () => {
    const { collection, findings } = await check(path('fixtures/bad-input/corrupt-base64.mbox'), opts);
    expect(collection.unreadable.map((u) => [u.origin.index, u.label])).toEqual([[2, '<devcount.2@example.org>']]);
    expect(collection.series[0]!.patches.map((p) => p.tags.index)).toEqual([1, 3]);
    expect(findings.map((f) => f.rule).sort()).toEqual(['series-numbering', 'unreadable-message']);
  });

  it('reads an unknown charset as Windows-1252', async () => {
    const c = await collect(path('fixtures/bad-input/unknown-charset.mbox'));
    expect(c.series[0]!.patches[0]!.files).toHaveLength(1);
  });

  it('keeps the files after a hunk whose counts lie', async () => {
    const c = await collect(path('fixtures/bad-input/lying-hunk-counts.patch'));
    expect(c.series[0]!.patches[0]!.files.map((f) => f.newPath)).toEqual([
      'mm/Kconfig',
      'mm/Makefile',
      'mm/devmem_count.c',
    ]);
  });

  it('reads a 2 MB single-line message', async () => {
    const line = 'x'.repeat(2 * 1024 * 1024);
    const data = Buffer.from(
      `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: A <a@x.org>\nSubject: [PATCH] big\n\n${line}\n`,
    );
    const t = performance.now();
    const c = await collect([{ kind: 'buffer', source: 'big', data }]);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(c.stray.length + c.series.length).toBe(1);
  });

  it('reads from stdin', async () => {
    const stdin = new PassThrough();
    stdin.end(readFileSync('fixtures/clean/series.mbox'));
    const c = await collect([{ kind: 'stdin' }], { stdin });
    expect(c.series[0]!.patches).toHaveLength(3);
  });
});

// Properties. Every case is bounded in time: a hang fails the case instead of the suite.
async function bounded<T>(p: Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function onlyUsageErrors(data: Buffer): Promise<void> {
  try {
    await bounded(check([{ kind: 'buffer', source: 'prop', data }], opts));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
  }
}

const SEED = readFileSync('fixtures/examples/two-series-and-replies.mbox');
const PIECES = [
  'From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n',
  'From: =?UTF-8?B?',
  '?=',
  '\n\n',
  '\r\n',
  'diff --git a/x b/x\n',
  '@@ -1,3 +1,99 @@\n',
  '\\ No newline at end of file\n',
  '+',
  '-',
  ' ',
  '---\n',
  'Content-Type: multipart/mixed; boundary=b\n',
  '--b\n',
  'Content-Transfer-Encoding: base64\n',
  'Content-Transfer-Encoding: quoted-printable\n',
  '=C3=',
  'Subject: [PATCH 9/2] x\n',
  'In-Reply-To: <a@b>\n',
  'Message-Id: <a@b>\n',
  'References: <a@b> <a@b>\n',
  'GIT binary patch\nliteral 3\n',
  'rename from a\n',
  '\u0000',
  '\ufffd',
];

describe('properties', () => {
  it('random text and bytes: only UsageError, never a hang', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
          fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((a) => Buffer.from(a.join(''))),
        ),
        onlyUsageErrors,
      ),
      { numRuns: 200 },
    );
  }, 60_000);

  it('mutated real mbox: cut, spliced, bytes flipped', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(SEED.length), fc.nat(SEED.length), fc.constantFrom(...PIECES), fc.nat(255)), {
          minLength: 1,
          maxLength: 8,
        }),
        async (edits) => {
          let data = SEED;
          for (const [a, b, piece, byte] of edits) {
            const [lo, hi] = a < b ? [a, Math.min(b, a + 200)] : [b, a];
            data = Buffer.concat([data.subarray(0, lo), Buffer.from(piece), Buffer.from([byte]), data.subarray(hi)]);
          }
          await onlyUsageErrors(data);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);

  it('gzip: damaged, truncated or random after the magic: only UsageError, never a hang', async () => {
    const gz = gzipSync(SEED);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from(a)])),
          fc.nat(gz.length).map((n) => gz.subarray(0, n)),
          fc.tuple(fc.nat(gz.length - 1), fc.nat(255)).map(([at, byte]) => {
            const b = Buffer.from(gz);
            b[at] = byte;
            return b;
          }),
        ),
        onlyUsageErrors,
      ),
      { numRuns: 150 },
    );
  }, 60_000);

  it('random diffs never throw and keep line numbers consistent', () => {
    const diffLine = fc.oneof(
      fc.constantFrom(
        '@@ -1,2 +1,3 @@',
        '@@ -0,0 +1 @@',
        'diff --git a/f b/f',
        '--- a/f',
        '+++ b/f',
        '\\ No newline at end of file',
        '',
        '-- ',
        'new file mode 100644',
      ),
      fc.tuple(fc.constantFrom('+', '-', ' '), fc.string({ maxLength: 8 })).map(([c, s]) => c + s.replace(/\n/g, '')),
    );
    fc.assert(
      fc.property(fc.array(diffLine, { maxLength: 80 }), (ls) => {
        for (const f of parseDiffText(ls.join('\n'))) {
          for (const h of f.hunks) {
            let newLine = h.newStart;
            for (const l of h.lines) {
              if (l.kind !== 'del') expect(l.newLine).toBe(newLine++);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
