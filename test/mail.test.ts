import { describe, expect, it } from 'vitest';
import { MboxSplitter, splitMbox, isFromLine } from '../src/mail/split.js';
import { parseMessage, isUnreadable, messageFromText } from '../src/mail/message.js';
import type { MailMessage } from '../src/types.js';

const origin = { source: 't', index: 0, line: 1 };
async function parse(text: string | Buffer): Promise<MailMessage> {
  const m = await parseMessage(typeof text === 'string' ? Buffer.from(text) : text, origin);
  if (isUnreadable(m)) throw new Error(m.reason);
  return m;
}

describe('mbox splitting', () => {
  const mbox = [
    'From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001',
    'From: A <a@x.org>',
    'Subject: one',
    '',
    'From the spec: not a separator.',
    '>From quoted',
    '>>From twice',
    '',
    'From someone@example.org Tue Mar  3 09:00:00 2026',
    'From: B <b@x.org>',
    'Subject: two',
    '',
    'body',
    '',
  ].join('\n');

  it('splits at real From_ lines only and unquotes >From', () => {
    const msgs = splitMbox(Buffer.from(mbox));
    expect(msgs.map((m) => [m.index, m.line, m.commit])).toEqual([
      [0, 1, '1111111111111111111111111111111111111111'],
      [1, 9, null],
    ]);
    const first = msgs[0]!.data.toString();
    expect(first).toContain('\nFrom the spec: not a separator.\nFrom quoted\n>From twice\n');
  });

  it('gives the same messages whatever the chunking', () => {
    // Also: blank lines before the first separator, CRLF, b4's unquoted separator, no final newline.
    const b4 = ['From git@z Thu Jan  1 00:00:00 1970', 'Subject: three', '', '>From left as is', 'end'].join('\n');
    for (const text of [mbox, `\n\n${mbox}`, mbox.replace(/\n/g, '\r\n'), `${mbox}${b4}`]) {
      const buf = Buffer.from(text);
      const whole = splitMbox(buf).map((m) => [m.index, m.line, m.commit, m.data.toString()]);
      for (const size of [1, 2, 7, 64]) {
        const s = new MboxSplitter({ unquote: true });
        const out = [];
        for (let i = 0; i < buf.length; i += size) out.push(...s.push(buf.subarray(i, i + size)));
        out.push(...s.end());
        expect(out.map((m) => [m.index, m.line, m.commit, m.data.toString()])).toEqual(whole);
      }
    }
    const last = splitMbox(Buffer.from(`${mbox}${b4}`)).at(-1)!;
    expect(last.line).toBe(14);
    expect(last.data.toString()).toBe('Subject: three\n\n>From left as is\nend');
    expect(splitMbox(Buffer.from(`\n\n${mbox}`))[0]!.line).toBe(3);
  });

  it('treats a file without From_ lines as one message', () => {
    expect(splitMbox(Buffer.from('From: a@b.c\nSubject: x\n\nbody\n'))).toHaveLength(1);
  });

  it('recognises From_ line shapes', () => {
    expect(isFromLine('From abc@def Thu Jun  1 11:25:59 2017')).toBe(true);
    expect(isFromLine('From mboxrd@z Thu Jan  1 00:00:00 1970')).toBe(true);
    expect(isFromLine('From: someone')).toBe(false);
    expect(isFromLine('From here on we do things differently')).toBe(false);
  });
});

