// The diffstat block: ` path | 12 ++--`, ` img.png | Bin 0 -> 12 bytes`, and the summary.
// Tolerant of whitespace damage (archive copies lose the leading space and the bar).
import type { Diffstat, DiffstatEntry } from '../types.js';

const ENTRY = /^\s*(\S.*?)\s+\|\s+(?:(\d+)\s*[+-]*|(Bin)\b.*)\s*$/;
const SUMMARY = /^\s*(\d+) files? changed(?:, (\d+) insertions?\(\+\))?(?:, (\d+) deletions?\(-\))?\s*$/;

/** Scans lines for diffstat entries and the summary; null when there are neither. */
export function parseDiffstat(lines: readonly string[]): Diffstat | null {
  const entries: DiffstatEntry[] = [];
  let summary: Diffstat['summary'] = null;
  for (const line of lines) {
    const s = SUMMARY.exec(line);
    if (s) {
      summary = { files: Number(s[1]), insertions: Number(s[2] ?? 0), deletions: Number(s[3] ?? 0) };
      continue;
    }
    const e = ENTRY.exec(line);
    if (e) {
      const binary = e[3] !== undefined;
      entries.push({ path: e[1]!, changes: binary ? null : Number(e[2]), binary });
    }
  }
  if (entries.length === 0 && summary === null) return null;
  return { entries, summary };
}

/** `mm/{old.c => new.c}` or `old => new` -> the new path (`mm/new.c`). */
export function diffstatNewPath(path: string): string {
  const brace = /^(.*)\{(.*) => (.*)\}(.*)$/.exec(path);
  if (brace) return (brace[1]! + brace[3]! + brace[4]!).replace(/\/\//g, '/');
  const plain = / => (.*)$/.exec(path);
  return plain ? plain[1]! : path;
}

/** Does a diffstat path (maybe `.../tail/of/path`, the way git abbreviates) name `full`? */
export function diffstatPathMatches(statPath: string, full: string): boolean {
  const p = diffstatNewPath(statPath);
  if (!p.includes('...')) return p === full;
  // git cuts from the left (`.../tail`); hand-edited and wrapped stats cut in the middle too.
  const [head = '', ...rest] = p.split('...');
  const tail = rest.join('...');
  return full.length >= head.length + tail.length && full.startsWith(head) && full.endsWith(tail);
}
