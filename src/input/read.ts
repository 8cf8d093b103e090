// Turns an InputSpec into byte streams, one per file, with the user-facing errors for input
// that cannot be used at all. A small file is read in one piece, a large one streamed (never held
// whole); gzip (lore's mbox.gz, or `gzip -c` on stdin) is recognised by its magic bytes and inflated
// on the way.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UsageError } from '../errors.js';
import type { InputSpec } from './types.js';

export interface InputFile {
  /** The name findings and errors use for it. */
  source: string;
  chunks: AsyncIterable<Buffer>;
  /** mbox >From quoting is undone for files and stdin, not for git format-patch output. */
  unquote: boolean;
  /** git input: the From_ line's sha is the message's commit. */
  git: boolean;
}

// `.cover`: `b4 am` writes the cover letter beside the `.mbx` of the patches.
const PATCH_NAME = /\.(patch|diff|eml|mbox|mbx|cover|txt)(\.gz)?$/i;

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err instanceof Error ? err.message.split('\n')[0]! : String(err);
  }
}

/** NUL bytes near the start: not mail. */
export function looksBinary(chunk: Buffer): boolean {
  return chunk.subarray(0, 8192).includes(0);
}

/** Bytes enough to tell a compressed file by its magic. */
const MAGIC_BYTES = 10;

/**
 * Compression other than gzip: named, with the command that undoes it, rather than called
 * binary. bzip2 is `BZh1`..`BZh9` and a block magic (pi, or sqrt(pi) for an empty stream).
 */
function otherCompression(head: Buffer): { name: string; undo: string } | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return { name: 'xz', undo: 'xz -dc' };
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return { name: 'zstd', undo: 'zstd -dc' };
  if (
    starts(0x42, 0x5a, 0x68) &&
    head[3]! >= 0x31 &&
    head[3]! <= 0x39 &&
    (starts(0x42, 0x5a, 0x68, head[3]!, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59) ||
      starts(0x42, 0x5a, 0x68, head[3]!, 0x17, 0x72, 0x45, 0x38, 0x50, 0x90))
  ) {
    return { name: 'bzip2', undo: 'bzip2 -dc' };
  }
  if (starts(0x50, 0x4b, 0x03, 0x04)) return { name: 'zip', undo: 'unzip -p' };
  return null;
}

function isGzip(head: Buffer): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

/** The stream with its first MAGIC_BYTES (or all of it, if shorter) gathered into `head`. */
async function peek(
  stream: AsyncIterable<Buffer | string> | Iterable<Buffer>,
): Promise<{ head: Buffer; rest: AsyncIterator<Buffer | string> | Iterator<Buffer> }> {
  const it = Symbol.asyncIterator in stream ? stream[Symbol.asyncIterator]() : stream[Symbol.iterator]();
  const parts: Buffer[] = [];
  let size = 0;
  while (size < MAGIC_BYTES) {
    const next = await it.next();
    if (next.done) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    parts.push(chunk);
    size += chunk.length;
  }
  return { head: Buffer.concat(parts), rest: it };
}

async function* resume(head: Buffer, rest: AsyncIterator<Buffer | string> | Iterator<Buffer>): AsyncGenerator<Buffer> {
  let done = false;
  try {
    if (head.length) yield head;
    for (;;) {
      const next = await rest.next();
      if (next.done) {
        done = true;
        return;
      }
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  } finally {
    // Stopped early (a UsageError further on): let the file go now, not when it is collected.
    if (!done) await rest.return?.();
  }
}

/** The raw bytes, inflated when they are gzip (any number of members, as `zcat` reads them). */
async function* inflated(
  source: string,
  stream: AsyncIterable<Buffer | string> | Iterable<Buffer>,
): AsyncGenerator<Buffer> {
  const { head, rest } = await peek(stream);
  const other = otherCompression(head);
  if (other) {
    await rest.return?.();
    const shown = source === '-' ? 'FILE' : source;
    throw new UsageError(
      `${source}: ${other.name}-compressed; decompress it first (${other.undo} ${shown} | zdcheck -)`,
    );
  }
  if (!isGzip(head)) {
    yield* resume(head, rest);
    return;
  }
  const gunzip = createGunzip();
  pipeline(Readable.from(resume(head, rest)), gunzip, () => {
    /* errors surface through the iterator */
  });
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (
      code === 'Z_BUF_ERROR' ||
      code === 'Z_DATA_ERROR' ||
      /unexpected end of file|incorrect header|invalid/i.test(String((err as Error)?.message))
    ) {
      throw new UsageError(`${source}: truncated or corrupt gzip data (${describe(err)})`);
    }
    throw err;
  }
}

