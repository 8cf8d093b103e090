// npm run bench:series — the source/syntax layer under load: generates mbox series of C
// patches in memory (1x, 2x, 4x), runs mail -> patch -> series (collect), every registered
// rule, and the C layer alone (images + one tree-sitter parse per image + the two C rules),
// and prints patches/s, hunks/s, peak memory and how time grows with input. Needs dist/.
//   HUNKS=8 FILES=3 PATCHES=150 node --expose-gc bench/series.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url);
const { collect } = await import(new URL('src/pipeline.js', dist).href);
const { createRun } = await import(new URL('src/engine/check.js', dist).href);
const { RULES } = await import(new URL('src/rules.js', dist).href);

/** The engine's own series loop over a collection (the run path bench/kernel-check.mjs takes too). */
function runRules(rules, collection, options) {
  const run = createRun(rules, collection, options, {});
  collection.series.forEach((s, k) => run.series(s, k));
  return run.finish(collection.series.length);
}

const HUNKS_PER_FILE = Number(process.env.HUNKS ?? 8);
const FILES_PER_PATCH = Number(process.env.FILES ?? 3);
const BASE_PATCHES = Number(process.env.PATCHES ?? 150);

function hunk(p, f, h) {
  const start = 20 + h * 40;
  const body = [
    ` \tif (is_zone_device_page(page)) {`,
    ` \t\tif (is_device_private_page(page))`,
    `-\t\t\textra++;`,
    `+\t\t\textra += devmem_weight_${p}_${f}(page, ${h});`,
    `+\t\telse if (pte_devmap(pte) && !pmd_devmap(*pmd))`,
    `+\t\t\tstate = DEVMEM_STATE_${h % 7};`,
    ` \t}`,
    ` \treturn extra;`,
  ];
  const old = body.filter((l) => !l.startsWith('+')).length;
  const neu = body.filter((l) => !l.startsWith('-')).length;
  return [`@@ -${start},${old} +${start + h * 2},${neu} @@ static int devmem_fn_${h}(struct page *page, pte_t pte, pmd_t *pmd)`, ...body];
}

const enumHunk = (p) => [`@@ -5,4 +5,5 @@ enum devmem_state_${p} {`, ' \tDEVMEM_A,', ' \tDEVMEM_B,', `+\tDEVMEM_P${p},`, ' \tDEVMEM_LAST', ' };'];

function mbox(patches) {
  const out = [];
  for (let p = 1; p <= patches; p++) {
    const lines = [
      'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
      'From: Bench Author <bench@example.org>',
      'Date: Wed, 25 Nov 2026 12:00:00 +0000',
      `Subject: [PATCH ${p}/${patches}] mm/devmem: generated change ${p}`,
      `Message-Id: <bench-${p}@example.org>`,
      ...(p > 1 ? ['In-Reply-To: <bench-1@example.org>'] : []),
      '', `Generated change ${p}.`, '', 'Signed-off-by: Bench Author <bench@example.org>', '---',
    ];
    for (let f = 0; f < FILES_PER_PATCH; f++) {
      const path = `mm/devmem_${p % 40}_${f}.c`;
      lines.push(`diff --git a/${path} b/${path}`, 'index 1111111..2222222 100644', `--- a/${path}`, `+++ b/${path}`);
      for (let h = 0; h < HUNKS_PER_FILE; h++) lines.push(...hunk(p, f, h));
    }
    const hdr = `include/linux/devmem_${p}.h`;
    lines.push(`diff --git a/${hdr} b/${hdr}`, 'index 1111111..2222222 100644', `--- a/${hdr}`, `+++ b/${hdr}`, ...enumHunk(p));
    lines.push('-- ', '2.39.5', '', '');
    out.push(lines.join('\n'));
  }
  return out.join('');
}

const cRules = RULES.filter((r) => r.meta.id === 'uncalled-predicate' || r.meta.id === 'duplicate-enumerator');
const dir = mkdtempSync(join(tmpdir(), 'zdcheck-series-bench-'));
const rows = [];
try {
  for (const scale of [1, 2, 4]) {
    const patches = BASE_PATCHES * scale;
    const file = join(dir, `series-${scale}.mbox`);
    const text = mbox(patches);
    writeFileSync(file, text);
    globalThis.gc?.();
    const t0 = performance.now();
    const collection = await collect([{ kind: 'path', path: file }]);
    const t1 = performance.now();
    const findings = runRules(RULES, collection, { tree: null, kernel: null });
    const t2 = performance.now();
    runRules(cRules, collection, { tree: null, kernel: null });
    const t3 = performance.now();
    const hunks = patches * (FILES_PER_PATCH * HUNKS_PER_FILE + 1);
    rows.push({
      patches, hunks, MiB: (text.length / 2 ** 20).toFixed(1),
      collectMs: Math.round(t1 - t0), allRulesMs: Math.round(t2 - t1), cLayerMs: Math.round(t3 - t2),
      cLayerUsPerHunk: Math.round(((t3 - t2) * 1000) / hunks),
      patchesPerSec: Math.round(patches / ((t2 - t0) / 1000)), hunksPerSec: Math.round(hunks / ((t2 - t0) / 1000)),
      findings: findings.length, heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.table(rows);
const [a, , c] = rows;
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB; ${RULES.length} rules; `
  + `${FILES_PER_PATCH} C files x ${HUNKS_PER_FILE} hunks + 1 header hunk per patch; load average ${loadavg()[0].toFixed(1)}`);
console.log(`growth 1x -> 4x (input x4, linear = 4): whole run x${((c.collectMs + c.allRulesMs) / (a.collectMs + a.allRulesMs)).toFixed(2)}, `
  + `C layer x${(c.cLayerMs / a.cLayerMs).toFixed(2)}`);
