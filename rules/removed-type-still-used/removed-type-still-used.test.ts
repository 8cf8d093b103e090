import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline.js';
import type { Collection } from '../../src/types.js';
import { runRules } from '../../test/helpers/run-rules.js';
import { readCase, runCase, testRule, type Mode } from '../../test/rule-tester.js';
import { patchOf, seriesOf } from '../../test/source-helpers.js';
import { codeLines } from '../lib/code-lines.js';
import rule from './index.js';

const ID = 'removed-type-still-used';

// Every case runs with its base tree; the ones that also run on their hunks alone declare X-Modes:
// mail tree, the uses only the tree shows under X-Expect-Tree, the info line under X-Expect-Mail.
testRule(rule, import.meta.dirname);

/** The rule's findings on one case in one mode. */
async function findingsOf(name: string, mode: Mode) {
  const r = await runCase(readCase(join(import.meta.dirname, 'fixtures', `${name}.mbox`)), mode, [rule], new Set([ID]));
  return r.findings.filter((f) => f.rule === ID);
}

describe(`${ID}: fixtures`, () => {
  it('hunks only: uses the series adds are errors, one info line says the rest of the tree was not checked', async () => {
    const brief = async (f: string) =>
      (await findingsOf(f, 'mail')).map((x) => `${x.severity} ${x.messageId} ${x.file}:${x.line}`);
    expect(await brief('bad-added-use')).toEqual([
      'error usedAfterRemoval mm/devmem.c:6',
      'info usesNotChecked null:null',
    ]);
    expect(await brief('bad-removed-still-used')).toEqual(['info usesNotChecked null:null']);
    // A complete rename in the hunks is still unchecked in the rest of the tree without it.
    expect(await brief('good-rename-complete')).toEqual(['info usesNotChecked null:null']);
  });

  it('names every remaining use, and the new name of a rename', async () => {
    expect((await findingsOf('bad-rename-incomplete', 'tree')).map((f) => [f.messageId, f.data])).toEqual([
      ['renamedStillUsed', { name: 'MEMORY_DEVICE_PUBLIC', to: 'MEMORY_DEVICE_COHERENT', uses: 'mm/hmm.c:12' }],
    ]);
  });
});

/** `severity line messageId data`, one per finding. */
function findingsFor(diff: string): string[] {
  const collection: Collection = { series: [seriesOf(patchOf('p1', diff))], stray: [], unreadable: [], gitBase: null };
  return runRules([rule], collection, { tree: null, kernel: null }, { base: null }).map(
    (f) => `${f.severity} ${f.line} ${f.messageId} ${JSON.stringify(f.data)}`,
  );
}

describe(`${ID}: hunks only`, () => {
  it('a use shown in a context line of the series is named; one in a comment is not', () => {
    expect(
      findingsFor(`--- a/include/linux/memremap.h
+++ b/include/linux/memremap.h
@@ -1,5 +1,4 @@
 enum memory_type {
 	MEMORY_DEVICE_PRIVATE = 1,
-	MEMORY_DEVICE_PUBLIC,
 };
 /* MEMORY_DEVICE_PUBLIC: gone */
@@ -20,3 +19,3 @@ static int f(struct dev_pagemap *pgmap)
 	int a = 0;
-	int b = 1;
+	int b = 2;
 	return pgmap->type == MEMORY_DEVICE_PUBLIC;
`),
    ).toEqual([
      'error 3 removedStillUsed {"name":"MEMORY_DEVICE_PUBLIC","uses":"include/linux/memremap.h:21"}',
      'info null usesNotChecked {"names":"MEMORY_DEVICE_PUBLIC"}',
    ]);
  });

  it('a name moved, not removed, is not a removal', () => {
    expect(
      findingsFor(`--- a/include/linux/memremap.h
+++ b/include/linux/memremap.h
@@ -1,5 +1,5 @@
 enum memory_type {
-	MEMORY_DEVICE_PUBLIC,
 	MEMORY_DEVICE_PRIVATE,
+	MEMORY_DEVICE_PUBLIC,
 };
`),
    ).toEqual([]);
  });

  it('code lines blank comments and strings', () => {
    expect(codeLines([' * X in a comment */ Y', 'a = "X"; // X', '/* X */ X'])).toEqual([
      `${' '.repeat(21)}Y`,
      'a = " "; ',
      `${' '.repeat(8)}X`,
    ]);
  });
});

describe(`${ID}: a base tree built here`, () => {
  const root = mkdtempSync(join(tmpdir(), 'zdcheck-rtsu-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  put(
    'mm/Kconfig',
    'config ZONE_DEVICE\n\tbool "Device memory"\n\nconfig DEVICE_PUBLIC\n\tbool "Addressable device memory"\n\tdepends on ZONE_DEVICE\n\nconfig HMM\n\tbool\n',
  );
  put(
    'drivers/gpu/Kconfig',
    'config GPU_MEM\n\ttristate "GPU memory"\n\tselect DEVICE_PUBLIC\n\thelp\n\t  Uses DEVICE_PUBLIC memory.\n',
  );
  put('drivers/gpu/mem.c', '#ifdef CONFIG_DEVICE_PUBLIC\nint gpu_public;\n#endif\n');
  put('drivers/gpu/Makefile', 'obj-$(CONFIG_DEVICE_PUBLIC) += mem.o\n');
  put('arch/x86/configs/x86_64_defconfig', 'CONFIG_DEVICE_PUBLIC=y\n');
  put('Documentation/mm/hmm.rst', 'CONFIG_DEVICE_PUBLIC is gone.\n');
  const mbox = join(root, 'series.mbox');
  writeFileSync(
    mbox,
    `From 0000000000000000000000000000000000000001 Mon Sep 17 00:00:00 2001
From: Fixture Author <fixture@example.org>
Date: Wed, 25 Nov 2026 18:50:26 +0000
Subject: [PATCH] mm: remove DEVICE_PUBLIC

Signed-off-by: Fixture Author <fixture@example.org>
---
diff --git a/mm/Kconfig b/mm/Kconfig
--- a/mm/Kconfig
+++ b/mm/Kconfig
@@ -1,9 +1,5 @@
 config ZONE_DEVICE
 	bool "Device memory"
 
-config DEVICE_PUBLIC
-	bool "Addressable device memory"
-	depends on ZONE_DEVICE
-
 config HMM
 	bool
`,
  );

  it('a Kconfig symbol: select, #ifdef and Makefile uses count; help text, defconfigs and Documentation do not', async () => {
    const { findings } = await check([{ kind: 'path', path: mbox }], { tree: root, kernel: null, rules: [rule] });
    expect(findings.map((f) => [`${f.file}:${f.line}`, f.messageId, f.data])).toEqual([
      [
        'mm/Kconfig:4',
        'removedStillUsed',
        { name: 'CONFIG_DEVICE_PUBLIC', uses: 'drivers/gpu/Kconfig:3, drivers/gpu/Makefile:1, drivers/gpu/mem.c:1' },
      ],
    ]);
  });
});
