import { describe, expect, it } from 'vitest';
import {
  parseSubject,
  parseTrailers,
  parseDiffText,
  parseDiffstat,
  diffstatPathMatches,
  patchFromText,
  findGarbling,
  whitespaceDamageOf,
  garbledFormsOf,
  garblingOf,
  sameName,
  sameNameInTransit,
  truncationOf,
} from '../src/patch/index.js';

describe('subject tags', () => {
  it.each([
    ['[RFC PATCH v2 3/7] mm: foo', { rfc: true, version: 2, index: 3, total: 7, reply: false, title: 'mm: foo' }],
    [
      '[PATCH net-next v3 02/10] net: bar',
      { rfc: false, version: 3, index: 2, total: 10, reply: false, title: 'net: bar' },
    ],
    ['Re: [PATCH 1/2] x', { rfc: false, version: 1, index: 1, total: 2, reply: true, title: 'x' }],
    [
      'Fwd: RE: [Linux-nvdimm] [PATCH v4] y',
      { rfc: false, version: 4, index: null, total: null, reply: true, title: 'y' },
    ],
    ['plain subject', { rfc: false, version: 1, index: null, total: null, reply: false, title: 'plain subject' }],
    // prefixes as lore has them
    ['[PATCH mm-unstable v2 3/7] mm: x', { rfc: false, version: 2, index: 3, total: 7, reply: false, title: 'mm: x' }],
    ['[PATCH RFC net-next 1/2] net: y', { rfc: true, version: 1, index: 1, total: 2, reply: false, title: 'net: y' }],
    ['[RESEND PATCH v2 1/3] z', { rfc: false, version: 2, index: 1, total: 3, reply: false, title: 'z' }],
    ['[PATCH 1/3 v2] z', { rfc: false, version: 2, index: 1, total: 3, reply: false, title: 'z' }],
    ['[PATCH v3 00/12] cover', { rfc: false, version: 3, index: 0, total: 12, reply: false, title: 'cover' }],
    ['[PATCH v3 07/12] part', { rfc: false, version: 3, index: 7, total: 12, reply: false, title: 'part' }],
    ['[PATCHv2 2/4] glued', { rfc: false, version: 2, index: 2, total: 4, reply: false, title: 'glued' }],
    ['[RFC PATCHv3] glued', { rfc: true, version: 3, index: null, total: null, reply: false, title: 'glued' }],
    ['[RFCv2 PATCH 1/2] glued', { rfc: true, version: 2, index: 1, total: 2, reply: false, title: 'glued' }],
    ['[PATCH V4 1/2] upper', { rfc: false, version: 4, index: 1, total: 2, reply: false, title: 'upper' }],
    [
      '[RFC][PATCH v2 1/3] two groups',
      { rfc: true, version: 2, index: 1, total: 3, reply: false, title: 'two groups' },
    ],
    [
      '[PATCH 6.1 012/345] stable review',
      { rfc: false, version: 1, index: 12, total: 345, reply: false, title: 'stable review' },
    ],
    ['Re: [PATCH v2 1/3] x', { version: 2, index: 1, total: 3, reply: true, title: 'x' }],
    ['回复: [PATCH v2 1/3] x', { version: 2, index: 1, total: 3, reply: true, title: 'x' }],
    ['答复：[PATCH 1/3] x', { index: 1, total: 3, reply: true, title: 'x' }],
    ['Odp: [PATCH 1/3] x', { reply: true }],
    ['FW: [PATCH 1/3] x', { reply: true }],
    ['RE: Re: [PATCH 1/3] x', { reply: true, title: 'x' }],
    ['Reply-to-all: not a prefix', { reply: false, title: 'Reply-to-all: not a prefix' }],
    ['[PATCH] fw: load the device firmware', { reply: false, title: 'fw: load the device firmware' }],
    ['[PATCH 2/3] r: a one-letter subsystem', { reply: false, index: 2 }],
    ['[PATCH] Re: [PATCH v2 1/2] x', { reply: true, version: 2, index: 1, total: 2 }],
  ])('%s', (subject, want) => {
    expect(parseSubject(subject)).toMatchObject(want);
  });
});