describe('message decoding', () => {
  it('decodes RFC 2047 Q and B words in UTF-8 and ISO-8859-1', async () => {
    const m = await parse(
      'From: =?ISO-8859-1?Q?J=E9r=F4me_G?= <j@x.org>\nSubject: =?UTF-8?B?W1BBVENIXSDFgcOzZMW6?=\nTo: =?UTF-8?Q?M=C3=BCller?= <m@x.org>\n\nbody\n',
    );
    expect(m.from).toEqual({ name: 'Jérôme G', address: 'j@x.org' });
    expect(m.subject).toBe('[PATCH] Łódź');
    expect(m.to[0]!.name).toBe('Müller');
  });

  it('decodes quoted-printable, base64 and Latin-1 / Windows-1252 bodies', async () => {
    const qp = await parse(
      'Subject: q\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n+\tx =3D 1;=20\n+J=C3=A9r=C3=B4me\n',
    );
    expect(qp.body).toBe('+\tx = 1; \n+Jérôme\n');
    const b64 = await parse(
      `Subject: b\nContent-Transfer-Encoding: base64\nContent-Type: text/plain; charset=utf-8\n\n${Buffer.from('+line\n').toString('base64')}\n`,
    );
    expect(b64.body).toBe('+line\n');
    const latin = await parse(
      Buffer.concat([
        Buffer.from('Subject: l\nContent-Type: text/plain; charset=iso-8859-15\n\n'),
        Buffer.from([0x4a, 0xe9, 0xa4, 0x0a]),
      ]),
    );
    expect(latin.body).toBe('Jé€\n');
    const cp = await parse(
      Buffer.concat([
        Buffer.from('Subject: w\nContent-Type: text/plain; charset=windows-1252\n\n'),
        Buffer.from([0x93, 0x71, 0x94, 0x0a]),
      ]),
    );
    expect(cp.body).toBe('\u201cq\u201d\n');
  });

  it('reads a UTF-8 body labelled ISO-8859-1 as UTF-8, and real Latin-1 as Latin-1', async () => {
    const mislabelled = await parse(
      Buffer.concat([
        Buffer.from('Subject: x\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\n'),
        Buffer.from('Signed-off-by: Jérôme G <j@x>\n', 'utf8'),
      ]),
    );
    expect(mislabelled.body).toBe('Signed-off-by: Jérôme G <j@x>\n');
    const latin1 = await parse(
      Buffer.concat([
        Buffer.from('Subject: x\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\n'),
        Buffer.from('Signed-off-by: Jérôme G <j@x>\n', 'latin1'),
      ]),
    );
    expect(latin1.body).toBe('Signed-off-by: Jérôme G <j@x>\n');
  });

  it('reads undeclared 8-bit text as UTF-8, falling back to Windows-1252', async () => {
    const m = await parse(
      Buffer.concat([Buffer.from('Subject: x\n\nSigned-off-by: J'), Buffer.from([0xe9]), Buffer.from('r <j@x>\n')]),
    );
    expect(m.body).toBe('Signed-off-by: Jér <j@x>\n');
  });

  it('decodes raw 8-bit header lines one by one: a Latin-1 name beside a UTF-8 subject', async () => {
    const m = await parse(
      Buffer.concat([
        Buffer.from('From: J'),
        Buffer.from([0xe9]),
        Buffer.from('r\u00f4me <j@x.org>\n'.replace('\u00f4', 'o')),
        Buffer.from('Subject: [PATCH] mm: \u00e9t\u00e9 \u2013 Gr\u00fc\u00dfe\n\nbody\n', 'utf8'),
      ]),
    );
    expect(m.from).toEqual({ name: 'Jérome', address: 'j@x.org' });
    expect(m.subject).toBe('[PATCH] mm: été – Grüße');
  });

  it('normalises CRLF and unfolds headers', async () => {
    const m = await parse(
      'Subject: [PATCH 1/2] a\r\n long subject\r\nMessage-ID: <id@x>\r\nReferences: <r1@x>\r\n <r2@x>\r\n\r\nline\r\n',
    );
    expect(m.subject).toBe('[PATCH 1/2] a long subject');
    expect(m.references).toEqual(['r1@x', 'r2@x']);
    expect(m.messageId).toBe('id@x');
    expect(m.body).toBe('line\n');
  });

  it('takes inline and attached text patch parts into the body', async () => {
    const att = Buffer.from('diff --git a/x b/x\n').toString('base64');
    const m = await parse(
      `Subject: s\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nintro\n--B\nContent-Type: text/x-patch; name=a.patch\nContent-Disposition: inline; filename=a.patch\nContent-Transfer-Encoding: base64\n\n${att}\n--B\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=x.diff\nContent-Transfer-Encoding: base64\n\n${att}\n--B--\n`,
    );
    expect(m.body).toBe('intro\ndiff --git a/x b/x\ndiff --git a/x b/x\n');
  });

  it('keeps the X-Expect and other headers, decoded, by lower-case name', async () => {
    const m = await messageFromText('X-Expect: a\nX-Expect: b\nSubject: s\n\n');
    expect(m.headers.get('x-expect')).toEqual(['a', 'b']);
  });

  it('reports a base64 part that decodes to binary as unreadable, with a label', async () => {
    const junk = Buffer.from(Array.from({ length: 600 }, (_, i) => i % 256)).toString('base64');
    const m = await parseMessage(
      Buffer.from(`Message-ID: <bad@x>\nSubject: s\nContent-Transfer-Encoding: base64\n\n${junk}\n`),
      origin,
    );
    expect(isUnreadable(m) && m.label).toBe('<bad@x>');
    expect(isUnreadable(m) && m.reason).toMatch(/binary/);
  });

  it('un-flows DelSp=yes text: the space a soft break was made at goes too', async () => {
    const m = await parse(
      'Subject: [PATCH] x\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n\nmsg\n---\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1,2 @@\n  int a;\n+int a_very_long_name_that_a_mailer_broke_in_the_middle_to_keep_the_line_short \nwithout_a_space;\n',
    );
    expect(m.body).toContain(
      '\n int a;\n+int a_very_long_name_that_a_mailer_broke_in_the_middle_to_keep_the_line_shortwithout_a_space;\n',
    );
  });

  it('un-flows a flowed quoted-printable part of a multipart mail', async () => {
    const m = await parse(
      'Subject: [PATCH] x\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain; charset=utf-8; format=flowed\nContent-Transfer-Encoding: quoted-printable\n\nmsg\n---\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1,2 @@\n  int a;\n+int b =3D =\n\n1;\n--b--\n',
    );
    expect(m.body).toContain('\n int a;\n+int b = 1;\n');
  });

  it('survives an unknown charset', async () => {
    const m = await parse(
      'Subject: s\nContent-Type: text/plain; charset=x-klingon\nContent-Transfer-Encoding: quoted-printable\n\nabc=3D\n',
    );
    expect(m.body).toBe('abc=\n');
  });
});

