// Comparing people across From: and trailers: addresses case-insensitively, names after
// Unicode normalization (an NFD "é" from one mailer equals an NFC one from another) and without
// their parenthesised parts, which RFC 5322 makes comments and checkpatch compares without: an
// address parser drops `(C)` from a From: line that a trailer keeps, and the two must agree.
import type { Patch, Person, Trailer } from '../types.js';
import { garbledFormsOf } from './mojibake.js';

export function sameAddress(a: Person, b: Person): boolean {
  return a.address.trim().toLowerCase() === b.address.trim().toLowerCase();
}

export function normalName(name: string): string {
  return name
    .normalize('NFC')
    .replace(/^"|"$/g, '')
    .replace(/\([^()]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function sameName(a: Person, b: Person): boolean {
  const x = normalName(a.name);
  return x !== '' && x === normalName(b.name);
}

/** One name is a copy of the other damaged in transit (UTF-8 read as Latin-1, perhaps made ASCII). */
export function garbledName(a: Person, b: Person): boolean {
  const is = (damaged: string, right: string) => {
    const d = normalName(damaged);
    return d !== '' && garbledFormsOf(right.normalize('NFC')).some((f) => normalName(f) === d);
  };
  return is(a.name, b.name) || is(b.name, a.name);
}

/** The same name, or the same name garbled on the way. */
export function sameNameInTransit(a: Person, b: Person): boolean {
  return sameName(a, b) || garbledName(a, b);
}

export function signoffs(patch: Patch): Person[] {
  return patch.trailers.flatMap((t: Trailer) =>
    t.key.toLowerCase() === 'signed-off-by' && t.person !== null ? [t.person] : [],
  );
}

export function describePerson(p: Person): string {
  return p.name ? `${p.name} <${p.address}>` : `<${p.address}>`;
}