describe('diff corner cases', () => {
  it('reads a rename with a mode change, a binary patch, missing newlines and @@ in a hunk context', () => {
    const files = parseDiffText(
      [
        'diff --git a/scripts/old.sh b/scripts/new.sh',
        'old mode 100644',
        'new mode 100755',
        'similarity index 80%',
        'rename from scripts/old.sh',
        'rename to scripts/new.sh',
        'index 1111111..2222222',
        '--- a/scripts/old.sh',
        '+++ b/scripts/new.sh',
        '@@ -1,2 +1,2 @@',
        ' #!/bin/sh',
        '-echo old',
        '\\ No newline at end of file',
        '+echo new',
        '\\ No newline at end of file',
        'diff --git a/fw/blob.bin b/fw/blob.bin',
        'index 3333333..4444444 100644',
        'GIT binary patch',
        'delta 14',
        'zcmZo+X=j;m',
        '',
        'delta 12',
        'zcmV+Z',
        '',
        'diff --git a/mm/at.c b/mm/at.c',
        'index 5555555..6666666 100644',
        '--- a/mm/at.c',
        '+++ b/mm/at.c',
        '@@ -10,3 +10,4 @@ static int at(void) /* @@ -1 +1 @@ is not a header */',
        ' a',
        '+b',
        ' c',
        ' d',
        '@@ -20,2 +21,2 @@ @@',
        '-e',
        '+f',
        ' g',
      ].join('\n'),
    );
    expect(files.map((f) => [f.oldPath, f.newPath, f.status, f.binary, f.oldMode, f.newMode, f.hunks.length])).toEqual([
      ['scripts/old.sh', 'scripts/new.sh', 'renamed', false, '100644', '100755', 1],
      ['fw/blob.bin', 'fw/blob.bin', 'modified', true, '100644', '100644', 0],
      ['mm/at.c', 'mm/at.c', 'modified', false, '100644', '100644', 2],
    ]);
    expect(files[0]!.hunks[0]!.lines.map((l) => `${l.kind[0]}${l.text}`)).toEqual([
      'c#!/bin/sh',
      'decho old',
      'aecho new',
    ]);
    const at = files[2]!.hunks;
    expect(at[0]!.header).toBe('@@ -10,3 +10,4 @@ static int at(void) /* @@ -1 +1 @@ is not a header */');
    expect(at[0]!.lines.map((l) => [l.kind[0], l.text, l.newLine])).toEqual([
      ['c', 'a', 10],
      ['a', 'b', 11],
      ['c', 'c', 12],
      ['c', 'd', 13],
    ]);
    expect(at[1]!.lines.map((l) => [l.kind[0], l.text, l.oldLine, l.newLine])).toEqual([
      ['d', 'e', 20, null],
      ['a', 'f', null, 21],
      ['c', 'g', 21, 22],
    ]);
  });
});

describe('trailers', () => {
  it('reads person and reference trailers', () => {
    const t = parseTrailers(
      'Body.\n\nFixes: 0123456789ab ("mm: x")\nLink: https://lore.kernel.org/r/1\nCc: stable@vger.kernel.org # 6.1+\nCo-developed-by: "B, C" <bc@x.org>\nSigned-off-by: A <a@x.org>\nNot-a-trailer line\n',
    );
    expect(t.map((x) => x.key)).toEqual(['Fixes', 'Link', 'Cc', 'Co-developed-by', 'Signed-off-by']);
    expect(t[2]!.person).toEqual({ name: '', address: 'stable@vger.kernel.org' });
    expect(t[3]!.person).toEqual({ name: 'B, C', address: 'bc@x.org' });
    expect(t[0]!.person).toBeNull();
  });
});

describe('diffstat', () => {
  it('parses entries, binary lines and the summary, tolerating damage', () => {
    const d = parseDiffstat([
      ' mm/a.c | 12 ++++----',
      'img.png | Bin 0 -> 10 bytes',
      ' 2 files changed, 8 insertions(+), 4 deletions(-)',
    ]);
    expect(d).toEqual({
      entries: [
        { path: 'mm/a.c', changes: 12, binary: false },
        { path: 'img.png', changes: null, binary: true },
      ],
      summary: { files: 2, insertions: 8, deletions: 4 },
    });
    expect(diffstatPathMatches('.../nvdimm/pfn_devs.c', 'drivers/nvdimm/pfn_devs.c')).toBe(true);
    expect(diffstatPathMatches('mm/{old.c => new.c}', 'mm/new.c')).toBe(true);
    expect(diffstatPathMatches('.../pfn.c', 'drivers/nvdimm/pfn_devs.c')).toBe(false);
  });
});

