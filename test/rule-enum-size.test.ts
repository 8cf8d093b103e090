// Big enums through the two rules that read every enumerator: the answer must not depend on
// enum size beyond its length (a 2,000-member enum once took 20 s, a 2,500-arm #elif chain
// 870 s). The timeout only keeps a regression from hanging the suite; nothing here is timed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import duplicateEnumerator from '../rules/duplicate-enumerator/index.js';
import unhandledMemoryType from '../rules/unhandled-memory-type/index.js';
import { check } from '../src/pipeline.js';

const dir = mkdtempSync(join(tmpdir(), 'zdcheck-enum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function newFile(path: string, body: string[]): string {
  return `diff --git a/${path} b/${path}\nnew file mode 100644\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1,${body.length} @@\n${body.map((l) => '+' + l).join('\n')}\n`;
}

function mbox(diff: string): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.mbox`);
  writeFileSync(
    path,
    `From 0000000000000000000000000000000000000001 Mon Sep 17 00:00:00 2001\nFrom: Enum Author <enum@example.org>\n` +
      `Date: Wed, 25 Nov 2026 18:50:26 +0000\nSubject: [PATCH] mm: many memory types\n\nSigned-off-by: Enum Author <enum@example.org>\n---\n${diff}`,
  );
  return path;
}

describe('rules over a 5,000-member enum memory_type', () => {
  it('duplicate-enumerator and unhandled-memory-type finish and still judge every member', async () => {
    const n = 2_500;
    const plain = Array.from({ length: n }, (_, i) => `\tMEMORY_DEVICE_N${i} = ${i},`);
    // one name in each arm of a long #if/#elif chain: alternatives, never compiled together
    const arms = Array.from({ length: n }, (_, i) => [
      i ? `#elif C${i}` : `#if C${i}`,
      `\tMEMORY_DEVICE_ALT = ${n},`,
    ]).flat();
    const header = ['enum memory_type {', ...plain, ...arms, '#endif', '\tMEMORY_DEVICE_N7,', '};'];
    const user = [
      'int f(struct dev_pagemap *p)',
      '{',
      '\tswitch (p->type) {',
      '\tcase MEMORY_DEVICE_N0:',
      '\t\treturn 1;',
      '\tdefault:',
      '\t\tBUG();',
      '\t}',
      '}',
    ];
    const file = mbox(newFile('include/linux/memremap.h', header) + newFile('mm/many.c', user));
    const { findings } = await check([{ kind: 'path', path: file }], {
      tree: null,
      kernel: null,
      rules: [duplicateEnumerator, unhandledMemoryType],
    });
    expect(findings.filter((f) => f.rule === 'internal-error')).toEqual([]);
    expect(
      findings
        .filter((f) => f.rule === 'duplicate-enumerator')
        .map((f) => [`${f.file}:${f.line}`, f.messageId, f.data]),
    ).toEqual([
      [
        `include/linux/memremap.h:${header.length - 1}`,
        'listedTwice',
        { name: 'MEMORY_DEVICE_N7', enum: 'enum memory_type', otherLine: 9 },
      ],
    ]);
    // every added type but the one the switch handles, reported at the switch
    const unhandled = findings.filter((f) => f.rule === 'unhandled-memory-type' && f.severity === 'error');
    expect(unhandled).toHaveLength(n);
    expect(new Set(unhandled.map((f) => `${f.file}:${f.line}`))).toEqual(new Set(['mm/many.c:3']));
    expect(new Set(unhandled.map((f) => f.messageId))).toEqual(new Set(['switchMissesType']));
    expect(unhandled.some((f) => f.data?.['type'] === 'MEMORY_DEVICE_N0')).toBe(false);
    expect(unhandled.filter((f) => f.data?.['type'] === 'MEMORY_DEVICE_ALT')).toHaveLength(1);
  }, 120_000);
});