/** Wraps a stream: refuses an empty, binary or non-gzip compressed input with a one-line UsageError. */
async function* guarded(
  source: string,
  stream: AsyncIterable<Buffer | string> | Iterable<Buffer>,
): AsyncGenerator<Buffer> {
  let first = true;
  let any = false;
  try {
    for await (const chunk of inflated(source, stream)) {
      if (chunk.length === 0) continue;
      if (first && looksBinary(chunk)) throw new UsageError(`${source}: binary file, not mail or a patch`);
      first = false;
      any = true;
      yield chunk;
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${source}: cannot read (${describe(err)})`);
  }
  if (!any) throw new UsageError(`${source}: empty input`);
}

interface Listed {
  file: string;
  /** Maildir files are single messages stored as sent: nothing in them is >From-quoted. */
  unquote: boolean;
}

async function entriesOf(dir: string) {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new UsageError(`${dir}: cannot read directory (${describe(err)})`);
  }
}

/**
 * Name order with digit runs compared as numbers: MH folders (`1`, `2`, `10`) and Maildir names
 * (`<time>.M<microseconds>P<pid>Q<counter>`, b4 mbox -M writes a thread within one second) sort as
 * they were written; zero-padded `0001-*.patch` names sort as plain name order sorts them.
 */
function byName(a: string, b: string): number {
  const ra = a.match(/\d+|\D+/g) ?? [];
  const rb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i]!;
    const y = rb[i]!;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const [nx, ny] = [x.replace(/^0+(?=\d)/, ''), y.replace(/^0+(?=\d)/, '')];
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return ra.length - rb.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * A directory of patch files (ordered by name, so `0000-cover-letter.patch` comes first), a quilt
 * patches directory (in the order of its `series` file), or a Maildir (`cur/` and `new/` holding
 * one message a file; names start with the delivery time).
 */
async function listPatchFiles(dir: string): Promise<Listed[]> {
  const entries = await entriesOf(dir);
  const files = entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
  if (files.includes('series')) {
    const listed = await quiltSeries(dir);
    if (listed) return listed;
  }
  const patchLike = files.filter((n) => PATCH_NAME.test(n) || /^\d{4}-/.test(n));
  const subdirs = new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name));
  if (patchLike.length === 0 && (subdirs.has('cur') || subdirs.has('new'))) {
    const mails: string[] = [];
    for (const sub of ['new', 'cur']) {
      if (!subdirs.has(sub)) continue;
      for (const e of await entriesOf(path.join(dir, sub))) {
        if (e.isFile() && !e.name.startsWith('.')) mails.push(path.join(dir, sub, e.name));
      }
    }
    // Delivery order: Maildir names start with the time of delivery, whichever folder they are in.
    mails.sort((a, b) => byName(path.basename(a), path.basename(b)));
    if (mails.length === 0) throw new UsageError(`${dir}: Maildir holds no messages`);
    return mails.map((file) => ({ file, unquote: false }));
  }
  const chosen = (patchLike.length ? patchLike : files).sort(byName);
  if (chosen.length === 0) throw new UsageError(`${dir}: directory holds no patch files`);
  return chosen.map((n) => ({ file: path.join(dir, n), unquote: true }));
}

/**
 * A quilt patches directory (debian/patches, a kernel vendor tree): its `series` file lists the
 * patches in the order they apply, paths relative to the directory, `#` comments, an option such
 * as `-p1` after the name. Null when `series` lists no existing file (then it is just a file).
 */
async function quiltSeries(dir: string): Promise<Listed[] | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, 'series'), 'utf8');
  } catch {
    // no readable series file: a plain folder of patches
    return null;
  }
  const names = text
    .split('\n')
    .map(
      (l) =>
        l
          .replace(/(^|\s)#.*$/, '')
          .trim()
          .split(/\s+/)[0] ?? '',
    )
    .filter((n) => n !== '');
  const listed: Listed[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    // never outside the directory: a series line is data, not a path to follow anywhere
    if (path.isAbsolute(name) || path.relative(dir, file).startsWith('..')) {
      missing.push(name);
      continue;
    }
    const st = await fs.stat(file).catch(() => null);
    if (st?.isFile()) listed.push({ file, unquote: true });
    else missing.push(name);
  }
  if (listed.length === 0) return null;
  if (missing.length)
    throw new UsageError(
      `${path.join(dir, 'series')}: lists ${missing[0]}${missing.length > 1 ? ` and ${missing.length - 1} more` : ''}, not found in ${dir}`,
    );
  return listed;
}

/**
 * A file up to this size is read in one call: streaming it costs a chunk's round trip through the
 * event loop per 64 KB, the larger part of reading a patch set.
 */
export const READ_WHOLE_MAX = 4 * 1024 * 1024;

/** The file's bytes: in one piece when it is a small regular file, else as a stream (a FIFO, a big mbox). */
async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const st = await handle.stat();
    if (st.isFile() && st.size <= READ_WHOLE_MAX) yield await handle.readFile();
    else yield* handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>;
  } finally {
    await handle.close();
  }
}

function fileInput(file: string, unquote = true): InputFile {
  return { source: file, chunks: guarded(file, fileChunks(file)), unquote, git: false };
}

export async function* openInput(
  spec: InputSpec,
  stdin: NodeJS.ReadableStream = process.stdin,
): AsyncGenerator<InputFile> {
  if (spec.kind === 'stdin') {
    yield { source: '-', chunks: guarded('-', stdin as AsyncIterable<Buffer>), unquote: true, git: false };
    return;
  }
  if (spec.kind === 'buffer') {
    yield { source: spec.source, chunks: guarded(spec.source, [spec.data]), unquote: false, git: true };
    return;
  }
  let stat;
  try {
    stat = await fs.stat(spec.path);
  } catch (err) {
    throw new UsageError(`${spec.path}: ${describe(err)}`);
  }
  if (stat.isDirectory()) {
    for (const { file, unquote } of await listPatchFiles(spec.path)) yield fileInput(file, unquote);
    return;
  }
  if (!stat.isFile() && !stat.isFIFO()) throw new UsageError(`${spec.path}: not a regular file`);
  if (stat.isFile() && stat.size === 0) throw new UsageError(`${spec.path}: empty file`);
  yield fileInput(spec.path);
}
