// The C of a base tree's headers: enum memory_type, and the is_*_page / folio_is_* helpers with
// the CONFIG_ conditions of the #if groups around them.
import { findHeads } from '../../tree/proto.js';
import type { TreeEnumMember } from './types.js';

export const MEMREMAP_H = 'include/linux/memremap.h';

const HELPER_NAME = /\b(is_\w+_page|folio_is_\w+)\s*\(/g;

/** The members of `enum memory_type` in a memremap.h text, or null when the enum is absent. */
export function extractMemoryTypeEnum(text: string): TreeEnumMember[] | null {
  const start = /\benum\s+memory_type\s*\{/.exec(text);
  if (!start) return null;
  const bodyStart = start.index + start[0].length;
  const end = text.indexOf('}', bodyStart);
  if (end < 0) return null;
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  // Blank out comments but keep offsets, so line numbers stay right.
  const body = text.slice(bodyStart, end).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/^[ \t]*#[^\n]*/gm, (c) => ' '.repeat(c.length));
  const members: TreeEnumMember[] = [];
  let next: number | null = 0;
  let offset = 0;
  for (const part of body.split(',')) {
    const m = /^(\s*)([A-Za-z_]\w*)\s*(?:=\s*([^,]+?))?\s*$/.exec(part);
    if (m) {
      let value: number | null = next;
      if (m[3] !== undefined) value = /^(0x[0-9a-f]+|\d+)$/i.test(m[3].trim()) ? Number(m[3].trim()) : null;
      members.push({ name: m[2]!, value, line: lineAt(bodyStart + offset + m[1]!.length) });
      next = value === null ? null : value + 1;
    }
    offset += part.length + 1;
  }
  return members;
}

export interface HelperOccurrence {
  name: string;
  file?: string;
  line: number;
  guard: string | null;
  /** In a #else branch or under #ifndef / #if ! of a CONFIG_ (a stub). */
  negated: boolean;
  tests: string | null;
  calls: string | null;
}

/** `defined(CONFIG_X)`, `IS_ENABLED(CONFIG_X)` -> `CONFIG_X`; spaces collapsed. */
export function normaliseGuard(expr: string): string {
  return expr.replace(/\b(?:defined|IS_ENABLED|IS_BUILTIN)\s*\(\s*(\w+)\s*\)/g, '$1').replace(/\bdefined\s+(\w+)/g, '$1')
    .replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').trim();
}

/**
 * Declarations and definitions of helpers in a header, each with the CONFIG_ conditions of the
 * #if branches around it. `only`: the names to take (null: any is_*_page / folio_is_*).
 */
export function helperOccurrences(text: string, only: ReadonlySet<string> | null): HelperOccurrence[] {
  // Comments blanked (offsets kept), continuation lines joined onto their first line.
  const clean = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '));
  const lines = clean.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*#/.test(lines[i]!)) continue;
    let j = i;
    while (/\\\s*$/.test(lines[i]!) && j + 1 < lines.length) {
      j++;
      lines[i] = lines[i]!.replace(/\\\s*$/, ' ') + lines[j]!;
      lines[j] = '';
    }
    i = j;
  }
  const stack: { cond: string; negated: boolean; config: boolean }[] = [];
  const out: HelperOccurrence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const pp = /^\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b(.*)$/.exec(l);
    if (pp) {
      const [, dir, rest] = pp as unknown as [string, string, string];
      const arg = rest.trim();
      if (dir === 'ifdef') stack.push({ cond: arg, negated: false, config: /\bCONFIG_/.test(arg) });
      else if (dir === 'ifndef') stack.push({ cond: `!${arg}`, negated: true, config: /\bCONFIG_/.test(arg) });
      else if (dir === 'if') stack.push({ cond: normaliseGuard(arg), negated: /^!\s*[\w(]/.test(normaliseGuard(arg)), config: /\bCONFIG_/.test(arg) });
      else if (dir === 'elif' && stack.length) {
        const top = stack[stack.length - 1]!;
        stack[stack.length - 1] = { cond: normaliseGuard(arg), negated: false, config: top.config || /\bCONFIG_/.test(arg) };
      } else if (dir === 'else' && stack.length) {
        const top = stack[stack.length - 1]!;
        stack[stack.length - 1] = { cond: `!(${top.cond})`, negated: !top.negated, config: top.config };
      } else if (dir === 'endif') stack.pop();
      continue;
    }
    const define = /^\s*#\s*define\s+(is_\w+_page|folio_is_\w+)\s*\(/.exec(l);
    const names: string[] = [];
    if (define) names.push(define[1]!);
    else if (!/^\s/.test(l)) for (const m of l.matchAll(HELPER_NAME)) names.push(m[1]!);
    for (const name of names) {
      if (only && !only.has(name)) continue;
      const head = define ? null : findHeads(lines, name, new Set([i]))[0];
      if (!define && !head) continue;
      const config = stack.filter((s) => s.config);
      const guard = config.length ? config.map((s) => s.cond).join(' && ') : null;
      // The body: the macro's line, or the definition up to its closing brace (a declaration has none).
      let inBody = '';
      if (define) inBody = l.slice(define.index + define[0].length);
      else if (head!.kind === 'definition') {
        const body = lines.slice(head!.end, head!.end + 12);
        const end = body.findIndex((b) => /^\}/.test(b));
        inBody = (end < 0 ? body : body.slice(0, end + 1)).join('\n');
      }
      const tests = /\bMEMORY_DEVICE_\w+/.exec(inBody)?.[0] ?? null;
      const call = [...inBody.matchAll(HELPER_NAME)].map((m) => m[1]!).find((n) => n !== name && n !== 'is_zone_device_page' && n !== 'folio_is_zone_device') ?? null;
      out.push({ name, line: i + 1, guard: guard === null ? null : normaliseGuard(guard), negated: config.some((s) => s.negated), tests, calls: call });
    }
  }
  return out;
}
