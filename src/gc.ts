// A full garbage collection on demand. Native memory (tree-sitter trees, zlib buffers) is
// invisible to V8's heuristics and only freed when finalizers run, so long runs collect
// themselves at points they choose. Uses --expose-gc's gc() when given, else exposes it once.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    const exposed = globalThis.gc;
    gc = typeof exposed === 'function' ? () => void exposed() : null;
    if (!gc) {
      v8.setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
  }
  gc?.();
}
