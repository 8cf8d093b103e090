// Splits a byte stream into raw messages at mbox `From ` separator lines, incrementally:
// memory holds one message at a time, never the whole file.
//
// A separator must look like a real From_ line (sender, then a date with a time and a
// year), the way git mailsplit decides: format-patch output does not quote a commit
// message line that happens to start with "From ", so "From the spec ..." must not split.

export interface RawMessage {
  data: Buffer;
  /** 0-based position in the input. */
  index: number;
  /** 1-based line of its first line (the From_ line when there is one). */
  line: number;
  /** The 40-hex sha of a `git format-patch` From_ line, else null. */
  commit: string | null;
}

const FROM_LINE =
  /^From \S+ +(?:\S+ +)?(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w* +\w+ +\d+ +\d\d?:\d\d(?::\d\d)?\s.*\d{4}\s*$|^From \S+ +.*\d\d?:\d\d(?::\d\d)? +\d{4}\s*$/;
const GIT_FROM_LINE = /^From ([0-9a-f]{40}) Mon Sep 17 00:00:00 2001\s*$/;
// b4's am-ready mbox (`b4 am`, `b4 shazam`) writes messages the way git am reads them: this
// separator, and body lines starting with "From " or ">From " left exactly as they were.
const UNQUOTED_FROM_LINE = /^From git@z /;
const F = 0x46,
  R = 0x72,
  O = 0x6f,
  M = 0x6d,
  SP = 0x20,
  GT = 0x3e,
  LF = 0x0a;

export function isFromLine(line: string): boolean {
  return GIT_FROM_LINE.test(line) || FROM_LINE.test(line);
}

function startsWithFrom(buf: Buffer, at: number): boolean {
  return buf[at] === F && buf[at + 1] === R && buf[at + 2] === O && buf[at + 3] === M && buf[at + 4] === SP;
}

/** `>From `, `>>From ` ...: mboxo/mboxrd quoting of a body line that started with "From ". */
function isQuotedFrom(buf: Buffer, at: number): boolean {
  let i = at;
  while (buf[i] === GT) i++;
  return i > at && startsWithFrom(buf, i);
}

export interface SplitOptions {
  /**
   * Undo >From quoting (mbox files, mboxrd: one `>` off `>+From `); off for git format-patch
   * output, which does not quote. A `From git@z` separator (b4) turns it off for its message.
   */
  unquote: boolean;
}

export class MboxSplitter {
  private lineNo = 0;
  private tail: Buffer[] = [];
  private current: Buffer[] = [];
  /** Where the current message's bytes not yet in `current` start, in the buffer being read. */
  private spanStart = 0;
  private currentLine = 1;
  private currentCommit: string | null = null;
  private index = 0;
  private sawSeparator = false;
  /** Whether the current message's body is >From-quoted (decided by its separator). */
  private quoted: boolean;

  constructor(private readonly options: SplitOptions) {
    this.quoted = options.unquote;
  }

  /**
   * Feed a chunk; returns the messages it completed. Lines are found by offset: a message is cut
   * out of the chunk in as few pieces as its separators and quoted lines allow, not line by line.
   */
  push(chunk: Buffer): RawMessage[] {
    const out: RawMessage[] = [];
    let start = 0;
    if (this.tail.length) {
      // The line the last chunk ended in.
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.tail.push(chunk);
        return out;
      }
      this.tail.push(chunk.subarray(0, nl + 1));
      const line = Buffer.concat(this.tail);
      this.tail = [];
      this.spanStart = 0;
      this.takeLine(line, 0, line.length, out);
      this.closeSpan(line, line.length);
      start = nl + 1;
    }
    this.spanStart = start;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl < 0) break;
      this.takeLine(chunk, start, nl + 1, out);
      start = nl + 1;
    }
    this.closeSpan(chunk, start);
    if (start < chunk.length) this.tail.push(chunk.subarray(start));
    return out;
  }

  /** End of input: returns the last message, if any. */
  end(): RawMessage[] {
    const out: RawMessage[] = [];
    if (this.tail.length) {
      const line = Buffer.concat(this.tail);
      this.tail = [];
      this.spanStart = 0;
      this.takeLine(line, 0, line.length, out);
      this.closeSpan(line, line.length);
    }
    this.flush(out);
    return out;
  }

  /** The line buf[from, to): a separator ends the message; any other line joins it. */
  private takeLine(buf: Buffer, from: number, to: number, out: RawMessage[]): void {
    this.lineNo++;
    if (startsWithFrom(buf, from) && to - from < 400) {
      const text = buf.toString('latin1', from, to).replace(/\r?\n$/, '');
      if (isFromLine(text)) {
        this.closeSpan(buf, from);
        this.flush(out);
        this.spanStart = to;
        this.sawSeparator = true;
        this.currentLine = this.lineNo;
        this.currentCommit = GIT_FROM_LINE.exec(text)?.[1] ?? null;
        this.quoted = this.options.unquote && !UNQUOTED_FROM_LINE.test(text);
        return;
      }
    }
    if (this.current.length === 0 && this.spanStart === from && !this.sawSeparator) this.currentLine = this.lineNo;
    if (this.quoted && this.sawSeparator && buf[from] === GT && isQuotedFrom(buf, from)) {
      // One `>` off: the message goes on from the byte after it.
      this.closeSpan(buf, from);
      this.spanStart = from + 1;
    }
  }

  /** The current message's bytes of buf from spanStart up to `to`, kept. */
  private closeSpan(buf: Buffer, to: number): void {
    if (to > this.spanStart) this.current.push(buf.subarray(this.spanStart, to));
    this.spanStart = to;
  }

  private flush(out: RawMessage[]): void {
    const parts = this.current;
    this.current = [];
    // Text before the first separator (or between two) that is only blank is no message.
    if (parts.length === 0 || parts.every(isBlank)) {
      this.currentCommit = null;
      return;
    }
    out.push({ data: Buffer.concat(parts), index: this.index++, line: this.currentLine, commit: this.currentCommit });
    this.currentCommit = null;
  }
}

function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c !== SP && c !== 0x09 && c !== 0x0d && c !== LF) return false;
  }
  return true;
}

/** Splits a whole buffer (tests, small inputs). */
export function splitMbox(data: Buffer, options: SplitOptions = { unquote: true }): RawMessage[] {
  const s = new MboxSplitter(options);
  return [...s.push(data), ...s.end()];
}
