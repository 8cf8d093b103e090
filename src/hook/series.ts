// The whole series at send time. git 2.41+ tells the hook which file of how many it is checking
// (GIT_SENDEMAIL_FILE_COUNTER / GIT_SENDEMAIL_FILE_TOTAL). Each file is kept, under the hash of
// its content, in `<git dir>/zdcheck-sendemail/`, with a manifest of which file came as which
// number and what was already reported; when the last one arrives the caller checks them all as
// one series (series-level and cross-patch rules), then the state is removed. A run that stopped
// half-way (a patch refused, send-email killed) leaves state that the next file 1 replaces.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runGitSync } from '../git/run.js';

export const STATE_DIR = 'zdcheck-sendemail';
/** Leftovers older than this are from runs that will never finish. */
const STALE_MS = 24 * 3600 * 1000;

export interface SendPosition {
  counter: number;
  total: number;
}

/** The counters git 2.41+ sets, or null (older git, or values that make no sense). */
export function sendPosition(env: NodeJS.ProcessEnv): SendPosition | null {
  const c = env['GIT_SENDEMAIL_FILE_COUNTER'];
  const t = env['GIT_SENDEMAIL_FILE_TOTAL'];
  if (c === undefined || t === undefined || !/^\d+$/.test(c) || !/^\d+$/.test(t)) return null;
  const counter = Number(c);
  const total = Number(t);
  if (counter < 1 || total < 1 || counter > total) return null;
  return { counter, total };
}

export function gitDir(top: string): string | null {
  const r = runGitSync({ cwd: top, args: ['rev-parse', '--git-dir'] });
  const out = r.stdout.toString('utf8').trim();
  return r.ok && out !== '' ? resolve(top, out) : null;
}

interface Manifest {
  total: number;
  /** counter (as a string key) -> content hash */
  files: Record<string, string>;
  /** Keys of the findings already printed for earlier files. */
  reported: string[];
}

export class SendState {
  readonly dir: string;

  constructor(gitDirectory: string) {
    this.dir = join(gitDirectory, STATE_DIR);
  }

  private manifestPath(): string {
    return join(this.dir, 'run.json');
  }

  /** Removes everything: after the last file, before a new run's first, and after a refusal. */
  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Drops the leftovers of runs long gone (the manifest and mail of a send that never finished). */
  clearStale(now: number): void {
    try {
      if (now - statSync(this.dir).mtimeMs > STALE_MS) this.clear();
    } catch {
      // nothing there
    }
  }

  /** The manifest when it continues this run (same total, files 1..counter-1 all recorded), else null. */
  load(pos: SendPosition): Manifest | null {
    let m: Manifest;
    try {
      m = JSON.parse(readFileSync(this.manifestPath(), 'utf8')) as Manifest;
    } catch {
      // no manifest or a damaged one: no series on record, the file is checked on its own
      return null;
    }
    if (m.total !== pos.total || typeof m.files !== 'object' || !Array.isArray(m.reported)) return null;
    for (let i = 1; i < pos.counter; i++) if (typeof m.files[String(i)] !== 'string') return null;
    return m;
  }

  /** Keeps one file's content (by hash) and what was reported for it. */
  record(pos: SendPosition, data: Buffer, reported: readonly string[], previous: Manifest | null): void {
    mkdirSync(this.dir, { recursive: true });
    const hash = createHash('sha256').update(data).digest('hex');
    writeFileSync(join(this.dir, `${hash}.mail`), data);
    const m: Manifest = previous ?? { total: pos.total, files: {}, reported: [] };
    m.files[String(pos.counter)] = hash;
    m.reported = [...new Set([...m.reported, ...reported])];
    writeFileSync(this.manifestPath(), JSON.stringify(m));
  }

  /** The files of the run, in the order git handed them over. */
  files(m: Manifest): Buffer[] {
    return Object.keys(m.files)
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => readFileSync(join(this.dir, `${m.files[String(k)]}.mail`)));
  }

  /** Notes written "once per run" for older git, keyed by the send-email process. */
  noticeOnce(runId: number): boolean {
    mkdirSync(this.dir, { recursive: true });
    for (const f of readdirSync(this.dir)) {
      const m = /^notice-(\d+)$/.exec(f);
      if (m && Number(m[1]) !== runId && !alive(Number(m[1]))) rmSync(join(this.dir, f), { force: true });
    }
    const mark = join(this.dir, `notice-${runId}`);
    try {
      writeFileSync(mark, '', { flag: 'wx' });
      return true;
    } catch {
      // the mark is there already: this send-email run has had its notice
      return false;
    }
  }
}

/**
 * The git send-email process this hook runs under: the run's identity when git gives no
 * counters. git may start the hook through `git hook run`, a new process per file, so the
 * nearest ancestor whose command line names send-email is taken (Linux /proc); else the parent.
 */
export function sendEmailProcess(start: number = process.ppid): number {
  let pid = start;
  for (let depth = 0; depth < 6 && pid > 1; depth++) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (cmd.includes('send-email')) return pid;
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so read after the last ')'.
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return start;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One mbox of the run's files: each gets a From_ line when it has none, so none is read as another's body. */
export function asMbox(files: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    if (!f.subarray(0, 5).equals(Buffer.from('From ')))
      parts.push(Buffer.from('From zdcheck-hook Mon Sep 17 00:00:00 2001\n'));
    parts.push(f);
    if (f.length > 0 && f[f.length - 1] !== 0x0a) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}