const lines = (t: string) =>
  parseDiffText(t).map((f) =>
    f.hunks.flatMap((h) => h.lines.map((l) => `${l.kind[0]}${l.oldLine ?? '-'}/${l.newLine ?? '-'}`)),
  );

describe('diff', () => {
  it('numbers lines exactly', () => {
    expect(lines('diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -10,3 +10,4 @@ ctx\n a\n-b\n+c\n+d\n e\n')).toEqual([
      ['c10/10', 'd11/-', 'a-/11', 'a-/12', 'c12/13'],
    ]);
  });

  it('handles renames, mode changes, new, deleted and binary files', () => {
    const files = parseDiffText(
      [
        'diff --git a/old.c b/new.c',
        'similarity index 90%',
        'rename from old.c',
        'rename to new.c',
        'diff --git a/s.sh b/s.sh',
        'old mode 100644',
        'new mode 100755',
        'diff --git a/n.c b/n.c',
        'new file mode 100644',
        'index 0000000..1111111',
        '--- /dev/null',
        '+++ b/n.c',
        '@@ -0,0 +1 @@',
        '+x',
        'diff --git a/d.c b/d.c',
        'deleted file mode 100644',
        'index 1111111..0000000',
        '--- a/d.c',
        '+++ /dev/null',
        '@@ -1 +0,0 @@',
        '-x',
        'diff --git a/i.png b/i.png',
        'index 1..2 100644',
        'GIT binary patch',
        'literal 5',
        'McmZQzKm~~a0001',
        '',
        'literal 0',
        'HcmV?d00001',
        '',
        'diff --git a/z b/z',
        'Binary files a/z and b/z differ',
      ].join('\n'),
    );
    expect(files.map((f) => [f.oldPath, f.newPath, f.status, f.binary, f.oldMode, f.newMode])).toEqual([
      ['old.c', 'new.c', 'renamed', false, null, null],
      ['s.sh', 's.sh', 'modified', false, '100644', '100755'],
      [null, 'n.c', 'added', false, null, '100644'],
      ['d.c', null, 'deleted', false, '100644', null],
      ['i.png', 'i.png', 'modified', true, '100644', '100644'],
      ['z', 'z', 'modified', true, null, null],
    ]);
    expect(files[2]!.hunks[0]!.lines).toEqual([{ kind: 'add', text: 'x', oldLine: null, newLine: 1 }]);
  });

  it('drops "\\ No newline at end of file" without duplicating lines', () => {
    expect(
      lines(
        'diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n\\ No newline at end of file\n',
      ),
    ).toEqual([['d1/-', 'a-/1']]);
  });

  it('survives hunk counts that lie, keeping the next file', () => {
    const tooBig =
      'diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,9 +1,40 @@\n a\n+b\ndiff --git a/g b/g\n--- a/g\n+++ b/g\n@@ -5,1 +5,1 @@\n-x\n+y\n';
    const files = parseDiffText(tooBig);
    expect(files.map((f) => f.newPath)).toEqual(['f', 'g']);
    expect(lines(tooBig)).toEqual([
      ['c1/1', 'a-/2'],
      ['d5/-', 'a-/5'],
    ]);
    const tooSmall =
      'diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-a\n+b\n+c\n--- x\n+++ y\ndiff --git a/g b/g\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-x\n+y\n';
    expect(parseDiffText(tooSmall).map((f) => f.newPath)).toEqual(['f', 'g']);
    expect(() => parseDiffText('@@ -1,2 +1,2 @@\n\\ No newline at end of file\n')).not.toThrow();
  });

  describe('paths', () => {
    const heads = (text: string) => parseDiffText(text).map((f) => [f.oldPath, f.newPath, f.status]);
    const hunk = '@@ -1 +1 @@\n-a\n+b\n';

    it('strips one leading component from a diff that is not a git diff, as patch -p1 does', () => {
      expect(
        heads(
          `Index: tree/mm/x.c\n===================================================================\n--- tree.orig/mm/x.c\n+++ tree/mm/x.c\n${hunk}`,
        ),
      ).toEqual([['mm/x.c', 'mm/x.c', 'modified']]);
      expect(
        heads(
          `diff -ru old/mm/x.c new/mm/x.c\n--- old/mm/x.c\t2026-01-02 03:04:05.000000000 +0100\n+++ new/mm/x.c\t2026-01-02 03:04:06.000000000 +0100\n${hunk}`,
        ),
      ).toEqual([['mm/x.c', 'mm/x.c', 'modified']]);
      expect(heads(`--- a/include/y.h\n+++ b/include/y.h\n${hunk}`)).toEqual([
        ['include/y.h', 'include/y.h', 'modified'],
      ]);
    });

    it('keeps a name without a directory, and gives a changed file one name as git apply does', () => {
      expect(heads(`--- x.c.orig\n+++ x.c\n${hunk}`)).toEqual([['x.c', 'x.c', 'modified']]);
      expect(heads(`--- top/x.c\n+++ top/x.c~\n${hunk}`)).toEqual([['x.c', 'x.c', 'modified']]);
    });

    it('reads /dev/null and diff -N epoch stamps as a missing side', () => {
      expect(heads('--- /dev/null\n+++ tree/mm/n.c\n@@ -0,0 +1 @@\n+n\n')).toEqual([[null, 'mm/n.c', 'added']]);
      expect(heads('--- tree.orig/mm/d.c\n+++ /dev/null\n@@ -1 +0,0 @@\n-d\n')).toEqual([['mm/d.c', null, 'deleted']]);
      expect(
        heads(
          '--- old/mm/n.c\t1970-01-01 00:00:00.000000000 +0000\n+++ new/mm/n.c\t2026-01-02 03:04:05.000000000 +0000\n@@ -0,0 +1 @@\n+n\n',
        ),
      ).toEqual([[null, 'mm/n.c', 'added']]);
      expect(
        heads(
          '--- old/mm/d.c\t2026-01-02 03:04:05 +0000\n+++ new/mm/d.c\t1969-12-31 19:00:00 -0500\n@@ -1 +0,0 @@\n-d\n',
        ),
      ).toEqual([['mm/d.c', null, 'deleted']]);
    });

    it('keeps git semantics in a git diff: a/ b/ and mnemonic prefixes go, --no-prefix paths stay whole', () => {
      expect(heads(`diff --git a/mm/x.c b/mm/x.c\n--- a/mm/x.c\n+++ b/mm/x.c\n${hunk}`)).toEqual([
        ['mm/x.c', 'mm/x.c', 'modified'],
      ]);
      expect(heads(`diff --git i/mm/x.c w/mm/x.c\n--- i/mm/x.c\n+++ w/mm/x.c\n${hunk}`)).toEqual([
        ['mm/x.c', 'mm/x.c', 'modified'],
      ]);
      expect(heads(`diff --git mm/x.c mm/x.c\nindex 1..2 100644\n--- mm/x.c\n+++ mm/x.c\n${hunk}`)).toEqual([
        ['mm/x.c', 'mm/x.c', 'modified'],
      ]);
      // a top-level directory named like a prefix, without prefixes
      expect(heads(`diff --git a/x.c a/x.c\n--- a/x.c\n+++ a/x.c\n${hunk}`)).toEqual([['a/x.c', 'a/x.c', 'modified']]);
      expect(
        heads('diff --git mm/n.c mm/n.c\nnew file mode 100644\n--- /dev/null\n+++ mm/n.c\n@@ -0,0 +1 @@\n+n\n'),
      ).toEqual([[null, 'mm/n.c', 'added']]);
      // no ---/+++ lines: the diff --git line alone names the file
      expect(heads('diff --git mm/s.sh mm/s.sh\nold mode 100644\nnew mode 100755\n')).toEqual([
        ['mm/s.sh', 'mm/s.sh', 'modified'],
      ]);
      expect(heads('diff --git a/my file.c b/my file.c\nold mode 100644\nnew mode 100755\n')).toEqual([
        ['my file.c', 'my file.c', 'modified'],
      ]);
      expect(
        heads('diff --git a/mm/o.c b/mm/p.c\nsimilarity index 90%\nrename from mm/o.c\nrename to mm/p.c\n'),
      ).toEqual([['mm/o.c', 'mm/p.c', 'renamed']]);
    });
  });

  it('repairs whitespace-damaged empty context lines', () => {
    expect(lines('diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n')).toEqual([
      ['c1/1', 'c2/2', 'd3/-', 'a-/3'],
    ]);
  });

  it('numbers the lines of a file whose quoted name holds an escaped newline and diff-like text', () => {
    // git quotes such a name ("a/x\n@@ ..."); unquoted, it spans lines that look like a hunk or a file header.
    const hunkInName = 'x\\n@@ -1,9 +1,9 @@';
    expect(
      lines(
        `diff --git "a/${hunkInName}" "b/${hunkInName}"\n--- "a/${hunkInName}"\n+++ "b/${hunkInName}"\n@@ -5,2 +5,2 @@\n a\n-b\n+c\n`,
      ),
    ).toEqual([['c5/5', 'd6/-', 'a-/6']]);
    const fileInName = 'x\\ndiff --git a/y b/y';
    expect(
      lines(
        `diff --git "a/${fileInName}" "b/${fileInName}"\n@@ -5,2 +5,2 @@\n a\n-b\n+c\ndiff --git a/z b/z\n--- a/z\n+++ b/z\n@@ -1 +1 @@\n-q\n+r\n`,
      ),
    ).toEqual([
      ['c5/5', 'd6/-', 'a-/6'],
      ['d1/-', 'a-/1'],
    ]);
  });
});

