// The lean heap of a large run (src/gc.ts, src/input/size.ts): which inputs get it, and that it
// holds once worker threads start (their start resets V8's flags; the pool sets them again).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownInputBytes } from '../src/input/size.js';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zdcheck-heap-'));
  writeFileSync(join(dir, 'a.mbox'), 'x'.repeat(1000));
  writeFileSync(join(dir, 'b.patch'), 'y'.repeat(234));
  writeFileSync(join(dir, 'c.mbox.gz'), 'z');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('knownInputBytes', () => {
  it('adds up files and buffers', async () => {
    const bytes = await knownInputBytes(
      [
        { kind: 'path', path: join(dir, 'a.mbox') },
        { kind: 'path', path: join(dir, 'b.patch') },
        { kind: 'buffer', source: 'git', data: Buffer.alloc(66) },
      ],
      null,
    );
    expect(bytes).toBe(1300);
  });

  it('cannot size a directory, a gzip file or a stream, but can a redirected file', async () => {
    expect(await knownInputBytes([{ kind: 'path', path: dir }], null)).toBeNull();
    expect(await knownInputBytes([{ kind: 'path', path: join(dir, 'c.mbox.gz') }], null)).toBeNull();
    expect(await knownInputBytes([{ kind: 'stdin' }], null)).toBeNull();
    const fd = openSync(join(dir, 'a.mbox'), 'r');
    try {
      expect(await knownInputBytes([{ kind: 'stdin' }], fd)).toBe(1000);
    } finally {
      closeSync(fd);
    }
  });
});

describe('leanHeap', () => {
  // In a child process: the flags are the process's, and V8 needs room to show growth.
  const youngAfterWork = (lean: boolean): number => {
    const script = `
      import v8 from 'node:v8';
      import { Worker } from 'node:worker_threads';
      import { leanHeap, applyHeapFlags } from ${JSON.stringify(join(ROOT, 'dist/src/gc.js'))};
      const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
      if (${lean}) leanHeap();
      const w = new Worker('setTimeout(() => {}, 200)', { eval: true });
      await new Promise((r) => w.once('online', r));
      applyHeapFlags();
      const keep = [];
      for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2e5) keep.length = 0; }
      console.log(young());
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return Number(r.stdout.trim());
  };

  it('keeps the young generation small after a worker thread starts; V8 alone grows it', () => {
    expect(youngAfterWork(false)).toBeGreaterThanOrEqual(8 << 20);
    expect(youngAfterWork(true)).toBeLessThan(4 << 20);
  });
});
