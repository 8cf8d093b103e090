// The header block of a message: split from the body, unfolded, RFC 2047 decoded.
// Decoding of encoded words and addresses is postal-mime's; this file only finds the lines.
import { addressParser, decodeWords } from 'postal-mime';
import type { Person } from '../types.js';

export interface RawHeader {
  /** lower-cased */
  key: string;
  /** unfolded, not yet RFC 2047 decoded */
  value: string;
}

export interface HeaderSplit {
  headers: RawHeader[];
  /** byte offset where the body starts */
  bodyStart: number;
}

const HEADER_LINE = /^([!-9;-~]+)[ \t]*:[ \t]*(.*)$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('windows-1252');

/** Bytes to text: UTF-8 when valid, else Windows-1252 (the usual undeclared 8-bit charset). */
export function decodeBytes(buf: Uint8Array): string {
  try {
    return utf8.decode(buf);
  } catch {
    // not UTF-8: 8-bit mail without a charset is Latin-1 or Windows-1252 in practice
    return fixC1(latin1.decode(buf));
  }
}

// Windows-1252's printable characters at 0x80-0x9f (the five undefined bytes stay as they are).
const CP1252 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node 20's TextDecoder decodes windows-1252 (and the latin1 labels WHATWG maps to it) as
 * plain ISO-8859-1, leaving C1 control characters where the text had quotes, dashes and the
 * euro sign. Text never carries C1 controls on purpose, so map them the way 1252 means them.
 */
export function fixC1(text: string): string {
  return /[\u0080-\u009f]/.test(text) ? text.replace(/[\u0080-\u009f]/g, (c) => CP1252[c.charCodeAt(0) - 0x80]!) : text;
}

/**
 * Raw 8-bit header lines (RFC 6532 UTF-8, or a mailer's undeclared Latin-1) decoded line by line:
 * one Latin-1 name must not turn a UTF-8 subject in the same header block into mojibake.
 */
function decodeHeaderBlock(block: Buffer): string {
  try {
    return utf8.decode(block);
  } catch {
    const lines: string[] = [];
    let from = 0;
    while (from <= block.length) {
      const nl = block.indexOf(0x0a, from);
      const end = nl < 0 ? block.length : nl + 1;
      lines.push(decodeBytes(block.subarray(from, end)));
      if (nl < 0) break;
      from = end;
    }
    return lines.join('');
  }
}

/** End of the header block: the first empty line (LF or CRLF), or -1. */
function headerEnd(raw: Buffer): { end: number; bodyStart: number } {
  if (raw[0] === 0x0a) return { end: 0, bodyStart: 1 };
  if (raw[0] === 0x0d && raw[1] === 0x0a) return { end: 0, bodyStart: 2 };
  let from = 0;
  for (;;) {
    const nl = raw.indexOf(0x0a, from);
    if (nl < 0) return { end: raw.length, bodyStart: raw.length };
    if (raw[nl + 1] === 0x0a) return { end: nl + 1, bodyStart: nl + 2 };
    if (raw[nl + 1] === 0x0d && raw[nl + 2] === 0x0a) return { end: nl + 1, bodyStart: nl + 3 };
    from = nl + 1;
  }
}

/**
 * Splits the header block off. A message whose first line is not a header (a bare
 * `git diff` saved to a file) has no headers and is all body.
 */
export function splitHeaders(raw: Buffer): HeaderSplit {
  const firstNl = raw.indexOf(0x0a);
  const firstLine = raw
    .subarray(0, firstNl < 0 ? Math.min(raw.length, 1000) : Math.min(firstNl, 1000))
    .toString('latin1');
  if (!HEADER_LINE.test(firstLine.replace(/\r$/, ''))) return { headers: [], bodyStart: 0 };
  const { end, bodyStart } = headerEnd(raw);
  const text = decodeHeaderBlock(raw.subarray(0, end));
  const headers: RawHeader[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && headers.length) {
      const last = headers[headers.length - 1]!;
      last.value += ' ' + line.trim();
      continue;
    }
    const m = HEADER_LINE.exec(line);
    if (m) headers.push({ key: m[1]!.toLowerCase(), value: m[2]!.trim() });
  }
  return { headers, bodyStart };
}

export function first(headers: readonly RawHeader[], key: string): string | null {
  for (const h of headers) if (h.key === key) return h.value;
  return null;
}

export function decodeHeader(value: string): string {
  return value.includes('=?') ? fixC1(decodeWords(value)) : value;
}

export function parseAddresses(value: string | null): Person[] {
  if (!value) return [];
  const out: Person[] = [];
  for (const a of addressParser(value, { flatten: true })) {
    if (a.address !== undefined) out.push({ name: fixC1(a.name).trim(), address: a.address.trim() });
  }
  return out;
}

/** `<a@b> <c@d>` -> ['a@b', 'c@d']; a bare id without brackets is kept as is. */
export function parseMessageIds(value: string | null): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]+>/g);
  if (ids) return ids.map((id) => id.slice(1, -1));
  return value.split(/\s+/).filter((s) => s.includes('@'));
}
