import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { inferKernel, stableFromPrefix, versionFromMakefile, versionsFromMail } from '../src/model/infer.js';

const MAKEFILE =
  "# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 4\nEXTRAVERSION =\nNAME = Hurr durr I'ma ninja sloth\n";

describe('inferKernel', () => {
  it("takes a stable branch from a subject's tags, before the mail, the diff and the date", () => {
    const cases: [string, string | null][] = [
      ['PATCH 5.10', '5.10'],
      ['PATCH 6.1.y', '6.1'],
      ['PATCH stable 6.6', '6.6'],
      ['PATCH 5.15 012/123', '5.15'],
      ['PATCH AUTOSEL 6.12 01/10', '6.12'],
      ['PATCH v2 6.6.y', '6.6'],
      ['PATCH stable-5.10', '5.10'],
      ['PATCH 5.4-stable', '5.4'],
      ['PATCH v2 3/7', null],
      ['RFC PATCH', null],
      ['PATCH net-next 1/2', null],
      ['PATCH 0/1', null],
    ];
    for (const [prefix, want] of cases) expect(stableFromPrefix(prefix)?.branch ?? null, prefix).toBe(want);
    const k = inferKernel({
      subjects: [{ label: '"mm: fix"', prefix: 'PATCH 5.10' }],
      date: '2026-05-01',
      mail: [{ label: 'cover letter', text: 'based on v6.1' }],
    });
    expect(k).toMatchObject({
      basis: 'subject',
      version: { release: '5.10' },
      reason: 'kernel 5.10 from "[PATCH 5.10]" in the subject of "mm: fix"',
    });
  });

  it('takes the base tree first, then --kernel, and rejects a bad one with a usage error', () => {
    expect(inferKernel({ explicit: 'v5.2-rc5', makefile: MAKEFILE })).toMatchObject({
      basis: 'tree',
      version: { release: '6.1' },
    });
    expect(inferKernel({ explicit: 'v5.2-rc5' })).toMatchObject({
      basis: 'explicit',
      version: { release: '5.2', rc: 5 },
    });
    expect(() => inferKernel({ explicit: 'five', makefile: MAKEFILE })).toThrow(UsageError);
    expect(() => inferKernel({ explicit: 'five' })).toThrow(UsageError);
  });

  it("lets the mail's date pick the release within what the diff allows, and default when nothing else says", () => {
    const privateCtx = [{ file: 'mm/hmm.c', kind: 'context' as const, text: '\tpgmap->type = MEMORY_DEVICE_PRIVATE;' }];
    // Mailed while 4.11 was out, on a tree (-mm) already carrying 4.14 material: the nearest allowed, not 7.2.
    const early = inferKernel({ diff: privateCtx, date: 'Thu, 01 Jun 2017 11:25:59 -0500' });
    expect(early).toMatchObject({ basis: 'diff', version: { release: '4.14' }, range: { since: '4.14', until: null } });
    expect(early.datedBy).toBe("the series' date (2017-06-01: 4.11 was out)");
    // Mailed while 6.1 was out: 6.1, inside the range.
    expect(inferKernel({ diff: privateCtx, date: '2022-12-20T10:00:00Z' }).version.release).toBe('6.1');
    // Without a date: the newest release of the range, as before.
    expect(inferKernel({ diff: privateCtx }).datedBy).toBeNull();
    // A date far before what the diff shows is set aside, and said.
    const wrong = inferKernel({ diff: privateCtx, date: '2016-01-20' });
    expect(wrong.datedBy).toBeNull();
    expect(wrong.version.release).toBe(inferKernel({ diff: privateCtx }).version.release);
    expect(wrong.conflicts).toContain("the series' date (2016-01-20: 4.4 was out)");
    // No version evidence at all: the release out when it was mailed.
    expect(inferKernel({ date: '2019-06-01' })).toMatchObject({ basis: 'default', version: { release: '5.1' } });
    expect(inferKernel({ date: 'not a date' }).version.release).toBe(inferKernel({}).version.release);
  });

  it('reads the base tree Makefile', () => {
    expect(versionFromMakefile(MAKEFILE)).toBe('6.1.4');
    expect(versionFromMakefile('VERSION = 5\nPATCHLEVEL = 3\nSUBLEVEL = 0\nEXTRAVERSION = -rc5\n')).toBe('5.3-rc5');
    const k = inferKernel({ makefile: MAKEFILE, mail: [{ label: 'cover letter', text: 'based on next-20170411' }] });
    expect(k).toMatchObject({
      basis: 'tree',
      version: { release: '6.1', sublevel: 4 },
      reason: "kernel 6.1.4 (from the base tree's Makefile)",
    });
  });

  it('reads a 7.x Makefile and --kernel 7.2', () => {
    const seven = 'VERSION = 7\nPATCHLEVEL = 2\nSUBLEVEL = 8\nEXTRAVERSION =\nNAME = Baby Opossum Posse\n';
    expect(versionFromMakefile(seven)).toBe('7.2.8');
    expect(inferKernel({ makefile: seven })).toMatchObject({
      basis: 'tree',
      version: { release: '7.2', sublevel: 8 },
      reason: "kernel 7.2.8 (from the base tree's Makefile)",
    });
    expect(inferKernel({ explicit: '7.2' })).toMatchObject({
      basis: 'explicit',
      version: { release: '7.2' },
      range: { since: '7.2', until: null },
    });
    expect(inferKernel({ explicit: '7.1' }).range).toEqual({ since: '7.1', until: '7.2' });
  });

  it('reads a kernel newer than the last listed release as that release, with a note', () => {
    const k = inferKernel({ makefile: 'VERSION = 9\nPATCHLEVEL = 3\nSUBLEVEL = 1\nEXTRAVERSION = -rc2\n' });
    expect(k).toMatchObject({
      basis: 'tree',
      version: { text: '9.3.1-rc2', release: '7.2', rc: 2 },
      range: { since: '7.2', until: null },
    });
    expect(k.reason).toBe(
      "kernel 9.3.1-rc2 (from the base tree's Makefile); newer than 7.2, the last release zdcheck knows, so it is read as 7.2",
    );
    expect(inferKernel({ explicit: 'v8.0' }).version.release).toBe('7.2');
    expect(inferKernel({ mail: [{ label: 'cover letter', text: 'based on v8.1-rc1' }] }).reason).toContain(
      'read as 7.2',
    );
  });

  it('reads what the mail says', () => {
    expect(versionsFromMail('This series is based on next-20170411 and was tested on a P8.')).toEqual([
      { version: 'next-20170411', phrase: 'based on next-20170411' },
    ]);
    expect(versionsFromMail('Rebased on top of v5.2-rc5.')[0]!.version).toBe('v5.2-rc5');
    expect(versionsFromMail('Applies against 4.19 and linux-next.')[0]!.version).toBe('4.19');
    expect(versionsFromMail('based on linux-next tag next-20170411')[0]!.version).toBe('next-20170411');
    expect(versionsFromMail('uses 4 bytes on top of 2 others')).toEqual([]);
    const k = inferKernel({ mail: [{ label: 'cover letter', text: 'This applies on top of v5.2-rc5.' }] });
    expect(k).toMatchObject({
      basis: 'mail',
      version: { release: '5.2' },
      reason: 'kernel 5.2 from "on top of v5.2-rc5" in the cover letter',
    });
    expect(inferKernel({ mail: [{ label: 'cover letter', text: 'based on next-20170411' }] }).version.release).toBe(
      '4.12',
    );
  });

  it('infers from identifiers in context and removed lines', () => {
    const host = inferKernel({
      diff: [{ file: 'mm/hmm.c', kind: 'context', text: '\tpgmap->type = MEMORY_DEVICE_HOST;' }],
    });
    expect(host).toMatchObject({
      basis: 'diff',
      range: { since: '4.14', until: '4.18' },
      version: { release: '4.17' },
    });
    expect(host.reason).toBe('kernel 4.14–4.17 inferred from MEMORY_DEVICE_HOST in context lines of mm/hmm.c');

    const pub = inferKernel({
      diff: [
        {
          file: 'include/linux/mm.h',
          kind: 'del',
          text: 'static inline bool is_device_public_page(const struct page *page)',
        },
      ],
    });
    expect(pub.range).toEqual({ since: '4.14', until: '5.3' });

    const coherent = inferKernel({
      diff: [{ file: 'mm/migrate.c', kind: 'context', text: 'case MEMORY_DEVICE_COHERENT:' }],
    });
    expect(coherent.range).toEqual({ since: '6.0', until: null });
    expect(coherent.reason).toContain('6.0 or later');

    // Two clues narrow each other: PCI_P2PDMA (4.20+) and PUBLIC (4.14-5.2).
    const both = inferKernel({
      diff: [
        { file: 'mm/hmm.c', kind: 'context', text: 'MEMORY_DEVICE_PUBLIC,' },
        { file: 'include/linux/memremap.h', kind: 'context', text: 'MEMORY_DEVICE_PCI_P2PDMA,' },
      ],
    });
    expect(both.range).toEqual({ since: '4.20', until: '5.3' });
  });

  it('ignores what the series adds itself, and sets aside a contradicting clue', () => {
    const k = inferKernel({
      diff: [{ file: 'mm/hmm.c', kind: 'context', text: 'MEMORY_DEVICE_PUBLIC' }],
      seriesAdds: ['MEMORY_DEVICE_PUBLIC'],
    });
    expect(k.basis).toBe('default');
    const c = inferKernel({
      diff: [
        { file: 'a.c', kind: 'context', text: 'MEMORY_DEVICE_HOST' },
        { file: 'b.c', kind: 'context', text: 'MEMORY_DEVICE_COHERENT' },
      ],
    });
    expect(c.range).toEqual({ since: '4.14', until: '4.18' });
    expect(c.conflicts).toEqual(['MEMORY_DEVICE_COHERENT (6.0 or later) in b.c']);
  });

  it('falls back to the newest release, saying so', () => {
    const k = inferKernel({});
    expect(k.basis).toBe('default');
    expect(k.reason).toMatch(/^no kernel version found/);
  });
});
