import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline.js';
import { readCase, runCase, testRule, type Mode } from '../../test/rule-tester.js';
import rule from './index.js';

const ID = 'unhandled-memory-type';

// The cases run hunks only and with their tree (X-Modes: mail tree); without a tree the bad ones
// also carry the info line on what could not be checked (X-Expect-Mail).
testRule(rule, import.meta.dirname);

/** The rule's findings on one case in one mode. */
async function findingsOf(name: string, mode: Mode) {
  const r = await runCase(readCase(join(import.meta.dirname, 'fixtures', `${name}.mbox`)), mode, [rule], new Set([ID]));
  return r.findings.filter((f) => f.rule === ID);
}

describe(`${ID}: fixtures`, () => {
  it('hunks only: the switches the series shows are errors, one info line says the rest was not checked', async () => {
    const brief = async (f: string) =>
      (await findingsOf(f, 'mail')).map((x) => `${x.severity} ${x.messageId} ${x.file}:${x.line}`);
    expect(await brief('bad-new-switch')).toEqual([
      'error switchMissesType mm/devmem.c:6',
      'info switchesNotChecked null:null',
    ]);
    expect(await brief('bad-touched-switch')).toEqual([
      'error switchMissesType mm/memremap.c:6',
      'info switchesNotChecked null:null',
    ]);
    // A good case handles the type in the switches it shows; the others are still unchecked without its tree.
    expect(await brief('good-handled')).toEqual(['info switchesNotChecked null:null']);
  });

  it('names the switch, what it handles and what its default does', async () => {
    const onEnum = (await findingsOf('bad-new-switch', 'tree')).find((f) => f.file === 'include/linux/memremap.h')!;
    // Which switch and where on the one line; what it handles and what its default does in the detail.
    expect([onEnum.messageId, onEnum.data]).toEqual([
      'typeNotHandled',
      {
        type: 'MEMORY_DEVICE_FABRIC',
        switch: '(pgmap->type) in pagemap_setup()',
        at: 'mm/memremap.c:6',
      },
    ]);
    expect(onEnum.detail).toBe(
      'it handles MEMORY_DEVICE_PRIVATE, MEMORY_DEVICE_COHERENT, and its default fails ' +
        '(WARN(1, "Invalid pgmap type %d\\n", pgmap->type);); add a case for it',
    );
    const info = (await findingsOf('bad-new-switch', 'mail')).find((f) => f.severity === 'info')!;
    expect([info.messageId, info.data]).toEqual(['switchesNotChecked', { types: 'MEMORY_DEVICE_FABRIC' }]);
    expect(info.patch).toBe('[PATCH 1/2] mm/devmem: add a memory type for fabric-attached memory');
  });
});

describe(`${ID}: a base tree built here`, () => {
  const root = mkdtempSync(join(tmpdir(), 'zdcheck-umt-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  put('include/linux/memremap.h', 'enum memory_type {\n\tMEMORY_DEVICE_PRIVATE = 1,\n\tMEMORY_DEVICE_FS_DAX,\n};\n');
  // No default at all: reported. A default that falls through into a BUG(): reported.
  put(
    'drivers/a.c',
    'int a(struct dev_pagemap *p)\n{\n\tswitch (p->type) {\n\tcase MEMORY_DEVICE_PRIVATE:\n\t\treturn 1;\n\t}\n\treturn 0;\n}\n',
  );
  put(
    'drivers/b.c',
    'void b(struct dev_pagemap *p)\n{\n\tswitch (p->type) {\n\tdefault:\n\t\tfallthrough;\n\tcase MEMORY_DEVICE_FS_DAX:\n\t\tBUG();\n\t}\n}\n',
  );
  // Handles every type but not by name: its default is ordinary, not reported.
  put(
    'drivers/c.c',
    'int c(struct dev_pagemap *p)\n{\n\tswitch (p->type) {\n\tcase MEMORY_DEVICE_PRIVATE:\n\t\treturn 1;\n\tdefault:\n\t\treturn 0;\n\t}\n}\n',
  );
  // A switch over something else that happens to sit beside one: not reported.
  put(
    'drivers/d.c',
    'int d(int x)\n{\n\tswitch (x) {\n\tcase 1:\n\t\treturn 1;\n\t}\n\treturn 0;\n}\n/* case MEMORY_DEVICE_PRIVATE: in a comment */\n',
  );
  const mbox = join(root, 'series.mbox');
  writeFileSync(
    mbox,
    `From 0000000000000000000000000000000000000001 Mon Sep 17 00:00:00 2001
From: Fixture Author <fixture@example.org>
Date: Wed, 25 Nov 2026 18:50:26 +0000
Subject: [PATCH] mm: add a type

Signed-off-by: Fixture Author <fixture@example.org>
---
diff --git a/include/linux/memremap.h b/include/linux/memremap.h
--- a/include/linux/memremap.h
+++ b/include/linux/memremap.h
@@ -1,4 +1,5 @@
 enum memory_type {
 	MEMORY_DEVICE_PRIVATE = 1,
 	MEMORY_DEVICE_FS_DAX,
+	MEMORY_DEVICE_FOO,
 };
`,
  );

  it('reports each failing switch of the tree on the enum line, naming it', async () => {
    const { findings } = await check([{ kind: 'path', path: mbox }], { tree: root, kernel: null, rules: [rule] });
    expect(findings.map((f) => `${f.severity} ${f.file}:${f.line} ${f.messageId} ${f.data?.['at']}`)).toEqual([
      'error include/linux/memremap.h:4 typeNotHandled drivers/a.c:3',
      'error include/linux/memremap.h:4 typeNotHandled drivers/b.c:3',
    ]);
    expect(findings[0]!.detail).toContain('has no default');
    expect(findings[1]!.detail).toContain('its default fails (BUG();)');
  });
});
