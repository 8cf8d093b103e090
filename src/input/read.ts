// Turns an InputSpec into byte streams, one per file, with the user-facing errors for input
// that cannot be used at all. Files are streamed, never read whole.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
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

const PATCH_NAME = /\.(patch|diff|eml|mbox|mbx|txt)$/i;

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    default: return err instanceof Error ? err.message.split('\n')[0]! : String(err);
  }
}

/** NUL bytes near the start: not mail. */
export function looksBinary(chunk: Buffer): boolean {
  return chunk.subarray(0, 8192).includes(0);
}

/** Wraps a stream: refuses an empty or binary input with a one-line UsageError. */
async function* guarded(source: string, stream: AsyncIterable<Buffer | string> | Iterable<Buffer>): AsyncGenerator<Buffer> {
  let first = true;
  let any = false;
  try {
    for await (const piece of stream) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
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

async function listPatchFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new UsageError(`${dir}: cannot read directory (${describe(err)})`);
  }
  const files = entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
  const patchLike = files.filter((n) => PATCH_NAME.test(n) || /^\d{4}-/.test(n));
  const chosen = (patchLike.length ? patchLike : files).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (chosen.length === 0) throw new UsageError(`${dir}: directory holds no patch files`);
  return chosen.map((n) => path.join(dir, n));
}

function fileInput(file: string): InputFile {
  return { source: file, chunks: guarded(file, createReadStream(file)), unquote: true, git: false };
}

export async function* openInput(spec: InputSpec, stdin: NodeJS.ReadableStream = process.stdin): AsyncGenerator<InputFile> {
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
    for (const file of await listPatchFiles(spec.path)) yield fileInput(file);
    return;
  }
  if (!stat.isFile() && !stat.isFIFO()) throw new UsageError(`${spec.path}: not a regular file`);
  if (stat.isFile() && stat.size === 0) throw new UsageError(`${spec.path}: empty file`);
  yield fileInput(spec.path);
}