const PATCH = `From: Relay Name via B4 Relay <devnull+x.y.org@kernel.org>
Subject: [PATCH v2 1/1] mm: thing
Date: Mon, 2 Mar 2026 10:00:00 +0000
Message-Id: <p@x>

From: Real Author <real@x.org>

Commit message line.

Signed-off-by: Real Author <real@x.org>
---
v2: notes
 mm/a.c | 1 +
 1 file changed, 1 insertion(+)

diff --git a/mm/a.c b/mm/a.c
--- a/mm/a.c
+++ b/mm/a.c
@@ -1 +1,2 @@
 x
+y
-- 
2.40.0

base-commit: 0123456789abcdef0123456789abcdef01234567
`;

describe('patch', () => {
  it('takes the author from an in-body From:, and finds commit message, diffstat, diff and base-commit', async () => {
    const p = await patchFromText(PATCH);
    expect(p.kind).toBe('patch');
    expect(p.author).toEqual({ name: 'Real Author', address: 'real@x.org' });
    expect(p.commitMessage).toBe('Commit message line.\n\nSigned-off-by: Real Author <real@x.org>');
    expect(p.diffstat?.entries).toHaveLength(1);
    expect(p.files[0]!.hunks[0]!.lines.map((l) => l.newLine)).toEqual([1, 2]);
    expect(p.baseCommit).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(p.tags).toMatchObject({ version: 2, index: 1, total: 1 });
  });

  it('undoes a list rewrite of From: through X-Original-From', async () => {
    const p = await patchFromText(
      'From: Ann via linux-mm <linux-mm@kvack.org>\nX-Original-From: Ann <ann@x.org>\nSubject: [PATCH] a\n\nx\n',
    );
    expect(p.author).toEqual({ name: 'Ann', address: 'ann@x.org' });
  });

  it('marks replies, quoted diffs are not patches', async () => {
    const p = await patchFromText(
      'Subject: Re: [PATCH] a\n\n> diff --git a/f b/f\n> --- a/f\n> +++ b/f\n> @@ -1 +1 @@\n> -a\n> +b\n\nok\n',
    );
    expect(p.kind).toBe('reply');
    expect(p.files).toEqual([]);
    const cover = await patchFromText(
      'Subject: [PATCH 0/2] c\n\nblurb\n\n a.c | 1 +\n 1 file changed, 1 insertion(+)\n',
    );
    expect(cover.kind).toBe('cover');
    expect(cover.diffstat?.summary).toEqual({ files: 1, insertions: 1, deletions: 0 });
    expect((await patchFromText('Subject: hello\n\njust talk\n')).kind).toBe('other');
  });
});

