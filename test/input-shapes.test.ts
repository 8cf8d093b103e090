// Real mail shapes, in fixtures of our own (fixtures/inputs/): lore's mboxrd thread mbox, b4's
// am-ready mbox, gzip, Maildir, format-patch directories, flowed text, attachments, odd diffs.
// Each expectation was written from what the mail says, before the run.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { collect, check } from '../src/pipeline.js';
import { UsageError } from '../src/errors.js';
import { readGitRange } from '../src/input/git.js';
import { openInput, READ_WHOLE_MAX } from '../src/input/read.js';
import { makeRepo } from './helpers/gitrepo.js';
import type { Collection, Finding } from '../src/types.js';

const opts = { tree: null, kernel: null };
const path = (p: string) => [{ kind: 'path' as const, path: p }];

const shape = (c: Collection) =>
  c.series.map((s) => ({
    title: s.title,
    version: s.version,
    total: s.total,
    cover: s.cover?.tags.index ?? null,
    parts: s.patches.map((p) => p.tags.index),
    replies: s.replies.map((r) => r.kind),
  }));
const serious = (fs: Finding[]) =>
  fs.filter((f) => f.severity !== 'info').map((f) => `${f.rule} ${f.patch ?? 'series'}`);

async function usageError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('no UsageError');
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'zd-inputs-'));
}

describe('lore thread mbox (public-inbox mboxrd)', () => {
  const file = 'fixtures/inputs/lore-thread.mbox';

  it('holds v1 and v2 of a series, each with its cover and a reply, and nothing to report', async () => {
    const { collection, findings } = await check(path(file), opts);
    expect(shape(collection)).toEqual([
      { title: 'mm: demo device counters', version: 1, total: 2, cover: 0, parts: [1, 2], replies: ['reply'] },
      { title: 'mm: demo device counters', version: 2, total: 2, cover: 0, parts: [1, 2], replies: ['reply'] },
    ]);
    expect(collection.stray).toEqual([]);
    expect(collection.unreadable).toEqual([]);
    expect(serious(findings)).toEqual([]);
  });

  it('undoes mboxrd quoting and unfolds plain and encoded subjects', async () => {
    const c = await collect(path(file));
    const [p1, p2] = c.series[1]!.patches;
    expect(p1!.subject).toBe('[PATCH v2 1/2] mm: add a counter of device pages handed out to drivers');
    expect(p1!.commitMessage.split('\n').slice(0, 3)).toEqual([
      'From the first day a driver maps device memory, it wants to know how',
      'much of it is handed out.',
      '>From here on a quoted line.',
    ]);
    expect(p2!.subject).toBe('[PATCH v2 2/2] mm: declare devmem_demo_pages() for drivers');
    expect(p2!.diffstat?.summary).toEqual({ files: 1, insertions: 2, deletions: 0 });
    expect(p2!.files.map((f) => f.newPath)).toEqual(['include/linux/mm.h']);
  });

  it('does not read the diff quoted in a reply as a patch', async () => {
    const c = await collect(path(file));
    const reply = c.series[0]!.replies[0]!;
    expect(reply.subject).toBe('Re: [PATCH 1/2] mm: add a counter of device pages');
    expect(reply.files).toEqual([]);
  });
});

