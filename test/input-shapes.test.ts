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
import type { Collection, Finding } from '../src/types.js';

const opts = { tree: null, kernel: null };
const path = (p: string) => [{ kind: 'path' as const, path: p }];

const shape = (c: Collection) => c.series.map((s) => ({
  title: s.title, version: s.version, total: s.total, cover: s.cover?.tags.index ?? null,
  parts: s.patches.map((p) => p.tags.index), replies: s.replies.map((r) => r.kind),
}));
const serious = (fs: Finding[]) => fs.filter((f) => f.severity !== 'info').map((f) => `${f.rule} ${f.patch ?? 'series'}`);

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
    expect(shape(collection)).toEqual([{ title: 'mm: add devpages_state()', version: 2, total: 3, cover: null, parts: [1, 2, 3], replies: [] }]);
    expect(serious(findings)).toEqual([]);
    // check() lets the text go once the rules ran; collect() keeps it
    const [p1] = (await collect(path(file))).series[0]!.patches;
    expect(p1!.tags.prefix).toBe('PATCH mm-unstable v2 1/3');
    expect(p1!.author).toEqual({ name: 'Renée Ünal', address: 'renee@example.org' });
    expect(p1!.trailers.map((t) => t.key)).toEqual(['Reviewed-by', 'Signed-off-by', 'Link', 'Message-ID']);
  });

  it('leaves body lines as b4 wrote them: no >From unquoting', async () => {
    const c = await collect(path(file));
    const msg = c.series[0]!.patches[1]!.commitMessage;
    expect(msg).toContain('\n>From the review of v1: keep the flag static.\nFrom Mon Mar  9 2026 on the flag is documented.\n');
  });
});

describe('zero-padded part numbers', () => {
  it('reads [PATCH v3 00/12] .. [PATCH v3 12/12] as one complete series', async () => {
    const { collection, findings } = await check(path('fixtures/inputs/zero-padded.mbox'), opts);
    expect(shape(collection)).toEqual([{
      title: 'mm: build the device parts one by one', version: 3, total: 12, cover: 0,
      parts: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], replies: [],
    }]);
    expect(serious(findings)).toEqual([]);
  });
});

const hunkLines = async (file: string) => {
  const c = await collect(path(file));
  expect(c.series).toHaveLength(1);
  return c.series[0]!.patches[0]!.files.map((f) => [f.newPath, f.hunks.map((h) => h.lines.map((l) => `${l.kind[0]}${l.text}`))]);
};

describe('MIME shapes', () => {
  it('un-flows a format=flowed patch: stuffed context lines and a soft-wrapped line come back whole', async () => {
    expect(await hunkLines('fixtures/inputs/flowed.eml')).toEqual([['mm/devmsg.c', [[
      'c#include <linux/printk.h>', 'c', 'cstatic int devmsg_left(void);', 'dstatic int devmsg_quiet;',
      'astatic int devmsg_quiet = 0;', 'a#define DEVMSG_OUT "devmsg: no device pages left for this driver, giving up on the mapping\\n"',
      'cint devmsg_state(void)', 'c{',
    ]]]]);
    const c = await collect(path('fixtures/inputs/flowed.eml'));
    expect(c.series[0]!.patches[0]!.diffstat?.entries).toEqual([{ path: 'mm/devmsg.c', changes: 3, binary: false }]);
  });

  it('keeps a patch labelled flowed but sent as is, when un-flowing would break its hunks', async () => {
    expect(await hunkLines('fixtures/inputs/flowed-mislabelled.eml')).toEqual([['mm/devlimit.c', [[
      'cint devlimit_get(void)', 'c{', 'a\tint limit = 16; ', 'a\treturn limit;',
    ]]]]);
  });

  it('reads the text alternative of a text + HTML mail', async () => {
    expect(await hunkLines('fixtures/inputs/html-alternative.eml')).toEqual([['mm/devpool.c', [[
      'c/* device page pool */', 'astatic const char devpool_name[] = "devpool";', 'cint devpool_size;',
    ]]]]);
    const c = await collect(path('fixtures/inputs/html-alternative.eml'));
    expect(c.series[0]!.patches[0]!.message.body).not.toContain('<html>');
  });

  it.each([
    ['octet-stream-attachment.eml', 'int devfix_limit;'],
    ['x-diff-attachment.eml', 'int devfix_limit_of_the_device_pages_handed_out_to_the_drivers_so_far;'],
    ['diff-in-second-part.eml', 'int devfix_limit;'],
  ])('takes the diff from a separate part: %s', async (name, added) => {
    const file = `fixtures/inputs/${name}`;
    expect(await hunkLines(file)).toEqual([['mm/devfix.c', [['cint devfix_count;', 'dint devfix_limt;', `a${added}`]]]]);
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
      expect(crc.series[1]!.patches.map((p) => p.commitMessage)).toEqual(lfc.series[1]!.patches.map((p) => p.commitMessage));
      expect(crc.series[1]!.patches[0]!.files).toEqual(lfc.series[1]!.patches[0]!.files);
      expect(crc.series[1]!.patches[0]!.files[1]!.hunks[0]!.newLines).toBe(9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