describe('garbling', () => {
  it.each(['JÃ©rÃ´me', 'JÃrÃme', 'J\ufffdr\ufffdme', 'Ã‰ric'])('flags %s', (s) =>
    expect(findGarbling(s)).not.toBeNull(),
  );
  it.each(['Müller', 'Jérôme', 'Łukasz', '李明', 'João', 'JOÃO', 'François Ñúñez', 'Ævar Arnfjörð Bjarmason', 'Zoë'])(
    'accepts %s',
    (s) => expect(findGarbling(s)).toBeNull(),
  );
});

describe('a name garbled in transit', () => {
  it('knows the shapes an archive makes of a UTF-8 name (iconv //TRANSLIT included)', () => {
    expect(garbledFormsOf('Jérôme Durand')).toEqual([
      'JÃ©rÃ´me Durand',
      'JÃrÃme Durand',
      "JA(C)rA'me Durand",
      'JArAme Durand',
    ]);
    expect(garbledFormsOf('Ada Lovell')).toEqual([]);
    expect(garblingOf("JA(C)rA'me Durand", 'Jérôme Durand')).toEqual({ kind: 'mis-decoded UTF-8', sample: "A(C)rA'" });
    expect(garblingOf('Jerome Durand', 'Jérôme Durand')).toBeNull();
  });

  it('is the same name, in either direction; another name is not', () => {
    const p = (name: string) => ({ name, address: 'jd@example.org' });
    expect(sameNameInTransit(p("JA(C)rA'me Durand"), p('Jérôme Durand'))).toBe(true);
    expect(sameNameInTransit(p('Jérôme Durand'), p('JÃ©rÃ´me Durand'))).toBe(true);
    expect(sameNameInTransit(p('Jérôme Durand'), p('Jerome Durand'))).toBe(false);
    expect(sameNameInTransit(p('Jérôme Durand'), p("JA(C)rA'me Dupont"))).toBe(false);
  });

  it('compares names without their parenthesised parts, as checkpatch does', () => {
    const p = (name: string) => ({ name, address: 'a@x.org' });
    expect(sameName(p('Ada Lovell (Example Corp)'), p('Ada Lovell'))).toBe(true);
    expect(sameName(p("JA(C)rA'me Durand"), p("JArA'me Durand"))).toBe(true);
  });

  it('reads an in-body From: as git am does, parenthesised parts kept', async () => {
    const p = await patchFromText(
      "From: jd@example.org\nSubject: [PATCH] a\n\nFrom: JA(C)rA'me Durand <jd@example.org>\n\nx\n",
    );
    expect(p.author).toEqual({ name: "JA(C)rA'me Durand", address: 'jd@example.org' });
    const encoded = await patchFromText(
      'From: x@example.org\nSubject: [PATCH] a\n\nFrom: =?UTF-8?q?J=C3=A9r=C3=B4me?= <jd@example.org>\n\nx\n',
    );
    expect(encoded.author).toEqual({ name: 'Jérôme', address: 'jd@example.org' });
    const old = await patchFromText(
      'From: x@example.org\nSubject: [PATCH] a\n\nFrom: jd@example.org (Jane Doe)\n\nx\n',
    );
    expect(old.author).toEqual({ name: 'Jane Doe', address: 'jd@example.org' });
  });
});

