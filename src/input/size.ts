// How much a run will read, when that is known before it starts. The CLI keeps the heap lean
// (src/gc.ts) for an input that is large, or whose size it cannot know: a pipe, a directory
// (a Maildir may hold an archive), a gzip file.
import { fstatSync, promises as fs } from 'node:fs';
import type { InputSpec } from './types.js';

/**
 * The bytes of every input, or null when one cannot be sized. `stdinFd`: the descriptor standard
 * input is read from (null: a stream of the caller's, of unknown size).
 */
export async function knownInputBytes(inputs: readonly InputSpec[], stdinFd: number | null): Promise<number | null> {
  let total = 0;
  for (const spec of inputs) {
    const size = await sizeOf(spec, stdinFd);
    if (size === null) return null;
    total += size;
  }
  return total;
}

async function sizeOf(spec: InputSpec, stdinFd: number | null): Promise<number | null> {
  try {
    if (spec.kind === 'buffer') return spec.data.length;
    if (spec.kind === 'stdin') {
      if (stdinFd === null) return null;
      const st = fstatSync(stdinFd);
      return st.isFile() ? st.size : null;
    }
    if (/\.gz$/i.test(spec.path)) return null;
    const st = await fs.stat(spec.path);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}
