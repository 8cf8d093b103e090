// The ZONE_DEVICE world gate (src/engine/world.ts, rules/model/world.yaml): the code rules and the
// model run only on series that touch the world; the mail checks on every series; --all-series and
// the config's `all-series: true` run everything everywhere. And the gate never hides a change of
// the model: a series outside the world changes nothing the model records.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { touchesWorld, worldWords } from '../src/engine/world.js';
import { loadModel } from '../src/model/load.js';
import { check, collect } from '../src/pipeline.js';
import { RULES } from '../src/rules.js';
import { allFixtureFiles } from './helpers/rule-paths.js';
import { ensureBuilt, zdcheck } from './cli-helpers.js';

const W = 'fixtures/world';
const model = loadModel();

async function seriesOf(path: string) {
  const c = await collect([{ kind: 'path', path }]);
  return c.series;
}

async function rulesFiring(path: string, allSeries: boolean): Promise<string[]> {
  const r = await check([{ kind: 'path', path }], { tree: null, kernel: null, rules: RULES, jobs: 1, allSeries });
  return r.findings.map((f) => f.rule);
}

describe('the ZONE_DEVICE world', () => {
  it('leaves out a series that touches nothing of it', async () => {
    const [s] = await seriesOf(`${W}/net-driver.mbox`);
    expect(touchesWorld(s!, model)).toBe(false);
  });

  it.each([
    ['balloon-driver', 'a name of the API headers (add_memory_driver_managed)'],
    ['config-symbol', 'CONFIG_ and a Kconfig symbol of the model'],
    ['new-page-predicate', 'the shape of a page-type predicate the model does not know'],
  ])('takes in %s: %s', async (name) => {
    const [s] = await seriesOf(`${W}/${name}.mbox`);
    expect(touchesWorld(s!, model)).toBe(true);
  });

  it('takes in a patch mailed to a list of it, whatever it touches, and runs the code rules on it', async () => {
    const [s] = await seriesOf(`${W}/list-posting.mbox`);
    expect(touchesWorld(s!, model)).toBe(true);
    expect(await rulesFiring(`${W}/list-posting.mbox`, false)).toEqual(['hunk-breaks-syntax']);
    // The same patch copied to another list only: outside.
    expect(touchesWorld({ ...s!, patches: s!.patches.map((p) => ({ ...p, recipients: [] })) }, model)).toBe(false);
  });

  it('takes in a series by path alone (mm/, an arch Kconfig, a DAX driver)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zdcheck-world-'));
    try {
      for (const path of ['mm/page_alloc.c', 'arch/riscv/Kconfig', 'drivers/dax/bus.c', 'include/linux/memremap.h']) {
        const file = join(dir, 'p.patch');
        writeFileSync(
          file,
          `From: A <a@example.org>\nSubject: [PATCH] x\n\n---\n--- a/${path}\n+++ b/${path}\n@@ -1,2 +1,3 @@\n a\n+b\n c\n`,
        );
        const [s] = await seriesOf(file);
        expect(touchesWorld(s!, model), path).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes in a series by a name built on its words (kvm_is_zone_device_page, pci_p2pdma_map_segment)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zdcheck-world-'));
    try {
      const file = join(dir, 'p.patch');
      const patch = (line: string) =>
        `From: A <a@example.org>\nSubject: [PATCH] x\n\n---\n--- a/drivers/x/y.c\n+++ b/drivers/x/y.c\n@@ -1,2 +1,3 @@\n a\n+${line}\n c\n`;
      for (const line of ['\tif (kvm_is_zone_device_page(page))', '\tseg = pci_p2pdma_map_segment(&state, dev, sg);']) {
        writeFileSync(file, patch(line));
        const [s] = await seriesOf(file);
        expect(touchesWorld(s!, model), line).toBe(true);
      }
      writeFileSync(file, patch('\tif (netif_running(dev))'));
      const [s] = await seriesOf(file);
      expect(touchesWorld(s!, model)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("does not count the model's struct members alone: `goto cleanup;` is no ZONE_DEVICE code", () => {
    const words = worldWords(model);
    expect(words.has('cleanup')).toBe(false);
    expect(words.has('kill')).toBe(false);
    expect(words.has('MEMORY_DEVICE_PRIVATE')).toBe(true);
    expect(words.has('CONFIG_ZONE_DEVICE')).toBe(true);
  });

  it('runs only the mail checks outside it, every rule with allSeries', async () => {
    expect(await rulesFiring(`${W}/net-driver.mbox`, false)).toEqual(['missing-signoff']);
    expect((await rulesFiring(`${W}/net-driver.mbox`, true)).sort()).toEqual(['missing-signoff', 'uncalled-predicate']);
  });

  it('--all-series and the config key all-series ask for every series', () => {
    ensureBuilt();
    const plain = zdcheck(['--format', 'json', `${W}/net-driver.mbox`]);
    const flag = zdcheck(['--format', 'json', '--all-series', `${W}/net-driver.mbox`]);
    const rulesOf = (out: string) => (JSON.parse(out) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    expect(rulesOf(plain.stdout)).toEqual(['missing-signoff']);
    expect(rulesOf(flag.stdout)).toContain('uncalled-predicate');
    const dir = mkdtempSync(join(tmpdir(), 'zdcheck-world-'));
    try {
      writeFileSync(join(dir, '.zdcheck.yml'), 'all-series: true\n');
      const fromConfig = zdcheck(['--format', 'json', '--repo', dir, `${W}/net-driver.mbox`]);
      expect(rulesOf(fromConfig.stdout)).toContain('uncalled-predicate');
      writeFileSync(join(dir, '.zdcheck.yml'), 'all-series: "yes"\n');
      const bad = zdcheck(['--repo', dir, `${W}/net-driver.mbox`]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('"all-series" must be true or false');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('outside it, the kernel is chosen from the mail alone and the base tree is not read, as the report says', async () => {
    const tree = 'rules/uncalled-predicate/fixtures/tree';
    const run = (path: string) => check([{ kind: 'path', path }], { tree, kernel: null, rules: [], jobs: 1 });
    const outside = (await run(`${W}/net-driver.mbox`)).model.series[0]!.kernel;
    expect(outside.basis).not.toBe('tree');
    expect(outside.reason).toContain(
      'the base tree was not read for it: the series touches nothing of the ZONE_DEVICE world',
    );
    const inside = (await run(`${W}/balloon-driver.mbox`)).model.series[0]!.kernel;
    expect(inside.basis).toBe('tree');
    expect(inside.reason).not.toContain('was not read');
    // Nor is the diff read for clues: a context line naming a helper of the model (which alone does
    // not put the series in the world) would otherwise date it.
    const dir = mkdtempSync(join(tmpdir(), 'zdcheck-world-'));
    try {
      const file = join(dir, 'p.mbox');
      const text = readFileSync(`${W}/net-driver.mbox`, 'utf8').replace(
        ' static int foo_open(struct net_device *dev)',
        ' static int foo_open(struct net_device *dev) /* folio_is_device_coherent */',
      );
      writeFileSync(file, text);
      const [s] = await seriesOf(file);
      expect(touchesWorld(s!, model)).toBe(false);
      const plain = await check([{ kind: 'path', path: file }], { tree: null, kernel: null, rules: [], jobs: 1 });
      expect(plain.model.series[0]!.kernel.basis).not.toBe('diff');
      const all = await check([{ kind: 'path', path: file }], {
        tree: null,
        kernel: null,
        rules: [],
        jobs: 1,
        allSeries: true,
      });
      expect(all.model.series[0]!.kernel.basis).toBe('diff');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hides no change of the model: every fixture series outside it has an empty delta', async () => {
    let outside = 0;
    for (const f of allFixtureFiles().filter((x) => /\.(mbox|patch|eml)$/.test(x.path))) {
      const series = await seriesOf(f.path).catch(() => []);
      const out = series.filter((s) => !touchesWorld(s, model)).map((s) => s.key);
      if (!out.length) continue;
      outside += out.length;
      const r = await check([{ kind: 'path', path: f.path }], {
        tree: null,
        kernel: null,
        rules: [],
        jobs: 1,
        allSeries: true,
      });
      for (const m of r.model.series.filter((m) => out.includes(m.series)))
        expect(m.empty, `${f.rel} ${m.series}`).toBe(true);
    }
    expect(outside).toBeGreaterThan(0);
  });
});
