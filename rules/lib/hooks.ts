// Prototype changes a series makes in include/: a declaration whose parameter list or
// return type differs between the pre- and post-side of one hunk.
import type { FileDiff, Patch, Series } from '../../src/types.js';
import { findHeads, sameSignature, type FunctionHead } from './proto.js';

export interface PrototypeChange {
  patch: Patch;
  header: string;
  name: string;
  before: FunctionHead;
  after: FunctionHead;
  /** Post-image line (1-based) of the new declaration in `patch`. */
  line: number;
}

const CALLISH = /\b([A-Za-z_]\w*)\s*\(/g;

export function prototypeChanges(series: Series): PrototypeChange[] {
  const out: PrototypeChange[] = [];
  for (const patch of series.patches) {
    if (patch.kind !== 'patch') continue;
    for (const f of patch.files)
      if (f.newPath?.startsWith('include/') && f.newPath.endsWith('.h')) out.push(...inFile(patch, f, f.newPath));
  }
  return out;
}

function inFile(patch: Patch, f: FileDiff, header: string): PrototypeChange[] {
  const out: PrototypeChange[] = [];
  for (const h of f.hunks) {
    const pre = h.lines.filter((l) => l.kind !== 'add');
    const post = h.lines.filter((l) => l.kind !== 'del');
    const names = new Set<string>();
    // The name may sit on a context line when only a continuation line of the head changed.
    for (const l of h.lines) for (const m of l.text.matchAll(CALLISH)) names.add(m[1]!);
    for (const name of names) {
      const before = findHeads(
        pre.map((l) => l.text),
        name,
      ).filter((x) => x.kind === 'declaration');
      const after = findHeads(
        post.map((l) => l.text),
        name,
      ).filter((x) => x.kind === 'declaration');
      if (before.length !== 1 || after.length !== 1) continue;
      const [b, a] = [before[0]!, after[0]!];
      const touched = (lines: typeof pre, head: FunctionHead) =>
        lines.slice(head.line, head.end + 1).some((l) => l.kind !== 'context');
      if (sameSignature(b, a) || !(touched(pre, b) || touched(post, a))) continue;
      out.push({ patch, header, name, before: b, after: a, line: post[a.line]!.newLine ?? h.newStart });
    }
  }
  return out;
}
