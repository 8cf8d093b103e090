// One raw message -> MailMessage (or UnreadableMessage, with the reason).
// Plain format-patch mail (no MIME structure, 7/8-bit, UTF-8 or ASCII) is read directly:
// there is nothing to decode, and postal-mime's cost per message adds up over an archive.
// Everything else (multipart, quoted-printable, base64, other charsets) goes through postal-mime.
import PostalMime from 'postal-mime';
import type { MailMessage, MessageOrigin, UnreadableMessage } from '../types.js';
import {
  decodeBytes,
  decodeHeader,
  fixC1,
  first,
  parseAddresses,
  parseMessageIds,
  splitHeaders,
  type RawHeader,
} from './headers.js';
import { readHunk } from '../hunk.js';
import { webCopyHeaders } from './webcopy.js';

export interface ParseOptions {
  /** The git commit of the message (From_ line of format-patch output). */
  commit?: string | null;
}

const PATCH_FILE = /\.(patch|diff)$/i;
const DIFF_START = /^(diff --git |diff -\S|Index: |--- \S)/m;

export function isUnreadable(m: MailMessage | UnreadableMessage): m is UnreadableMessage {
  return 'reason' in m;
}

export async function parseMessage(
  raw: Buffer,
  origin: MessageOrigin,
  options: ParseOptions = {},
): Promise<MailMessage | UnreadableMessage> {
  let { headers, bodyStart } = splitHeaders(raw);
  // Not mail: a web archive's copy of one (subject line, then From:/Date: lines)?
  if (headers.length === 0) ({ headers, bodyStart } = webCopyHeaders(raw) ?? { headers, bodyStart });
  const label = labelOf(headers, raw);
  if (headers.length === 0 && !DIFF_START.test(raw.subarray(0, 64 * 1024).toString('latin1'))) {
    return { origin, label, reason: 'neither mail headers nor a diff' };
  }
  let body: string;
  try {
    if (declaresFlowed(raw)) body = await decodeFlowed(raw);
    else
      body = isPlainText(headers, raw.subarray(bodyStart))
        ? decodeBytes(raw.subarray(bodyStart))
        : await decodeMime(raw);
  } catch (err) {
    return {
      origin,
      label,
      reason: `MIME structure could not be decoded (${err instanceof Error ? err.message : String(err)})`,
    };
  }
  body = body.replace(/\r\n?/g, '\n');
  const damage = binaryDamage(body);
  if (damage) return { origin, label, reason: damage };
  return buildMessage(origin, headers, body, options.commit ?? null);
}

// Single-byte charsets a mailer may put on text that is really UTF-8.
const SINGLE_BYTE = /^(iso-8859-\d+|latin-?\d|windows-125\d|cp125\d)$/;
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** 8-bit text labelled Latin-1 or Windows-125x that is valid UTF-8 with non-ASCII in it is UTF-8. */
function isMislabelledUtf8(body: Buffer): boolean {
  let high = false;
  for (let i = 0; i < body.length; i++)
    if (body[i]! >= 0x80) {
      high = true;
      break;
    }
  if (!high) return false;
  try {
    utf8Strict.decode(body);
    return true;
  } catch {
    // not valid UTF-8: the label was right
    return false;
  }
}

/**
 * Nothing to decode: no MIME structure, identity transfer encoding, UTF-8 or ASCII — or a
 * single-byte label on text whose bytes are valid UTF-8 (real Latin-1 text with accented letters
 * is practically never valid UTF-8; a sender's charset default mislabelling a UTF-8 patch is common
 * enough, and read as Latin-1 it turns every name into mojibake).
 */