describe('whitespace-damaged hunks (src/patch/repair.ts)', () => {
  const head = ['diff --git a/mm/x.c b/mm/x.c', '--- a/mm/x.c', '+++ b/mm/x.c'];
  const lineTexts = (diff: string) =>
    parseDiffText(diff).flatMap((f) =>
      f.hunks.flatMap((h) => h.lines.map((l) => `${l.kind[0]}${l.oldLine ?? '-'}/${l.newLine ?? '-'} ${l.text}`)),
    );

  it('reads unprefixed lines inside a hunk as context and records how many', () => {
    const diff = [...head, '@@ -5,4 +5,5 @@', 'int f(void)', '{', '+\tg();', '\treturn 0;', '}', ''].join('\n');
    const [file] = parseDiffText(diff);
    expect(lineTexts(diff)).toEqual(['c5/5 int f(void)', 'c6/6 {', 'a-/7 \tg();', 'c7/8 \treturn 0;', 'c8/9 }']);
    expect(whitespaceDamageOf(file!)).toEqual({ lines: 4, firstNewLine: 5 });
  });

  it('the same hunk intact is read as today, with no damage recorded', () => {
    const diff = [...head, '@@ -5,4 +5,5 @@', ' int f(void)', ' {', '+\tg();', '', ' }', ''].join('\n');
    const [file] = parseDiffText(diff);
    expect(lineTexts(diff)).toEqual(['c5/5 int f(void)', 'c6/6 {', 'a-/7 \tg();', 'c7/8 ', 'c8/9 }']);
    expect(whitespaceDamageOf(file!)).toBeNull();
  });

  it('stops a short damaged hunk at the next file and reads that file too', () => {
    const diff = [
      ...head,
      '@@ -5,5 +5,6 @@',
      'int f(void)',
      '{',
      '+\tg();',
      '\treturn 0;',
      'diff --git a/mm/y.c b/mm/y.c',
      '--- a/mm/y.c',
      '+++ b/mm/y.c',
      '@@ -1,2 +1,2 @@',
      '-a',
      '+b',
      ' c',
      '',
    ].join('\n');
    const files = parseDiffText(diff);
    expect(files.map((f) => f.newPath)).toEqual(['mm/x.c', 'mm/y.c']);
    expect(whitespaceDamageOf(files[0]!)?.lines).toBe(3);
    expect(whitespaceDamageOf(files[1]!)).toBeNull();
    expect(files[1]!.hunks[0]!.lines.map((l) => l.kind)).toEqual(['del', 'add', 'context']);
  });

  it('never reads text after the last change of a hunk whose counts lie as context', () => {
    const diff = [...head, '@@ -5,6 +5,5 @@', ' {', '-\tg();', ' }', '--', 'Thanks,', 'Ada', ''].join('\n');
    const [file] = parseDiffText(diff);
    expect(lineTexts(diff)).toEqual(['c5/5 {', 'd6/- \tg();', 'c7/6 }', 'd8/- -']);
    expect(whitespaceDamageOf(file!)).toBeNull();
  });

  it('does not repair when the reading would not meet the counts and no hunk or file follows', () => {
    const diff = [...head, '@@ -5,9 +5,10 @@', 'int f(void)', '{', '+\tg();', '}', ''].join('\n');
    const [file] = parseDiffText(diff);
    expect(whitespaceDamageOf(file!)).toBeNull();
    expect(file!.hunks).toEqual([]);
  });

  it('a context line that lost its space is context; "\\ No newline" and empty lines keep their meaning', () => {
    const files = parseDiffText(
      [...head, '@@ -1,4 +1,4 @@', 'a', '', '-b', '+c', 'd', '\\ No newline at end of file', ''].join('\n'),
    );
    expect(files[0]!.hunks[0]!.lines.map((l) => `${l.kind}:${l.text}`)).toEqual([
      'context:a',
      'context:',
      'del:b',
      'add:c',
      'context:d',
    ]);
    expect(whitespaceDamageOf(files[0]!)).toEqual({ lines: 2, firstNewLine: 1 });
  });

  it('never takes the next hunk header or diff line as context', () => {
    const files = parseDiffText(
      [...head, '@@ -1,5 +1,5 @@', 'a', '-b', '+c', '@@ -9,1 +9,1 @@', '-x', '+y', ''].join('\n'),
    );
    expect(files[0]!.hunks.map((h) => h.lines.length)).toEqual([3, 2]);
    expect(whitespaceDamageOf(files[0]!)?.lines).toBe(1);
  });
});

