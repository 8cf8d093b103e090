// What compaction keeps of a message once its body is dropped (src/series/compact.ts).
import { describe, expect, it } from 'vitest';
import { bodyLineCount } from '../src/series/compact.js';
import type { MailMessage } from '../src/types.js';

const message = (body: string, bodyLines?: number) =>
  ({ body, ...(bodyLines !== undefined ? { bodyLines } : {}) }) as unknown as MailMessage;

describe('bodyLineCount', () => {
  it("counts a body's lines as splitting it at newlines does", () => {
    for (const body of ['', 'a', 'a\n', '\n', 'a\nb', 'a\nb\n\n', '\n\n\n'])
      expect(bodyLineCount(message(body))).toBe(body.split('\n').length);
  });

  it('keeps the count of a compacted message, whose body is gone', () => {
    expect(bodyLineCount(message('', 42))).toBe(42);
  });
});
