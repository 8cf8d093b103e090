// The C of a base tree's headers, read through src/syntax: enum memory_type, and the
// is_*_page / folio_is_* helpers with the CONFIG_ conditions of the #if groups around them.
import {
  calleesIn,
  enumBodies,
  enumeratorValues,
  functionHeads,
  identifiersIn,
  parseCImage,
  wholeText,
  type Branch,
  type CFile,
} from '../../syntax/index.js';
import type { TreeEnumMember } from './types.js';

export const MEMREMAP_H = 'include/linux/memremap.h';

/** The members of `enum memory_type` in a parsed header, or null when the header has no such enum. */
export function memoryTypeEnum(file: CFile): TreeEnumMember[] | null {
  const body = enumBodies(file).find((b) => b.name === 'memory_type');
  if (!body?.complete) return null;
  const values = enumeratorValues(body);
  return body.enumerators.map((e, k) => ({
    name: e.name,
    value: values[k]!,
    line: file.lineClamped(body.unit, e.node) + 1,
  }));
}

/** The members of `enum memory_type` in a memremap.h text, or null when the enum is absent. */
export function extractMemoryTypeEnum(text: string): TreeEnumMember[] | null {
  return memoryTypeEnum(parseCImage(wholeText(MEMREMAP_H, text)));
}

export interface HelperOccurrence {
  name: string;
  /** 1-based line of its name. */
  line: number;
  guard: string | null;
  /** In a #else branch or under #ifndef / #if ! of a CONFIG_ (a stub). */
  negated: boolean;
  tests: string | null;
  calls: string | null;
}

const HELPER = /^(?:is_\w+_page|folio_is_\w+)$/;
const MEMORY_TYPE = /^MEMORY_DEVICE_\w+$/;
/** Every device page is a zone-device page: calling these says nothing about which type a helper tests. */
const ZONE_DEVICE_HELPERS = new Set(['is_zone_device_page', 'folio_is_zone_device']);

/** `defined(CONFIG_X)`, `IS_ENABLED(CONFIG_X)` -> `CONFIG_X`; spaces collapsed. */
export function normaliseGuard(expr: string): string {
  return expr
    .replace(/\b(?:defined|IS_ENABLED|IS_BUILTIN)\s*\(\s*(\w+)\s*\)/g, '$1')
    .replace(/\bdefined\s+(\w+)/g, '$1')
    .replace(/\s+/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .trim();
}

/**
 * Declarations and definitions of helpers in a parsed header, each with the CONFIG_ conditions of
 * the #if arms around it and what its body tests and calls. `only`: the names to take (null: any
 * is_*_page / folio_is_*).
 */
export function helpersIn(file: CFile, only: ReadonlySet<string> | null): HelperOccurrence[] {
  const want = (name: string) => HELPER.test(name) && (only === null || only.has(name));
  return functionHeads(file, want).map((head) => {
    const line = file.lineClamped(head.unit, head.node);
    const config = file.branches
      .at(line)
      .map(armGuard)
      .filter((a) => a.config);
    const body = head.body;
    return {
      name: head.name,
      line: line + 1,
      guard: config.length ? normaliseGuard(config.map((a) => a.cond).join(' && ')) : null,
      negated: config.some((a) => a.negated),
      tests: (body && identifiersIn(body).find((n) => MEMORY_TYPE.test(n))) ?? null,
      calls:
        (body && calleesIn(body).find((n) => HELPER.test(n) && n !== head.name && !ZONE_DEVICE_HELPERS.has(n))) ?? null,
    };
  });
}

/** helpersIn of a header's text. */
export function helperOccurrences(text: string, only: ReadonlySet<string> | null): HelperOccurrence[] {
  return helpersIn(parseCImage(wholeText('header.h', text)), only);
}

/**
 * The condition under which an arm holds, as a guard reads: `#else` is the negation of the arm
 * before it (not of all of them), and an arm is negated when it is an `#else` of a positive arm,
 * or an `#if !`/`#ifndef`. `config`: the group tests a CONFIG_ symbol in some arm up to this one.
 */
function armGuard(b: Branch): { cond: string; negated: boolean; config: boolean } {
  const config = [...b.prior, b.condition].some((c) => c !== null && /\bCONFIG_/.test(c));
  if (b.directive === 'else') {
    const before = normaliseGuard(b.prior[b.prior.length - 1] ?? '');
    return { cond: `!(${before})`, negated: b.prior.length > 1 || !startsNegated(before), config };
  }
  const cond = normaliseGuard(b.condition ?? '');
  return { cond, negated: b.arm === 0 && startsNegated(cond), config };
}

const startsNegated = (cond: string) => /^!\s*[\w(]/.test(cond);