describe('a mail cut off inside a hunk (src/patch/truncated.ts)', () => {
  const head = 'diff --git a/mm/a.c b/mm/a.c\n--- a/mm/a.c\n+++ b/mm/a.c\n';
  it('records where the hunk stops and what it declared, its trailing empty lines being the end of the mail', () => {
    const [f] = parseDiffText(`${head}@@ -1,8 +1,9 @@ int f(void)\n a\n b\n+c\n\n\n`);
    expect(truncationOf(f!)).toEqual({
      header: '@@ -1,8 +1,9 @@ int f(void)',
      declared: { old: 8, new: 9 },
      present: { old: 2, new: 3 },
      lastNewLine: 3,
    });
    expect(f!.hunks[0]!.lines.map((l) => l.text)).toEqual(['a', 'b', 'c']);
  });

  it('records a hunk cut off right after its header', () => {
    const [f] = parseDiffText(`${head}@@ -1,3 +1,4 @@\n`);
    expect(truncationOf(f!)).toMatchObject({ present: { old: 0, new: 0 }, lastNewLine: 1 });
  });

  it('leaves whole hunks alone, an empty last context line included, and counts that lie before more text', () => {
    expect(truncationOf(parseDiffText(`${head}@@ -1,3 +1,4 @@\n a\n+b\n c\n\n`)[0]!)).toBeNull();
    expect(truncationOf(parseDiffText(`${head}@@ -1,5 +1,6 @@\n a\n b\n+c\n-- \n2.43.0\n`)[0]!)).toBeNull();
    expect(truncationOf(parseDiffText(`${head}@@ -1,5 +1,6 @@\n a\n+c\n${head}@@ -1 +1 @@\n-a\n+b\n`)[0]!)).toBeNull();
  });
});