describe("b4's am-ready mbox (From git@z)", () => {
  const file = 'fixtures/inputs/b4-am.mbx';

  it('reads one v2 series with a tree-name prefix, raw UTF-8 headers, and the trailers b4 adds', async () => {
    const { collection, findings } = await check(path(file), opts);
    expect(shape(collection)).toEqual([
      { title: 'mm: add devpages_state()', version: 2, total: 3, cover: null, parts: [1, 2, 3], replies: [] },
    ]);
    expect(serious(findings)).toEqual([]);
    // check() lets the text go once the rules ran; collect() keeps it
    const [p1] = (await collect(path(file))).series[0]!.patches;
    expect(p1!.tags.prefix).toBe('PATCH mm-unstable v2 1/3');
    expect(p1!.author).toEqual({ name: 'Renée Ünal', address: 'renee@example.org' });
    expect(p1!.trailers.map((t) => t.key)).toEqual(['Reviewed-by', 'Signed-off-by', 'Link', 'Message-ID']);
  });

  it('takes the .cover b4 am writes beside the .mbx as the cover letter of the series', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'v2_20260310_renee_mm_devpages_helpers.mbx'), readFileSync(file));
      writeFileSync(
        join(dir, 'v2_20260310_renee_mm_devpages_helpers.cover'),
        readFileSync('fixtures/inputs/b4-am.cover'),
      );
      const { collection, findings } = await check(path(dir), opts);
      expect(shape(collection)).toEqual([
        { title: 'mm: devpages helpers', version: 2, total: 3, cover: 0, parts: [1, 2, 3], replies: [] },
      ]);
      expect(serious(findings)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves body lines as b4 wrote them: no >From unquoting', async () => {
    const c = await collect(path(file));
    const msg = c.series[0]!.patches[1]!.commitMessage;
    expect(msg).toContain(
      '\n>From the review of v1: keep the flag static.\nFrom Mon Mar  9 2026 on the flag is documented.\n',
    );
  });
});

describe('b4 send through the B4 Relay, cover letter with the b4-submit-tracking block', () => {
  const file = 'fixtures/inputs/b4-send-relay.mbox';

  it('reads an RFC net-next series with its cover; the tracking JSON is neither trailer nor diffstat', async () => {
    const { collection, findings } = await check(path(file), opts);
    expect(shape(collection)).toEqual([
      { title: 'net: device pages for page pools', version: 1, total: 2, cover: 0, parts: [1, 2], replies: [] },
    ]);
    expect(serious(findings)).toEqual([]);
    const s = (await collect(path(file))).series[0]!;
    expect(s.cover!.tags).toMatchObject({ rfc: true, prefix: 'PATCH RFC net-next 0/2' });
    expect(s.cover!.trailers).toEqual([]);
    expect(s.cover!.diffstat).toEqual({
      entries: [{ path: 'net/core/devpool.c', changes: 5, binary: false }],
      summary: { files: 1, insertions: 5, deletions: 0 },
    });
    expect(s.cover!.baseCommit).toBe('89abcdef0123456789abcdef0123456789abcdef');
    expect(s.patches.map((p) => p.author)).toEqual([
      { name: 'Ada Lovell', address: 'ada@example.org' },
      { name: 'Ada Lovell', address: 'ada@example.org' },
    ]);
  });
});

describe('zero-padded part numbers', () => {
  it('reads [PATCH v3 00/12] .. [PATCH v3 12/12] as one complete series', async () => {
    const { collection, findings } = await check(path('fixtures/inputs/zero-padded.mbox'), opts);
    expect(shape(collection)).toEqual([
      {
        title: 'mm: build the device parts one by one',
        version: 3,
        total: 12,
        cover: 0,
        parts: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        replies: [],
      },
    ]);
    expect(serious(findings)).toEqual([]);
  });
});

const hunkLines = async (file: string) => {
  const c = await collect(path(file));
  expect(c.series).toHaveLength(1);
  return c.series[0]!.patches[0]!.files.map((f) => [
    f.newPath,
    f.hunks.map((h) => h.lines.map((l) => `${l.kind[0]}${l.text}`)),
  ]);
};

