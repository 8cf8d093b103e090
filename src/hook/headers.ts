// The SMTP headers file git 2.41+ hands the hook as its second argument: the headers git
// is about to send (To/Cc folded over lines, as git writes them). Only the recipients matter here.
import type { Person } from '../types.js';

/** Header name (lower case) -> unfolded values, in order. */
export function parseHeaderBlock(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let current: { name: string; value: string } | null = null;
  const flush = (): void => {
    if (!current) return;
    const list = out.get(current.name) ?? [];
    list.push(current.value.trim());
    out.set(current.name, list);
    current = null;
  };
  for (const line of lines) {
    if (line === '') {
      // The first empty line ends the headers; anything after is not ours to read.
      break;
    }
    if (/^[ \t]/.test(line) && current) {
      current.value += ' ' + line.trim();
      continue;
    }
    flush();
    const m = /^([!-9;-~]+):[ \t]*(.*)$/.exec(line);
    if (m) current = { name: m[1]!.toLowerCase(), value: m[2]! };
  }
  flush();
  return out;
}

/** Splits an address list at commas outside quotes, comments and angle brackets. */
function splitAddressList(value: string): string[] {
  const parts: string[] = [];
  let buf = '';
  let quoted = false;
  let depthAngle = 0;
  let depthParen = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < value.length) {
        buf += c + value[++i];
        continue;
      }
      if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') depthAngle++;
    else if (c === '>') depthAngle = Math.max(0, depthAngle - 1);
    else if (c === '(') depthParen++;
    else if (c === ')') depthParen = Math.max(0, depthParen - 1);
    else if (c === ',' && depthAngle === 0 && depthParen === 0) {
      parts.push(buf);
      buf = '';
      continue;
    }
    buf += c;
  }
  parts.push(buf);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export function parseAddress(text: string): Person | null {
  const angle = /^(.*?)<([^<>]+)>\s*$/.exec(text);
  if (angle) {
    let name = angle[1]!.trim();
    if (name.startsWith('"') && name.endsWith('"') && name.length >= 2)
      name = name.slice(1, -1).replace(/\\(.)/g, '$1');
    return { name, address: angle[2]!.trim() };
  }
  // `addr (Comment Name)` or a bare address.
  const bare = /^([^\s()<>]+@[^\s()<>]+)\s*(?:\((.*)\))?$/.exec(text.trim());
  if (bare) return { name: (bare[2] ?? '').trim(), address: bare[1]! };
  return null;
}

/** To and Cc recipients from a headers file, To first, duplicates (by address, case-insensitive) dropped. */
export function recipientsFromHeaders(text: string): Person[] {
  const headers = parseHeaderBlock(text);
  const seen = new Set<string>();
  const out: Person[] = [];
  for (const name of ['to', 'cc']) {
    for (const value of headers.get(name) ?? []) {
      for (const part of splitAddressList(value)) {
        const p = parseAddress(part);
        if (!p || seen.has(p.address.toLowerCase())) continue;
        seen.add(p.address.toLowerCase());
        out.push(p);
      }
    }
  }
  return out;
}
