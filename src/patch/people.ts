// Comparing people across From: and trailers: addresses case-insensitively, names after
// Unicode normalization (an NFD "é" from one mailer equals an NFC one from another) and without
// their parenthesised parts, which RFC 5322 makes comments and checkpatch compares without: an
// address parser drops `(C)` from a From: line that a trailer keeps, and the two must agree.
import type { Patch, Person, Trailer } from '../types.js';

export function sameAddress(a: Person, b: Person): boolean {
  return a.address.trim().toLowerCase() === b.address.trim().toLowerCase();
}

export function normalName(name: string): string {
  return name.normalize('NFC').replace(/^"|"$/g, '').replace(/\([^()]*\)/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

export function sameName(a: Person, b: Person): boolean {
  const x = normalName(a.name);
  return x !== '' && x === normalName(b.name);
}

export function signoffs(patch: Patch): Person[] {
  return patch.trailers
    .filter((t: Trailer) => t.key.toLowerCase() === 'signed-off-by' && t.person !== null)
    .map((t) => t.person!);
}

export function describePerson(p: Person): string {
  return p.name ? `${p.name} <${p.address}>` : `<${p.address}>`;
}
