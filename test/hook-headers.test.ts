import { describe, expect, it } from 'vitest';
import { parseAddress, parseHeaderBlock, recipientsFromHeaders } from '../src/hook/headers.js';

// What git 2.41+ writes into the second argument (gen_header in git-send-email.perl).
const HEADERS = [
  'From: Dev One <dev@example.invalid>',
  'To: linux-mm@kvack.org,',
  '\t"Morton, Andrew" <akpm@linux-foundation.org>',
  'Cc: Dan Williams <dan.j.williams@intel.com>,',
  '\tnvdimm@lists.linux.dev, LINUX-MM@kvack.org',
  'Subject: [PATCH 1/2] mm/memremap: x',
  'Date: Thu,  1 Jan 2026 00:00:00 +0000',
  'Message-ID: <20260101000000.1-1-dev@example.invalid>',
  'X-Mailer: git-send-email 2.43.0',
  'MIME-Version: 1.0',
  '',
  'To: not-a-header@example.invalid',
].join('\n');

describe('SMTP headers file', () => {
  it('unfolds headers and stops at the first empty line', () => {
    const h = parseHeaderBlock(HEADERS);
    expect(h.get('to')).toEqual(['linux-mm@kvack.org, "Morton, Andrew" <akpm@linux-foundation.org>']);
    expect(h.get('x-mailer')).toEqual(['git-send-email 2.43.0']);
  });

  it('lists To then Cc recipients, quoted commas respected, duplicates dropped', () => {
    expect(recipientsFromHeaders(HEADERS)).toEqual([
      { name: '', address: 'linux-mm@kvack.org' },
      { name: 'Morton, Andrew', address: 'akpm@linux-foundation.org' },
      { name: 'Dan Williams', address: 'dan.j.williams@intel.com' },
      { name: '', address: 'nvdimm@lists.linux.dev' },
    ]);
  });

  it('reads the address forms mail uses', () => {
    expect(parseAddress('a@b.c (Some One)')).toEqual({ name: 'Some One', address: 'a@b.c' });
    expect(parseAddress('"Q \\"x\\"" <q@x.y>')).toEqual({ name: 'Q "x"', address: 'q@x.y' });
    expect(parseAddress('undisclosed-recipients:;')).toBeNull();
  });

  it('handles CRLF and a file with no recipients', () => {
    expect(recipientsFromHeaders('Subject: x\r\nTo: a@b.c\r\n')).toEqual([{ name: '', address: 'a@b.c' }]);
    expect(recipientsFromHeaders('Subject: x\n')).toEqual([]);
  });
});
