// main() in-process, for what a spawned run cannot show: a terminal, a crash inside zdcheck.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCode, main, wantColor, type CliIo } from '../src/cli.js';
import { createProgress } from '../src/progress.js';
import type { Finding } from '../src/types.js';
import { patchMail, tempDir } from './cli-helpers.js';

class Capture extends Writable {
  text = '';
  constructor(public isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}

function io(opts: { tty?: boolean; env?: NodeJS.ProcessEnv; stdout?: Writable } = {}) {
  const stdout = new Capture(opts.tty);
  const stderr = new Capture(opts.tty);
  const cli: Partial<CliIo> = { stdout: opts.stdout ?? stdout, stderr, stdin: new PassThrough(), env: opts.env ?? {} };
  return { stdout, stderr, cli };
}

let dir: string;
let unsigned: string;
let config: string;
let many: string;
beforeAll(() => {
  dir = tempDir();
  unsigned = join(dir, 'unsigned.patch');
  writeFileSync(unsigned, patchMail({ subject: '[PATCH] mm/memremap: unsigned change', signoff: null }));
  config = join(dir, 'only-signoff.json');
  writeFileSync(config, JSON.stringify({ rules: { 'list-not-copied': 'off' } }));
  many = join(dir, 'many.mbox');
  writeFileSync(
    many,
    Array.from({ length: 120 }, (_, i) => patchMail({ subject: `[PATCH ${i + 1}/120] mm: part ${i + 1}`, n: i })).join(
      '',
    ),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('main()', () => {
  it('reports a bug inside zdcheck as one internal-error line, the stack only with ZDCHECK_DEBUG=1', async () => {
    // a stdout whose write throws synchronously is the simplest bug to provoke
    const throwing = Object.assign(new Capture(), {
      write: () => {
        throw new TypeError('cannot write\nat all');
      },
    }) as unknown as Writable;
    let t = io({ stdout: throwing });
    expect(await main(['--config', config, unsigned], t.cli)).toBe(2);
    expect(t.stderr.text).toBe('zdcheck: internal error: cannot write at all\n');
    t = io({ stdout: throwing, env: { ZDCHECK_DEBUG: '1' } });
    expect(await main(['--config', config, unsigned], t.cli)).toBe(2);
    expect(t.stderr.text.split('\n')[0]).toBe('zdcheck: internal error: cannot write at all');
    expect(t.stderr.text).toMatch(/\n\s+at /);
  });

  it('colours on a terminal unless NO_COLOR or --no-color says otherwise', async () => {
    let t = io({ tty: true });
    expect(await main(['--config', config, unsigned], t.cli)).toBe(1);
    expect(t.stdout.text).toContain('\x1b[31m\x1b[1mERROR\x1b[0m: missing-signoff');
    t = io({ tty: true, env: { NO_COLOR: '1' } });
    await main(['--config', config, unsigned], t.cli);
    expect(t.stdout.text).not.toContain('\x1b[');
    t = io({ tty: true });
    await main(['--config', config, '--no-color', unsigned], t.cli);
    expect(t.stdout.text).not.toContain('\x1b[');
    t = io({ tty: true });
    await main(['--config', config, '--format', 'json', unsigned], t.cli);
    expect(t.stdout.text).not.toContain('\x1b[');
  });

  it('shows progress for a large input on a terminal only, and clears it', async () => {
    let t = io({ tty: true });
    expect(await main(['--config', config, many], t.cli)).toBe(0);
    expect(t.stderr.text).toMatch(/^\r\x1b\[Kzdcheck: \d+ messages read/);
    expect(t.stderr.text.endsWith('\r\x1b[K')).toBe(true);
    expect(t.stdout.text).toBe('total: 0 errors, 0 warnings, 120 patches checked\n');
    t = io({ tty: false });
    await main(['--config', config, many], t.cli);
    expect(t.stderr.text).toBe('');
    t = io({ tty: true });
    await main(['--config', config, '--no-progress', many], t.cli);
    expect(t.stderr.text).toBe('');
  });

  it('reads - from the given stdin', async () => {
    const t = io();
    const stdin = new PassThrough();
    stdin.end(patchMail({ subject: '[PATCH] mm: from stdin', signoff: null }));
    expect(await main(['--config', config, '-'], { ...t.cli, stdin })).toBe(1);
    expect(t.stdout.text).toContain('[PATCH] mm: from stdin\nERROR: missing-signoff');
    expect(await main(['-', '-'], t.cli)).toBe(2);
    expect(t.stderr.text).toBe('zdcheck: - (standard input) given twice\n');
  });
});

describe('exit status and colour decisions', () => {
  const f = (severity: Finding['severity']): Finding => ({
    rule: 'r',
    severity,
    message: 'm',
    patch: null,
    file: null,
    line: null,
    series: null,
    patchKey: null,
  });
  it('maps findings and --fail-on to 0 or 1', () => {
    expect(exitCode([], 'error')).toBe(0);
    expect(exitCode([f('info')], 'warning')).toBe(0);
    expect(exitCode([f('warning')], 'error')).toBe(0);
    expect(exitCode([f('warning')], 'warning')).toBe(1);
    expect(exitCode([f('error')], 'warning')).toBe(1);
    expect(exitCode([f('error')], 'never')).toBe(0);
  });

  it('colours a TTY only, honours NO_COLOR (non-empty), and never colours a file', () => {
    const tty = { stdout: { isTTY: true }, env: {} } as unknown as CliIo;
    expect(wantColor(undefined, tty, false)).toBe(true);
    expect(wantColor(undefined, tty, true)).toBe(false);
    expect(wantColor(undefined, { ...tty, env: { NO_COLOR: '' } }, false)).toBe(true);
    expect(wantColor(undefined, { ...tty, env: { NO_COLOR: 'x' } }, false)).toBe(false);
    expect(wantColor(true, { ...tty, stdout: { isTTY: false } } as unknown as CliIo, false)).toBe(true);
  });

  it('throttles progress redraws', () => {
    const out = new Capture(true);
    let now = 0;
    const p = createProgress(out, true, { threshold: 10, interval: 100, now: () => now });
    p.update(5);
    expect(out.text).toBe('');
    p.update(10);
    now += 50;
    p.update(20);
    now += 60;
    p.update(30);
    expect(out.text).toBe('\r\x1b[Kzdcheck: 10 messages read\r\x1b[Kzdcheck: 30 messages read');
    p.done();
    expect(out.text.endsWith('\r\x1b[K')).toBe(true);
  });
});
