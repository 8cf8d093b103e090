import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, collect } from '../src/pipeline.js';
import type { Collection } from '../src/types.js';

const shape = (c: Collection) =>
  c.series.map((s) => ({
    title: s.title,
    version: s.version,
    total: s.total,
    cover: s.cover?.tags.index ?? null,
    parts: s.patches.map((p) => p.tags.index),
    replies: s.replies.map((r) => r.kind),
  }));

describe('series grouping', () => {
  it('finds two series and their replies in one mbox', async () => {
    const c = await collect([{ kind: 'path', path: 'fixtures/examples/two-series-and-replies.mbox' }]);
    expect(shape(c)).toEqual([
      { title: 'mm: count ZONE_DEVICE pages', version: 1, total: 3, cover: 0, parts: [1, 2, 3], replies: ['reply'] },
      { title: 'mm: a second series', version: 2, total: 3, cover: 0, parts: [1, 2, 3], replies: ['reply'] },
    ]);
    expect(c.stray).toEqual([]);
  });

  it('keeps v2 sent in reply to v1 apart from v1', async () => {
    const c = await collect([{ kind: 'path', path: 'rules/series-numbering/fixtures/good-v2-in-reply-to-v1.mbox' }]);
    expect(shape(c).map((s) => [s.version, s.parts])).toEqual([
      [1, [1, 2, 3]],
      [2, [1, 2, 3]],
    ]);
  });

  it('decodes the encoded series: QP, base64, Latin-1, an attached patch, a reply', async () => {
    const c = await collect([{ kind: 'path', path: 'fixtures/examples/encoded-series.mbox' }]);
    expect(shape(c)).toEqual([
      {
        title: 'mm: count ZONE_DEVICE pages (encoded)',
        version: 1,
        total: 3,
        cover: 0,
        parts: [1, 2, 3],
        replies: ['reply'],
      },
      {
        title: 'memremap: declare devmem_count_pages()',
        version: 1,
        total: null,
        cover: null,
        parts: [null],
        replies: [],
      },
    ]);
    const [s, attached] = c.series;
    expect(s!.patches.map((p) => p.author?.name)).toEqual(['Renée François', 'Renée François', 'Jérôme Durand']);
    expect(s!.patches[2]!.trailers[0]!.person?.name).toBe('Jérôme Durand');
    expect(s!.patches.every((p) => p.files.length > 0)).toBe(true);
    expect(attached!.patches[0]!.files.map((f) => f.newPath)).toEqual(['include/linux/memremap.h']);
  });

  it('reads a directory of format-patch files in name order, unthreaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zd-series-'));
    try {
      const mbox = readFileSync('fixtures/clean/series.mbox', 'utf8').split(/(?=^From [0-9a-f]{40} )/m);
      // written last to first, threading headers removed: only the names give the order
      [...mbox.entries()]
        .reverse()
        .forEach(([i, m]) =>
          writeFileSync(join(dir, `000${i}-x.patch`), m.replace(/^(In-Reply-To|References): .*\n/gm, '')),
        );
      const c = await collect([{ kind: 'path', path: dir }]);
      expect(c.series).toHaveLength(1);
      expect(c.series[0]!.cover?.tags.index).toBe(0);
      expect(c.series[0]!.patches.map((p) => p.tags.index)).toEqual([1, 2, 3]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes commits and the base from git format-patch --stdout buffers', async () => {
    const data = readFileSync('fixtures/clean/series.mbox');
    const c = await collect([
      { kind: 'buffer', source: 'git:base..HEAD', data, gitBase: { repo: '/r', commit: 'b'.repeat(40) } },
    ]);
    expect(c.gitBase).toEqual({ repo: '/r', commit: 'b'.repeat(40) });
    expect(c.series[0]!.patches.map((p) => p.message.commit)).toEqual(['1'.repeat(40), '2'.repeat(40), '3'.repeat(40)]);
  });

  it('makes a lone patch a series of one', async () => {
    const c = await collect([{ kind: 'path', path: 'fixtures/clean/single.patch' }]);
    expect(shape(c)).toEqual([
      {
        title: 'memremap: declare devmem_count_pages()',
        version: 1,
        total: null,
        cover: null,
        parts: [null],
        replies: [],
      },
    ]);
  });
});

describe('copies of a message', () => {
  it('reads the same thread saved twice (same Message-IDs and subjects) once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zd-series-'));
    try {
      const twice = join(dir, 'twice.mbox');
      const text = readFileSync('fixtures/inputs/lore-thread.mbox', 'utf8');
      writeFileSync(twice, text + text);
      const c = await collect([{ kind: 'path', path: twice }]);
      expect(shape(c)).toEqual(shape(await collect([{ kind: 'path', path: 'fixtures/inputs/lore-thread.mbox' }])));
      const { findings } = await check([{ kind: 'path', path: twice }], { tree: null, kernel: null });
      expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps two messages without Message-ID that say the same: a part sent twice', async () => {
    const text = readFileSync('fixtures/inputs/format-patch-dir/0001-mm-add-a-device-page-watermark.patch');
    const c = await collect([{ kind: 'buffer', source: 'twice', data: Buffer.concat([text, text]) }]);
    expect(c.series.map((s) => s.patches.length)).toEqual([1, 1]);
  });
});
