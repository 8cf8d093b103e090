// A mail as a web archive's page copies it: no header block, but the subject on the first line
// (`[PATCH] mm/x: ...`, `[RFC PATCH v2 1/3] ...`), then `From: <name>` and `Date: ...` lines,
// then the body. Read only when the input does not start as mail does (splitHeaders found no
// header on the first line); its lines become the message's Subject, From and Date.
import { decodeBytes, type RawHeader } from './headers.js';

const SUBJECT_LINE = /^\[[^\]]*\bPATCH\b[^\]]*\]\s*\S/i;
const FIELD_LINE = /^(From|Date|Subject|To|Cc):[ \t]*(.*)$/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ZONES: Record<string, string> = {
  UT: '+0000',
  UTC: '+0000',
  GMT: '+0000',
  EST: '-0500',
  EDT: '-0400',
  CST: '-0600',
  CDT: '-0500',
  MST: '-0700',
  MDT: '-0600',
  PST: '-0800',
  PDT: '-0700',
};
// The archive's own date format: `Thu Jun 01 2017 - 11:25:59 EST`
const ARCHIVE_DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d\d?) (\d{4}) - (\d\d?:\d\d(?::\d\d)?) ([A-Z]{2,4})$/;

/** `Thu Jun 01 2017 - 11:25:59 EST` -> `Thu, 01 Jun 2017 11:25:59 -0500`; anything else as it is. */
export function mailDate(value: string): string {
  const m = ARCHIVE_DATE.exec(value.trim());
  if (!m || !MONTHS.includes(m[2]!) || !(m[6]! in ZONES)) return value;
  return `${m[1]}, ${m[3]!.padStart(2, '0')} ${m[2]} ${m[4]} ${m[5]} ${ZONES[m[6]!]}`;
}

export interface WebCopyHead {
  headers: RawHeader[];
  /** byte offset where the body starts */
  bodyStart: number;
}

/** The subject line and the From:/Date: lines after it, or null when the text does not start so. */
export function webCopyHeaders(raw: Buffer): WebCopyHead | null {
  let at = 0;
  const lines: Array<{ text: string; next: number }> = [];
  // the subject, the field lines and one line after them are all that is looked at
  while (at < raw.length && lines.length < 12) {
    const nl = raw.indexOf(0x0a, at);
    const end = nl < 0 ? raw.length : nl;
    if (end - at > 2000) break;
    lines.push({ text: decodeBytes(raw.subarray(at, end)).replace(/\r$/, ''), next: nl < 0 ? raw.length : nl + 1 });
    at = nl < 0 ? raw.length : nl + 1;
  }
  let k = 0;
  while (k < lines.length && lines[k]!.text.trim() === '') k++;
  const subject = lines[k]?.text.trim();
  if (subject === undefined || !SUBJECT_LINE.test(subject)) return null;
  const headers: RawHeader[] = [{ key: 'subject', value: subject }];
  let bodyStart = lines[k]!.next;
  k++;
  // some archives put a blank line between the subject and the fields
  if (lines[k]?.text.trim() === '' && FIELD_LINE.test(lines[k + 1]?.text ?? '')) k++;
  for (; k < lines.length; k++) {
    const m = FIELD_LINE.exec(lines[k]!.text);
    if (!m) break;
    const key = m[1]!.toLowerCase();
    if (key === 'subject' || headers.some((h) => h.key === key)) break;
    headers.push({ key, value: key === 'date' ? mailDate(m[2]!.trim()) : m[2]!.trim() });
    bodyStart = lines[k]!.next;
  }
  if (!headers.some((h) => h.key === 'from')) return null;
  // a blank line after the fields belongs to them, as after a header block
  if (k < lines.length && lines[k]!.text.trim() === '') bodyStart = lines[k]!.next;
  return { headers, bodyStart };
}