describe('MIME shapes', () => {
  it('un-flows a format=flowed patch: stuffed context lines and a soft-wrapped line come back whole', async () => {
    expect(await hunkLines('fixtures/inputs/flowed.eml')).toEqual([
      [
        'mm/devmsg.c',
        [
          [
            'c#include <linux/printk.h>',
            'c',
            'cstatic int devmsg_left(void);',
            'dstatic int devmsg_quiet;',
            'astatic int devmsg_quiet = 0;',
            'a#define DEVMSG_OUT "devmsg: no device pages left for this driver, giving up on the mapping\\n"',
            'cint devmsg_state(void)',
            'c{',
          ],
        ],
      ],
    ]);
    const c = await collect(path('fixtures/inputs/flowed.eml'));
    expect(c.series[0]!.patches[0]!.diffstat?.entries).toEqual([{ path: 'mm/devmsg.c', changes: 3, binary: false }]);
  });

  it('keeps a patch labelled flowed but sent as is, when un-flowing would break its hunks', async () => {
    expect(await hunkLines('fixtures/inputs/flowed-mislabelled.eml')).toEqual([
      ['mm/devlimit.c', [['cint devlimit_get(void)', 'c{', 'a\tint limit = 16; ', 'a\treturn limit;']]],
    ]);
  });

  it('reads the text alternative of a text + HTML mail', async () => {
    expect(await hunkLines('fixtures/inputs/html-alternative.eml')).toEqual([
      [
        'mm/devpool.c',
        [['c/* device page pool */', 'astatic const char devpool_name[] = "devpool";', 'cint devpool_size;']],
      ],
    ]);
    const c = await collect(path('fixtures/inputs/html-alternative.eml'));
    expect(c.series[0]!.patches[0]!.message.body).not.toContain('<html>');
  });

  it.each([
    ['octet-stream-attachment.eml', 'int devfix_limit;'],
    ['x-diff-attachment.eml', 'int devfix_limit_of_the_device_pages_handed_out_to_the_drivers_so_far;'],
    ['diff-in-second-part.eml', 'int devfix_limit;'],
  ])('takes the diff from a separate part: %s', async (name, added) => {
    const file = `fixtures/inputs/${name}`;
    expect(await hunkLines(file)).toEqual([
      ['mm/devfix.c', [['cint devfix_count;', 'dint devfix_limt;', `a${added}`]]],
    ]);
    const { findings } = await check(path(file), opts);
    expect(serious(findings)).toEqual([]);
    expect((await collect(path(file))).series[0]!.patches[0]!.trailers.map((t) => t.key)).toEqual(['Signed-off-by']);
  });

  it('reads 8bit text with no Content-Type as UTF-8, header and body', async () => {
    const { findings } = await check(path('fixtures/inputs/8bit-no-charset.eml'), opts);
    const p = (await collect(path('fixtures/inputs/8bit-no-charset.eml'))).series[0]!.patches[0]!;
    expect(p.author).toEqual({ name: 'Jérôme Glisse', address: 'jerome@example.org' });
    expect(p.files[0]!.hunks[0]!.lines[1]!.text).toBe('/* written by Jérôme */');
    expect(serious(findings)).toEqual([]);
  });

  it('reads a CRLF mbox like the LF one', async () => {
    const dir = tempDir();
    try {
      const crlf = join(dir, 'crlf.mbox');
      writeFileSync(crlf, readFileSync('fixtures/inputs/lore-thread.mbox', 'utf8').replace(/\n/g, '\r\n'));
      const [lf, cr] = [await check(path('fixtures/inputs/lore-thread.mbox'), opts), await check(path(crlf), opts)];
      expect(shape(cr.collection)).toEqual(shape(lf.collection));
      expect(serious(cr.findings)).toEqual([]);
      const [lfc, crc] = [await collect(path('fixtures/inputs/lore-thread.mbox')), await collect(path(crlf))];
      expect(crc.series[1]!.patches.map((p) => p.commitMessage)).toEqual(
        lfc.series[1]!.patches.map((p) => p.commitMessage),
      );
      expect(crc.series[1]!.patches[0]!.files).toEqual(lfc.series[1]!.patches[0]!.files);
      expect(crc.series[1]!.patches[0]!.files[1]!.hunks[0]!.newLines).toBe(9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('directories', () => {
  const dir = 'fixtures/inputs/format-patch-dir';

  it('reads git format-patch files with 0000-cover-letter.patch as one series with its cover', async () => {
    const { collection, findings } = await check(path(dir), opts);
    expect(shape(collection)).toEqual([
      { title: 'mm: a device page watermark', version: 1, total: 2, cover: 0, parts: [1, 2], replies: [] },
    ]);
    expect(serious(findings)).toEqual([]);
  });

  it('reads the same files piped in as git format-patch --stdout would give them', async () => {
    const stdin = new PassThrough();
    const names = [
      '0000-cover-letter.patch',
      '0001-mm-add-a-device-page-watermark.patch',
      '0002-mm-report-the-device-page-watermark.patch',
    ];
    stdin.end(Buffer.concat(names.map((n) => readFileSync(join(dir, n)))));
    const c = await collect([{ kind: 'stdin' }], { stdin });
    expect(shape(c)).toEqual(shape(await collect(path(dir))));
  });

  it('reads a Maildir (cur/ and new/) in delivery order, bodies unquoted as stored', async () => {
    const md = tempDir();
    try {
      const msgs = readFileSync('fixtures/inputs/lore-thread.mbox', 'latin1')
        .split(/^From mboxrd@z .*\n/m)
        .filter((m) => m !== '')
        // a Maildir stores the message as sent: undo the archive's mboxrd quoting
        .map((m) => m.replace(/^>(>*From )/gm, '$1'));
      expect(msgs).toHaveLength(8);
      mkdirSync(join(md, 'cur'));
      mkdirSync(join(md, 'new'));
      mkdirSync(join(md, 'tmp'));
      // read messages in cur/, unread ones in new/; the name's leading time gives the order
      msgs.forEach((m, i) =>
        writeFileSync(
          join(md, i % 3 === 0 ? 'new' : 'cur', `${1773000000 + i}.M${i}P42.host${i % 3 === 0 ? '' : ':2,S'}`),
          m,
          'latin1',
        ),
      );
      const { collection, findings } = await check(path(md), opts);
      expect(shape(collection)).toEqual(shape(await collect(path('fixtures/inputs/lore-thread.mbox'))));
      expect(serious(findings)).toEqual([]);
      const c = await collect(path(md));
      expect(c.series[1]!.patches[0]!.commitMessage).toContain(
        'much of it is handed out.\n>From here on a quoted line.',
      );
    } finally {
      rmSync(md, { recursive: true, force: true });
    }
  });

  it('orders Maildir and MH names by their numbers: Q9 before Q10, 2 before 10', async () => {
    const md = tempDir();
    try {
      // unthreaded format-patch mail: only the order of the files tells the series apart
      const parts = readFileSync('fixtures/clean/series.mbox', 'utf8')
        .split(/(?=^From [0-9a-f]{40} )/m)
        .map((m) => m.replace(/^(In-Reply-To|References|Message-Id): .*\n/gm, ''));
      mkdirSync(join(md, 'new'));
      [...parts, ...parts].forEach((m, i) =>
        writeFileSync(
          join(md, 'new', `1773000000.M${[5, 9, 700, 1000, 6000, 80000, 90000, 999999][i]}P42Q${i + 9}.host`),
          m,
        ),
      );
      const c = await collect(path(md));
      expect(shape(c).map((s) => [s.cover, s.parts])).toEqual([
        [0, [1, 2, 3]],
        [0, [1, 2, 3]],
      ]);
      const mh = tempDir();
      try {
        [...parts, ...parts].forEach((m, i) => writeFileSync(join(mh, String(i + 1)), m));
        expect(shape(await collect(path(mh))).map((s) => [s.cover, s.parts])).toEqual([
          [0, [1, 2, 3]],
          [0, [1, 2, 3]],
        ]);
      } finally {
        rmSync(mh, { recursive: true, force: true });
      }
    } finally {
      rmSync(md, { recursive: true, force: true });
    }
  });

  it('reads a quilt patches directory in the order of its series file', async () => {
    const { collection, findings } = await check(path('fixtures/inputs/quilt'), opts);
    expect(collection.series.map((s) => [s.title, s.patches.flatMap((p) => p.files.map((f) => f.newPath))])).toEqual([
      ['mm: start the device page watermark at zero', ['mm/devmark.c']],
      ['mm: report the device page watermark', ['mm/devmark.c']],
    ]);
    expect(serious(findings)).toEqual([]);
  });

  it('refuses a quilt series naming a patch that is not there, or one outside the directory', async () => {
    const dir = tempDir();
    try {
      mkdirSync(join(dir, 'bugfix'));
      writeFileSync(join(dir, 'bugfix', 'a.patch'), readFileSync('fixtures/inputs/quilt/bugfix/mm-devmark-init.patch'));
      writeFileSync(join(dir, 'series'), 'bugfix/a.patch\nbugfix/gone.patch\n');
      expect(await usageError(collect(path(dir)))).toMatch(/series: lists bugfix\/gone\.patch, not found in /);
      writeFileSync(join(dir, 'series'), 'bugfix/a.patch\n../../etc/passwd\n/etc/passwd\n');
      expect(await usageError(collect(path(dir)))).toMatch(
        /series: lists \.\.\/\.\.\/etc\/passwd and 1 more, not found in /,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an empty Maildir with one line', async () => {
    const md = tempDir();
    try {
      mkdirSync(join(md, 'cur'));
      mkdirSync(join(md, 'new'));
      expect(await usageError(collect(path(md)))).toMatch(/Maildir holds no messages$/);
    } finally {
      rmSync(md, { recursive: true, force: true });
    }
  });
});

describe('large files', () => {
  it('reads a small file in one piece and streams one above READ_WHOLE_MAX, bytes unchanged', async () => {
    const dir = tempDir();
    try {
      const lore = readFileSync('fixtures/inputs/lore-thread.mbox');
      const big = join(dir, 'big.mbox');
      const bytes = Buffer.concat(Array.from({ length: Math.ceil((READ_WHOLE_MAX + 1) / lore.length) }, () => lore));
      writeFileSync(big, bytes);
      const chunksOf = async (file: string) => {
        const out: Buffer[] = [];
        for await (const input of openInput({ kind: 'path', path: file }))
          for await (const c of input.chunks) out.push(c);
        return out;
      };
      const small = await chunksOf('fixtures/inputs/lore-thread.mbox');
      expect(small).toHaveLength(1);
      expect(small[0]!.equals(lore)).toBe(true);
      const streamed = await chunksOf(big);
      expect(streamed.length).toBeGreaterThan(1);
      expect(Buffer.concat(streamed).equals(bytes)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compressed input', () => {
  const lore = readFileSync('fixtures/inputs/lore-thread.mbox');

  it('inflates a .mbox.gz file and gzip on stdin, with the findings of the plain file', async () => {
    const dir = tempDir();
    try {
      const gz = join(dir, 'lore-thread.mbox.gz');
      writeFileSync(gz, gzipSync(lore));
      const plain = await check(path('fixtures/inputs/lore-thread.mbox'), opts);
      const fromFile = await check(path(gz), opts);
      expect(shape(fromFile.collection)).toEqual(shape(plain.collection));
      expect(fromFile.findings).toEqual(plain.findings);
      const stdin = new PassThrough();
      // in small pieces, so the gzip magic arrives split
      const data = gzipSync(lore);
      for (let i = 0; i < data.length; i += 1) stdin.write(data.subarray(i, i + 1));
      stdin.end();
      const fromStdin = await check([{ kind: 'stdin' }], { ...opts, stdin });
      expect(shape(fromStdin.collection)).toEqual(shape(plain.collection));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads every member of a multi-member gzip file, as zcat does', async () => {
    const dir = tempDir();
    try {
      const text = lore.toString('latin1');
      const cut = text.indexOf('From mboxrd@z', text.indexOf('[PATCH v2 0/2]') - 2000);
      const gz = join(dir, 'two-members.mbox.gz');
      writeFileSync(
        gz,
        Buffer.concat([
          gzipSync(Buffer.from(text.slice(0, cut), 'latin1')),
          gzipSync(Buffer.from(text.slice(cut), 'latin1')),
        ]),
      );
      expect(shape(await collect(path(gz)))).toEqual(shape(await collect(path('fixtures/inputs/lore-thread.mbox'))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes .mbox.gz and .patch.gz files from a directory', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'lore-thread.mbox.gz'), gzipSync(lore));
      expect(shape(await collect(path(dir)))).toEqual(shape(await collect(path('fixtures/inputs/lore-thread.mbox'))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'xz',
      Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46]),
      /t\.mbox\.xz: xz-compressed; decompress it first \(xz -dc .*t\.mbox\.xz \| zdcheck -\)$/,
    ],
    [
      'bzip2',
      Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.from([0x12, 0x34, 0x56, 0x00])]),
      /t\.mbox\.bz2: bzip2-compressed; decompress it first \(bzip2 -dc /,
    ],
    ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58, 0x00, 0x00]), /zstd-compressed; decompress it first/],
  ])('refuses %s with one line saying how to decompress', async (kind, bytes, want) => {
    const dir = tempDir();
    try {
      const file = join(dir, kind === 'xz' ? 't.mbox.xz' : kind === 'bzip2' ? 't.mbox.bz2' : 't.mbox.zst');
      writeFileSync(file, Buffer.concat([bytes, Buffer.alloc(64, 7)]));
      expect(await usageError(collect(path(file)))).toMatch(want);
      const stdin = new PassThrough();
      stdin.end(Buffer.concat([bytes, Buffer.alloc(64, 7)]));
      expect(await usageError(collect([{ kind: 'stdin' }], { stdin }))).toMatch(
        /^-: \w+-compressed; decompress it first \(\S+ -dc FILE \| zdcheck -\)$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a truncated gzip file, an empty one and gzip of binary data with one line', async () => {
    const dir = tempDir();
    try {
      const cut = join(dir, 'cut.mbox.gz');
      const data = gzipSync(Buffer.concat([lore, lore, lore]));
      writeFileSync(cut, data.subarray(0, data.length >> 1));
      expect(await usageError(check(path(cut), opts))).toMatch(/cut\.mbox\.gz: truncated or corrupt gzip data/);
      const empty = join(dir, 'empty.mbox.gz');
      writeFileSync(empty, gzipSync(Buffer.alloc(0)));
      expect(await usageError(collect(path(empty)))).toMatch(/empty\.mbox\.gz: empty input$/);
      const bin = join(dir, 'bin.mbox.gz');
      writeFileSync(bin, gzipSync(Buffer.from([0, 1, 2, 3, 0, 0, 9])));
      expect(await usageError(collect(path(bin)))).toMatch(/bin\.mbox\.gz: binary file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--git on a b4 prep branch', () => {
  const tracking =
    'mm: demo cover\n\nCover text.\n\n--- b4-submit-tracking ---\n# This section is used internally by b4 prep for tracking purposes.\n{\n  "series": {\n    "revision": 1,\n    "change-id": "20260318-demo-1a2b3c4d",\n    "prefixes": []\n  }\n}\n';
  const sob = '\n\nSigned-off-by: Test Author <author@example.invalid>\n';

  it('leaves the empty cover-letter commit out of the numbering: [PATCH 1/2], [PATCH 2/2], not 2/3 and 3/3', async () => {
    const repo = makeRepo();
    try {
      repo.commit('base', { 'mm/x.c': 'int a;\n' });
      repo.git('commit', '-q', '--allow-empty', '-m', tracking);
      repo.commit(`mm: add b${sob}`, { 'mm/x.c': 'int a;\nint b;\n' });
      repo.commit(`mm: add c${sob}`, { 'mm/x.c': 'int a;\nint b;\nint c;\n' });
      const { collection, findings } = await check([await readGitRange('HEAD~3..HEAD', repo.dir)], opts);
      expect(collection.series.map((s) => [s.total, s.patches.map((p) => p.subject)])).toEqual([
        [2, ['[PATCH 1/2] mm: add b', '[PATCH 2/2] mm: add c']],
      ]);
      expect(findings.filter((f) => f.rule === 'series-numbering')).toEqual([]);
      // one commit beside the cover commit is mailed as [PATCH]
      const one = await collect([await readGitRange('HEAD~3..HEAD~1', repo.dir)]);
      expect(one.series.map((s) => s.patches.map((p) => p.subject))).toEqual([['[PATCH] mm: add b']]);
      expect(await usageError(readGitRange('HEAD~3..HEAD~2', repo.dir))).toBe(
        '--git: range HEAD~3..HEAD~2 has no commits that change anything',
      );
    } finally {
      repo.cleanup();
    }
  });
});
