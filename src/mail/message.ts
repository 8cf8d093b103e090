// One raw message -> MailMessage (or UnreadableMessage, with the reason).
// Plain format-patch mail (no MIME structure, 7/8-bit, UTF-8 or ASCII) is read directly:
// there is nothing to decode and postal-mime costs about 1 ms a message. Everything else
// (multipart, quoted-printable, base64, other charsets) goes through postal-mime.
import PostalMime from 'postal-mime';
import type { MailMessage, MessageOrigin, UnreadableMessage } from '../types.js';
import { decodeBytes, decodeHeader, fixC1, first, parseAddresses, parseMessageIds, splitHeaders, type RawHeader } from './headers.js';

export interface ParseOptions {
  /** The git commit of the message (From_ line of format-patch output). */
  commit?: string | null;
}

const PATCH_FILE = /\.(patch|diff)$/i;
const DIFF_START = /^(diff --git |diff -\S|Index: |--- \S)/m;

export function isUnreadable(m: MailMessage | UnreadableMessage): m is UnreadableMessage {
  return 'reason' in m;
}

export async function parseMessage(raw: Buffer, origin: MessageOrigin, options: ParseOptions = {}): Promise<MailMessage | UnreadableMessage> {
  const { headers, bodyStart } = splitHeaders(raw);
  const label = labelOf(headers, raw);
  if (headers.length === 0 && !DIFF_START.test(raw.subarray(0, 64 * 1024).toString('latin1'))) {
    return { origin, label, reason: 'neither mail headers nor a diff' };
  }
  let body: string;
  try {
    body = isPlainText(headers) ? decodeBytes(raw.subarray(bodyStart)) : await decodeMime(raw);
  } catch (err) {
    return { origin, label, reason: `MIME structure could not be decoded (${err instanceof Error ? err.message : String(err)})` };
  }
  body = body.replace(/\r\n?/g, '\n');
  const damage = binaryDamage(body);
  if (damage) return { origin, label, reason: damage };
  return buildMessage(origin, headers, body, options.commit ?? null);
}

/** Nothing to decode: no MIME structure, identity transfer encoding, UTF-8 or ASCII. */
function isPlainText(headers: readonly RawHeader[]): boolean {
  const cte = (first(headers, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  if (cte !== '7bit' && cte !== '8bit' && cte !== 'binary') return false;
  const ct = first(headers, 'content-type');
  if (ct === null) return true;
  const m = /^\s*([^;\s]+)\s*(?:;(.*))?$/.exec(ct);
  if (!m || m[1]!.toLowerCase() !== 'text/plain') return false;
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(m[2] ?? '')?.[1]?.toLowerCase() ?? 'us-ascii';
  return charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii';
}

async function decodeMime(raw: Buffer): Promise<string> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const parts: string[] = [];
  if (email.text !== undefined) parts.push(email.text);
  for (const a of email.attachments) {
    const isText = a.mimeType.startsWith('text/') || (a.filename !== null && PATCH_FILE.test(a.filename));
    if (!isText || typeof a.content === 'string') continue;
    // postal-mime hands attachments over as bytes without their charset; patches are UTF-8
    // in practice, and decodeBytes falls back to Windows-1252 when they are not.
    const bytes = a.content instanceof Uint8Array ? a.content : new Uint8Array(a.content);
    parts.push(decodeBytes(bytes));
  }
  // Each part ends its own last line; joining with bare newlines would glue or double them.
  return fixC1(parts.map((p) => (p === '' || p.endsWith('\n') ? p : p + '\n')).join(''));
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
  if (bad >= 8 && bad > body.length / 50) return `body decodes to binary data (${bad} control or replacement characters; corrupt base64 or wrong charset?)`;
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
  const all = (key: string) => raw.filter((h) => h.key === key).map((h) => h.value).join(', ') || null;
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
