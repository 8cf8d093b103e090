import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import rule from '../rules/removed-type-still-used.js';
import { codeLines } from '../rules/lib/code-lines.js';
import { runRules } from './helpers/run-rules.js';
import { check } from '../src/pipeline.js';
import type { Collection } from '../src/types.js';
import { fixtureFiles, fixtureTree, runFixture } from './rule-fixture-helpers.js';
import { patchOf, seriesOf } from './source-helpers.js';

const ID = 'removed-type-still-used';

describe(`${ID}: fixtures`, () => {
  for (const file of fixtureFiles(ID)) {
    it(`${file} with the base tree: exactly its X-Expect findings`, async () => {
      const run = await runFixture(file, rule, fixtureTree(ID));
      expect(run.actual).toEqual(run.expected);
      if (file.includes('/bad-')) expect(run.expected.length).toBeGreaterThan(0);
      expect(run.findings.filter((f) => f.rule === 'internal-error' || f.rule === 'does-not-apply')).toEqual([]);
    });
  }

  it('hunks only: uses the series adds, and one info line for the rest of the tree', async () => {
    const brief = async (f: string) => (await runFixture(`fixtures/${ID}/${f}.mbox`, rule, null)).findings
      .filter((x) => x.rule === ID).map((x) => `${x.severity} ${x.file}:${x.line}`);
    expect(await brief('bad-added-use')).toEqual(['error mm/devmem.c:6', 'info null:null']);
    expect(await brief('bad-removed-still-used')).toEqual(['info null:null']);
    expect(await brief('good-rename-complete')).toEqual(['info null:null']);
  });

  it('names every remaining use, and the new name of a rename', async () => {
    const run = await runFixture(`fixtures/${ID}/bad-rename-incomplete.mbox`, rule, fixtureTree(ID));
    expect(run.findings.filter((f) => f.rule === ID).map((f) => f.message)).toEqual([
      'MEMORY_DEVICE_PUBLIC is renamed to MEMORY_DEVICE_COHERENT by this series but still used at mm/hmm.c:12; rename those uses too',
    ]);
  });
});

function findingsFor(diff: string): string[] {
  const collection: Collection = { series: [seriesOf(patchOf('p1', diff))], stray: [], unreadable: [], gitBase: null };
  return runRules([rule], collection, { tree: null, kernel: null }, { base: null }).map((f) => `${f.severity} ${f.line} ${f.message}`);
}

describe(`${ID}: hunks only`, () => {
  it('a use shown in a context line of the series is named; one in a comment is not', () => {
    expect(findingsFor(`--- a/include/linux/memremap.h
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
`)).toEqual([
      'error 3 MEMORY_DEVICE_PUBLIC is removed by this series but still used at include/linux/memremap.h:21; remove or convert those uses in the same series',
      'info null uses of MEMORY_DEVICE_PUBLIC outside the series\' hunks could not be checked (no base tree; give --tree or check a git range)',
    ]);
  });

  it('a name moved, not removed, is not a removal', () => {
    expect(findingsFor(`--- a/include/linux/memremap.h
+++ b/include/linux/memremap.h
@@ -1,5 +1,5 @@
 enum memory_type {
-	MEMORY_DEVICE_PUBLIC,
 	MEMORY_DEVICE_PRIVATE,
+	MEMORY_DEVICE_PUBLIC,
 };
`)).toEqual([]);
  });

  it('code lines blank comments and strings', () => {
    expect(codeLines([' * X in a comment */ Y', 'a = "X"; // X', '/* X */ X'])).toEqual([`${' '.repeat(21)}Y`, 'a = " "; ', `${' '.repeat(8)}X`]);
  });
});

describe(`${ID}: a base tree built here`, () => {
  const root = mkdtempSync(join(tmpdir(), 'zdcheck-rtsu-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  put('mm/Kconfig', 'config ZONE_DEVICE\n\tbool "Device memory"\n\nconfig DEVICE_PUBLIC\n\tbool "Addressable device memory"\n\tdepends on ZONE_DEVICE\n\nconfig HMM\n\tbool\n');
  put('drivers/gpu/Kconfig', 'config GPU_MEM\n\ttristate "GPU memory"\n\tselect DEVICE_PUBLIC\n\thelp\n\t  Uses DEVICE_PUBLIC memory.\n');
  put('drivers/gpu/mem.c', '#ifdef CONFIG_DEVICE_PUBLIC\nint gpu_public;\n#endif\n');
  put('drivers/gpu/Makefile', 'obj-$(CONFIG_DEVICE_PUBLIC) += mem.o\n');
  put('arch/x86/configs/x86_64_defconfig', 'CONFIG_DEVICE_PUBLIC=y\n');
  put('Documentation/mm/hmm.rst', 'CONFIG_DEVICE_PUBLIC is gone.\n');
  const mbox = join(root, 'series.mbox');
  writeFileSync(mbox, `From 0000000000000000000000000000000000000001 Mon Sep 17 00:00:00 2001
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
`);

  it('a Kconfig symbol: select, #ifdef and Makefile uses count; help text, defconfigs and Documentation do not', async () => {
    const { findings } = await check([{ kind: 'path', path: mbox }], { tree: root, kernel: null, rules: [rule] });
    expect(findings.map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([
      'mm/Kconfig:4 CONFIG_DEVICE_PUBLIC is removed by this series but still used at drivers/gpu/Kconfig:3, drivers/gpu/Makefile:1, '
        + 'drivers/gpu/mem.c:1; remove or convert those uses in the same series',
    ]);
  });
});
