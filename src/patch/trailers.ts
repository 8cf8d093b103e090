// Trailers of a commit message (Signed-off-by, Fixes, Link ...) and the people in them.
import type { Person, Trailer } from '../types.js';

const KNOWN = new Set([
  'signed-off-by',
  'reviewed-by',
  'acked-by',
  'tested-by',
  'reported-by',
  'suggested-by',
  'co-developed-by',
  'fixes',
  'link',
  'cc',
  'closes',
  'requested-by',
  'reported-and-tested-by',
  'originally-by',
  'debugged-by',
  'bisected-by',
  'message-id',
]);
const TRAILER = /^([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*):[ \t]+(\S.*?)\s*$/;

/** `Name <addr>`, `"Name" <addr>`, `addr`, `Name <addr> # 5.10` -> Person. */
export function parsePerson(value: string): Person | null {
  const angle = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>/.exec(value);
  if (angle) return { name: unquote(angle[1]!.trim()), address: angle[2]!.trim() };
  const bare = /^([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)/.exec(value.trim());
  if (bare) return { name: '', address: bare[1]! };
  return null;
}

function unquote(name: string): string {
  return name.length >= 2 && name.startsWith('"') && name.endsWith('"')
    ? name.slice(1, -1).replace(/\\(.)/g, '$1')
    : name;
}

function isPersonKey(lower: string): boolean {
  return lower.endsWith('-by') || lower === 'cc';
}

/**
 * Every trailer line of the commit message. Trailers belong in the last paragraph, but
 * real messages put notes (`[ v2: ... ]`) between them, so any line with a known key or
 * an `*-by` key counts, wherever it sits.
 */
export function parseTrailers(commitMessage: string): Trailer[] {
  const out: Trailer[] = [];
  for (const line of commitMessage.split('\n')) {
    const m = TRAILER.exec(line);
    if (!m) continue;
    const lower = m[1]!.toLowerCase();
    if (!KNOWN.has(lower) && !lower.endsWith('-by')) continue;
    out.push({ key: m[1]!, value: m[2]!, person: isPersonKey(lower) ? parsePerson(m[2]!) : null });
  }
  return out;
}
