// Is this text UTF-8 that someone decoded as Latin-1 / Windows-1252?
// Two shapes occur: the whole sequence survives ("JÃ©rÃ´me": every UTF-8 byte became one
// character), or the continuation bytes were dropped on the way ("JÃrÃme", the 2017
// device-public-memory mail). A real name never has a lead-byte letter (Ã, Â, Å ...)
// directly followed by a continuation-byte character, and an upper-case Ã/Â directly
// followed by a lower-case ASCII letter does not occur in any language's names.

/** Windows-1252's characters for the bytes 0x80-0x9f, which UTF-8 uses as continuation bytes. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function isContinuationChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (c >= 0x80 && c <= 0xbf) || CP1252_HIGH.includes(ch);
}

/** U+00C2..U+00F4: what a UTF-8 lead byte of a 2-4 byte sequence looks like in Latin-1. */
function isLeadChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c >= 0xc2 && c <= 0xf4;
}

export interface Garbling {
  /** the suspicious piece, e.g. `Ã©` */
  sample: string;
  kind: 'mis-decoded UTF-8' | 'replacement character' | 'control character';
}

export function findGarbling(text: string): Garbling | null {
  const fffd = text.indexOf('\ufffd');
  if (fffd >= 0) return { sample: text.slice(Math.max(0, fffd - 3), fffd + 4), kind: 'replacement character' };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const c = ch.charCodeAt(0);
    if (c >= 0x80 && c <= 0x9f && !isLeadChar(text[i - 1] ?? '')) return { sample: text.slice(Math.max(0, i - 3), i + 3), kind: 'control character' };
    if (!isLeadChar(ch)) continue;
    const next = text[i + 1] ?? '';
    const dropped = (c === 0xc3 || c === 0xc2) && /[a-z]/.test(next);
    if ((next && isContinuationChar(next)) || dropped) return { sample: text.slice(i, i + 2), kind: 'mis-decoded UTF-8' };
  }
  return null;
}
