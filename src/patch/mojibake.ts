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
    if (c >= 0x80 && c <= 0x9f && !isLeadChar(text[i - 1] ?? ''))
      return { sample: text.slice(Math.max(0, i - 3), i + 3), kind: 'control character' };
    if (!isLeadChar(ch)) continue;
    const next = text[i + 1] ?? '';
    const dropped = (c === 0xc3 || c === 0xc2) && /[a-z]/.test(next);
    if ((next && isContinuationChar(next)) || dropped)
      return { sample: text.slice(i, i + 2), kind: 'mis-decoded UTF-8' };
  }
  return null;
}

// ---- A name damaged on the way, compared with the name it was --------------------------------
// Archives damage names in the body of a mail while the RFC 2047 From: header keeps them: UTF-8
// read as Latin-1 ("JÃ©rÃ´me"), sometimes with the continuation bytes lost ("JÃrÃme"), and then
// made ASCII by iconv's transliteration ("JA(C)rA'me"). Each shape follows from the right name,
// so a name can be recognised as a damaged copy of another, not a different name.

/**
 * What glibc's `iconv -t ASCII//TRANSLIT` (glibc 2.36, C.UTF-8) writes for each character of
 * Latin-1's upper half and Windows-1252's 0x80-0x9f; a character missing here becomes `?`.
 */
const TRANSLIT: Record<string, string> = {
  '\u00a0': ' ',
  '¡': '!',
  '¢': 'c',
  '£': 'GBP',
  '¤': '?',
  '¥': 'JPY',
  '¦': '|',
  '§': '?',
  '¨': '?',
  '©': '(C)',
  ª: 'a',
  '«': '<<',
  '¬': '!',
  '\u00ad': '-',
  '®': '(R)',
  '¯': '?',
  '°': '?',
  '±': '+-',
  '²': '2',
  '³': '3',
  '´': "'",
  µ: 'u',
  '¶': '?',
  '·': '.',
  '¸': ',',
  '¹': '1',
  º: 'o',
  '»': '>>',
  '¼': ' 1/4 ',
  '½': ' 1/2 ',
  '¾': ' 3/4 ',
  '¿': '?',
  À: 'A',
  Á: 'A',
  Â: 'A',
  Ã: 'A',
  Ä: 'A',
  Å: 'A',
  Æ: 'AE',
  Ç: 'C',
  È: 'E',
  É: 'E',
  Ê: 'E',
  Ë: 'E',
  Ì: 'I',
  Í: 'I',
  Î: 'I',
  Ï: 'I',
  Ð: 'D',
  Ñ: 'N',
  Ò: 'O',
  Ó: 'O',
  Ô: 'O',
  Õ: 'O',
  Ö: 'O',
  '×': 'x',
  Ø: 'O',
  Ù: 'U',
  Ú: 'U',
  Û: 'U',
  Ü: 'U',
  Ý: 'Y',
  Þ: 'TH',
  ß: 'ss',
  à: 'a',
  á: 'a',
  â: 'a',
  ã: 'a',
  ä: 'a',
  å: 'a',
  æ: 'ae',
  ç: 'c',
  è: 'e',
  é: 'e',
  ê: 'e',
  ë: 'e',
  ì: 'i',
  í: 'i',
  î: 'i',
  ï: 'i',
  ð: 'd',
  ñ: 'n',
  ò: 'o',
  ó: 'o',
  ô: 'o',
  õ: 'o',
  ö: 'o',
  '÷': '/',
  ø: 'o',
  ù: 'u',
  ú: 'u',
  û: 'u',
  ü: 'u',
  ý: 'y',
  þ: 'th',
  ÿ: 'y',
  '€': 'EUR',
  '‚': ',',
  ƒ: 'f',
  '„': ',,',
  '…': '...',
  '†': '+',
  '‡': '?',
  ˆ: '^',
  '‰': '?',
  Š: 'S',
  '‹': '<',
  Œ: 'OE',
  Ž: 'Z',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '•': 'o',
  '–': '-',
  '—': '--',
  '˜': '~',
  '™': '(TM)',
  š: 's',
  '›': '>',
  œ: 'oe',
  ž: 'z',
  Ÿ: 'Y',
};

/** The text's UTF-8 bytes read as Windows-1252 (Latin-1 where 1252 leaves a byte undefined). */
function utf8AsLatin1(text: string): string {
  let out = '';
  for (const b of Buffer.from(text, 'utf8'))
    out += b >= 0x80 && b <= 0x9f && CP1252_HIGH[b - 0x80] ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  return out;
}

function transliterated(text: string): string {
  let out = '';
  for (const ch of text) out += ch.charCodeAt(0) < 0x80 ? ch : (TRANSLIT[ch] ?? '?');
  return out;
}

/** Every damaged copy of `name` an archive is known to make; empty for a plain-ASCII name. */
export function garbledFormsOf(name: string): string[] {
  if (!/[^\x00-\x7f]/.test(name)) return [];
  const misread = utf8AsLatin1(name);
  let dropped = '';
  for (let i = 0; i < misread.length; i++) {
    if (i > 0 && isLeadChar(misread[i - 1]!) && isContinuationChar(misread[i]!)) continue;
    dropped += misread[i]!;
  }
  return [...new Set([misread, dropped, transliterated(misread), transliterated(dropped)])].filter((f) => f !== name);
}

/** Where `damaged` is a garbled copy of `original`: the part that differs, as a Garbling; else null. */
export function garblingOf(damaged: string, original: string): Garbling | null {
  if (!garbledFormsOf(original).includes(damaged)) return null;
  let start = 0;
  while (start < damaged.length && damaged[start] === original[start]) start++;
  let end = 0;
  while (end < damaged.length - start && damaged[damaged.length - 1 - end] === original[original.length - 1 - end])
    end++;
  return { sample: damaged.slice(start, damaged.length - end), kind: 'mis-decoded UTF-8' };
}