describe("a web archive's copy of a mail (subject line, From:/Date: lines, body)", () => {
  const diff = ['diff --git a/mm/x.c b/mm/x.c', '--- a/mm/x.c', '+++ b/mm/x.c', '@@ -1 +1 @@', '-a', '+b', ''];

  it('reads the subject, author and date from the lines before the body', async () => {
    const m = await parse(
      [
        '[RFC PATCH v2 1/3] mm/x: change a',
        'From: Ada Writer',
        'Date: Thu Jun 05 2025 - 10:00:00 EDT',
        'Change a.',
        '---',
        ...diff,
      ].join('\n'),
    );
    expect(m.subject).toBe('[RFC PATCH v2 1/3] mm/x: change a');
    expect(m.from).toEqual({ name: 'Ada Writer', address: '' });
    expect(Date.parse(m.date!)).toBe(Date.parse('2025-06-05T14:00:00Z'));
    expect(m.body.split('\n')[0]).toBe('Change a.');
  });

  it('keeps an address, an unknown date format, and a blank line after the fields', async () => {
    const m = await parse(
      ['[PATCH] x', 'Date: 5 June 2025', 'From: Ada <ada@example.org>', '', 'Body.', ...diff].join('\n'),
    );
    expect(m.from).toEqual({ name: 'Ada', address: 'ada@example.org' });
    expect(m.date).toBe('5 June 2025');
    expect(m.body.startsWith('Body.\n')).toBe(true);
  });

  it('allows a blank line between the subject and the fields', async () => {
    const m = await parse(
      ['[PATCH 0/2] cover', '', 'From: Ada Writer', 'Date: Thu Jun 05 2025 - 10:00:00 EDT', 'Two parts.', ...diff].join(
        '\n',
      ),
    );
    expect([m.subject, m.from?.name]).toEqual(['[PATCH 0/2] cover', 'Ada Writer']);
    expect(m.body.startsWith('Two parts.\n')).toBe(true);
  });

  it('is not taken without a From: line, nor for a subject line that is not a patch', async () => {
    for (const first of [
      ['[PATCH] x', 'Date: Thu Jun 05 2025 - 10:00:00 EDT'],
      ['[ANNOUNCE] x', 'From: Ada'],
    ]) {
      const text = [...first, 'Body.', ...diff].join('\n');
      const m = await parse(text);
      expect(m.subject).toBe('');
      expect(m.from).toBeNull();
      expect(m.body).toBe(text);
    }
  });

  it('leaves real mail alone: a header block is read as headers', async () => {
    const m = await parse(
      ['From: Ada <ada@example.org>', 'Subject: [PATCH] y', '', '[PATCH] not a subject', 'From: Bob', ...diff].join(
        '\n',
      ),
    );
    expect(m.subject).toBe('[PATCH] y');
    expect(m.from?.address).toBe('ada@example.org');
    expect(m.body.startsWith('[PATCH] not a subject\nFrom: Bob\n')).toBe(true);
  });
});