function isPlainText(headers: readonly RawHeader[], body: Buffer): boolean {
  const cte = (first(headers, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  if (cte !== '7bit' && cte !== '8bit' && cte !== 'binary') return false;
  const ct = first(headers, 'content-type');
  if (ct === null) return true;
  const m = /^\s*([^;\s]+)\s*(?:;(.*))?$/.exec(ct);
  if (!m || m[1]!.toLowerCase() !== 'text/plain') return false;
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(m[2] ?? '')?.[1]?.toLowerCase() ?? 'us-ascii';
  if (charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii') return true;
  return SINGLE_BYTE.test(charset) && isMislabelledUtf8(body);
}

// format=flowed (RFC 3676). A mailer that sends flowed text wraps long lines at a space (the
// space before the break marks it as soft), stuffs a space before lines starting with a space,
// `>` or "From ", and drops trailing spaces. git am undoes that (mailinfo un-flows), so the patch
// a maintainer applies is the un-flowed text, and that is what zdcheck reads, with one exception:
// some mailers label text flowed without encoding it, and un-flowing such a patch strips the
// leading space of every context line and glues lines with trailing whitespace to the next one.
// So both readings are taken, and the raw one is kept when it leaves fewer hunks broken
// (their line counts not met) than the un-flowed one. Trailing whitespace a flowed sender
// dropped is lost either way.
const FLOWED = /format\s*=\s*"?flowed"?/gi;
const CONTENT_TYPE_FIELD = /^Content-Type:[^\n]*(?:\n[ \t][^\n]*)*/gim;

function declaresFlowed(raw: Buffer): boolean {
  if (raw.indexOf('flowed') < 0) return false;
  const text = raw.toString('latin1');
  for (const m of text.matchAll(CONTENT_TYPE_FIELD)) if (/format\s*=\s*"?flowed/i.test(m[0])) return true;
  return false;
}

async function decodeFlowed(raw: Buffer): Promise<string> {
  const unflowed = await decodeMime(raw);
  const text = raw.toString('latin1').replace(CONTENT_TYPE_FIELD, (field) => field.replace(FLOWED, 'format=fixed'));
  const fixed = await decodeMime(Buffer.from(text, 'latin1'));
  if (fixed === unflowed) return unflowed;
  return brokenHunks(fixed) < brokenHunks(unflowed) ? fixed : unflowed;
}

const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

/** Hunks whose declared line counts the lines after them do not meet (read as diff.ts reads them). */
function brokenHunks(text: string): number {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let broken = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = HUNK_HEADER.exec(lines[i]!);
    if (!m) continue;
    const hunk = readHunk(lines, i + 1, m[1] === undefined ? 1 : Number(m[1]), m[2] === undefined ? 1 : Number(m[2]));
    if (hunk.left > 0) broken++;
    i = hunk.stop - 1;
  }
  return broken;
}

async function decodeMime(raw: Buffer): Promise<string> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const parts: string[] = [];
  if (email.text !== undefined) parts.push(email.text);
  for (const a of email.attachments) {
    if (typeof a.content === 'string') continue;
    const bytes = a.content instanceof Uint8Array ? a.content : new Uint8Array(a.content);
    // A patch attached as application/octet-stream (or x-patch) without a .patch name is
    // still a patch when it is text that holds a diff.
    const isText =
      a.mimeType.startsWith('text/') || (a.filename !== null && PATCH_FILE.test(a.filename)) || isDiffBytes(bytes);
    if (!isText) continue;
    // postal-mime hands attachments over as bytes without their charset; patches are UTF-8
    // in practice, and decodeBytes falls back to Windows-1252 when they are not.
    parts.push(decodeBytes(bytes));
  }
  // Each part ends its own last line; joining with bare newlines would glue or double them.
  return fixC1(parts.map((p) => (p === '' || p.endsWith('\n') ? p : p + '\n')).join(''));
}

/** Text (no NUL byte) with a diff in it. */
function isDiffBytes(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 64 * 1024));
  return !head.includes(0) && DIFF_START.test(head.toString('latin1'));
}

/**
 * A text part that decodes to control characters or replacement characters in bulk is
 * not text: typically a corrupt base64 part. A few stray ones are left to garbled-encoding.
 */
function binaryDamage(body: string): string | null {
  let bad = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f) bad++;
  }
  if (bad >= 8 && bad > body.length / 50)
    return `body decodes to binary data (${bad} control or replacement characters; corrupt base64 or wrong charset?)`;
  return null;
}

function buildMessage(origin: MessageOrigin, raw: RawHeader[], body: string, commit: string | null): MailMessage {
  const headers = new Map<string, string[]>();
  for (const h of raw) {
    const list = headers.get(h.key);
    const value = decodeHeader(h.value);
    if (list) list.push(value);
    else headers.set(h.key, [value]);
  }
  const all = (key: string) =>
    raw
      .filter((h) => h.key === key)
      .map((h) => h.value)
      .join(', ') || null;
  const subject = first(raw, 'subject');
  return {
    origin,
    from: parseAddresses(first(raw, 'from'))[0] ?? null,
    to: parseAddresses(all('to')),
    cc: parseAddresses(all('cc')),
    subject: subject === null ? '' : decodeHeader(subject).replace(/\s+/g, ' ').trim(),
    date: first(raw, 'date'),
    messageId: parseMessageIds(first(raw, 'message-id'))[0] ?? null,
    inReplyTo: parseMessageIds(first(raw, 'in-reply-to'))[0] ?? null,
    references: parseMessageIds(first(raw, 'references')),
    body,
    headers,
    commit,
  };
}

/** Message-ID, else the subject, else the first non-empty line: what lets a person find it. */
function labelOf(headers: readonly RawHeader[], raw: Buffer): string {
  const id = parseMessageIds(first(headers, 'message-id'))[0];
  if (id) return `<${id}>`;
  const subject = first(headers, 'subject');
  if (subject) return `Subject: ${decodeHeader(subject).slice(0, 100)}`;
  const head = raw.subarray(0, 4096).toString('latin1');
  const line = head.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return line.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}

/** Test and tooling helper: a message from text, origin `source#0`. */
export async function messageFromText(text: string, source = 'text', options: ParseOptions = {}): Promise<MailMessage> {
  const m = await parseMessage(Buffer.from(text, 'utf8'), { source, index: 0, line: 1 }, options);
  if (isUnreadable(m)) throw new Error(`unreadable message: ${m.reason}`);
  return m;
}
