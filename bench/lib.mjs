// Measuring child processes: wall time, peak RSS, and RSS at chosen points of a streamed input.
// Peak RSS comes from /proc/<pid>/status (VmHWM), sampled until the process exits, or from GNU
// time's %M when it is installed (exact, even for runs shorter than one sampling period).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function statusKB(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Runs a command to its end. `input`: a Buffer for stdin, or an async generator of Buffers
 * (written with backpressure; `marks` fractions of `inputBytes` get an RSS sample each).
 * Returns { wall (s), cpu (s, with GNU time), peakKB, code, stdout (when keepStdout), rssAt: {fraction: KB} }.
 */
export async function run(cmd, args, opts = {}) {
  const { cwd, input, inputBytes = 0, marks = [], keepStdout = false, limitKB = Infinity, env } = opts;
  const dir = GNU_TIME && !marks.length ? mkdtempSync(join(tmpdir(), 'zdbench-')) : null;
  const timeFile = dir ? join(dir, 'time') : null;
  const [file, argv] = timeFile ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const child = spawn(file, argv, { cwd, env: env ?? process.env, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const out = [];
  let stderr = '';
  child.stdout.on('data', (c) => { if (keepStdout) out.push(c); });
  child.stderr.on('data', (c) => { stderr += c; });
  let peak = 0;
  let killed = false;
  const sample = () => {
    const hwm = statusKB(child.pid, 'VmHWM');
    if (hwm !== null) peak = Math.max(peak, hwm);
    if (peak > limitKB && !killed) { killed = true; child.kill('SIGKILL'); }
  };
  const timer = setInterval(sample, 20);
  const done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const rssAt = {};
  if (Buffer.isBuffer(input)) {
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  } else if (input) {
    child.stdin.on('error', () => {});
    let written = 0;
    const pending = [...marks].sort((a, b) => a - b);
    try {
      for await (const chunk of input) {
        if (killed || child.exitCode !== null) break;
        if (!child.stdin.write(chunk)) await new Promise((r) => child.stdin.once('drain', r));
        written += chunk.length;
        while (pending.length && written >= pending[0] * inputBytes) {
          rssAt[pending.shift()] = statusKB(child.pid, 'VmRSS');
        }
      }
    } finally {
      child.stdin.end();
    }
  }
  const { code, signal } = await done;
  const wall = (performance.now() - t0) / 1000;
  clearInterval(timer);
  let cpu = null;
  if (timeFile) {
    const m = /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(readFileSync(timeFile, 'utf8'));
    const kb = Number(m?.[1]);
    if (Number.isFinite(kb) && kb > 0) peak = kb;
    if (m) cpu = Number(m[2]) + Number(m[3]);
    rmSync(dir, { recursive: true, force: true });
  }
  // cpu: user + system seconds of the process and its children (GNU time), or null: on a machine
  // shared with other jobs, what the run itself costs when the wall time is mostly waiting for a core.
  return { wall, cpu, peakKB: peak || null, code, signal, killed, stderr, stdout: keepStdout ? Buffer.concat(out) : null, rssAt };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs `fn` over items with `jobs` at a time; returns the total wall time in seconds. */
export async function pool(items, jobs, fn) {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
  return (performance.now() - t0) / 1000;
}

/** Splits an mbox (From_ separated) into messages; only for the bench's small samples. */
export function splitMboxText(text) {
  const parts = text.split(/^(?=From \S+ .*\d\d:\d\d)/m);
  return parts.filter((p) => p.trim() !== '');
}
