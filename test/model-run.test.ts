// The model wired into a run: ctx.model() per series, the report's model key, the text summary
// and the GitHub delta table, on the project's own fixtures.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/pipeline.js';
import { formatText } from '../src/report/text.js';
import { toJsonReport } from '../src/report/json.js';
import { formatGithub } from '../src/report/github.js';
import { RULES } from '../src/rules.js';
import type { ReportInput } from '../src/report/types.js';

const FABRIC = 'rules/kconfig-text-contradicts-model/fixtures/bad-series-documented-type.mbox';
const STUB = 'rules/missing-config-stub/fixtures/bad-ifdef-no-stub.mbox';

async function run(path: string, kernel: string | null = null) {
  const rules = RULES.filter((r) => ['kconfig-text-contradicts-model', 'missing-config-stub'].includes(r.meta.id));
  // As the CLI passes a --kernel (src/config mergeOptions).
  const r = await check([{ kind: 'path', path }], {
    tree: null,
    kernel,
    kernelFrom: kernel === null ? null : 'given with --kernel',
    rules,
  });
  const input: ReportInput = {
    collection: r.collection,
    findings: r.findings,
    rules: [],
    tool: { name: 'zdcheck', version: '0' },
    model: r.model,
  };
  return { r, input };
}

describe('model in the run', () => {
  it('gives each series its kernel, delta and obligations, settled by the rules', async () => {
    const { r } = await run(FABRIC);
    expect(r.model.series).toHaveLength(1);
    const s = r.model.series[0]!;
    expect(s.kernel.basis).toBe('diff');
    expect(s.delta.typesAdded.map((t) => [t.name, t.known])).toEqual([['MEMORY_DEVICE_FABRIC', 'unknown']]);
    expect(s.delta.kconfigAdded.map((k) => k.name)).toEqual(['DEVICE_FABRIC']);
    const kconfig = s.obligations.find((o) => o.id === 'kconfig-text-agrees:DEVICE_FABRIC')!;
    expect([kconfig.status, kconfig.met]).toEqual(['unmet', false]);
    expect(s.obligations.find((o) => o.id === 'type-documented:MEMORY_DEVICE_FABRIC')!.met).toBe(true);
  });

  it("settles a new type's helper from the helpers the series adds: met when one names the type in its definition", async () => {
    const r = await check([{ kind: 'path', path: 'fixtures/examples/device-public.mbox' }], {
      tree: null,
      kernel: null,
      rules: [],
    });
    const helper = r.model.series[0]!.obligations.find((o) => o.id === 'type-helper:MEMORY_DEVICE_PUBLIC')!;
    expect([helper.status, helper.note]).toEqual(['met', 'is_device_public_page()']);
    const { r: fabric } = await run(FABRIC);
    const missing = fabric.model.series[0]!.obligations.find((o) => o.id === 'type-helper:MEMORY_DEVICE_FABRIC')!;
    expect([missing.status, missing.note]).toEqual(['unmet', 'no helper the series adds tests MEMORY_DEVICE_FABRIC']);
  });

  it('follows --kernel and says so', async () => {
    const { r } = await run(STUB, '4.14');
    expect(r.model.series[0]!.kernel.reason).toContain('given with --kernel');
    // A caller that does not say where its kernel came from (the hook, the Action) claims no flag.
    const told = await check([{ kind: 'path', path: STUB }], { tree: null, kernel: '4.14', rules: [] });
    expect(told.model.series[0]!.kernel.reason).toMatch(/^kernel 4\.14 \(given\)/);
    expect(r.model.series[0]!.obligations.map((o) => [o.id, o.status])).toEqual([
      ['helper-config-stub:is_devmem_coherent_page', 'unmet'],
    ]);
  });

  it('shows up in the text, JSON and GitHub reports', async () => {
    const { r, input } = await run(FABRIC);
    const text = formatText(input);
    const newest = r.model.series[0]!.kernel.release;
    expect(text).toContain(
      '\nmodel: kernel 4.18 or later inferred from MEMORY_DEVICE_PRIVATE and MEMORY_DEVICE_FS_DAX in context lines of include/linux/memremap.h\n' +
        `  the model of ${newest} is used, the newest release in that range\n` +
        '  delta: +type MEMORY_DEVICE_FABRIC (unknown to zdcheck); +Kconfig DEVICE_FABRIC\n' +
        // The unmet Kconfig text is the kconfig-text-contradicts-model error above: not said twice.
        // No finding says the helper is missing, nor that no rule here looked at the switches.
        '  unmet: MEMORY_DEVICE_FABRIC has an is_*_page()/folio_is_*() helper beside the others (no helper the series adds tests MEMORY_DEVICE_FABRIC)\n' +
        '  not checked: every switch over enum memory_type handles MEMORY_DEVICE_FABRIC\n\n',
    );
    expect(text).toContain('ERROR: kconfig-text-contradicts-model: the prompt of DEVICE_FABRIC');
    expect(text.trimEnd().split('\n').pop()).toMatch(/^total: /);
    const json = toJsonReport(input);
    expect(json.model!.series[0]!.delta.kconfigAdded[0]!.name).toBe('DEVICE_FABRIC');
    const gh = formatGithub(input);
    expect(gh.summary).toContain('| change | what | patch |');
    expect(gh.summary).toContain('| memory type added | MEMORY\\_DEVICE\\_FABRIC \\(unknown to zdcheck\\) |');
  });

  it('prints in the text only what a reader can act on: no tallies, nothing met, nothing a finding said, no count of unchanged series', async () => {
    const mbox = join(mkdtempSync(join(tmpdir(), 'zdcheck-model-text-')), 'two.mbox');
    writeFileSync(
      mbox,
      [
        'fixtures/examples/device-public.mbox',
        'rules/duplicate-enumerator/fixtures/good-device-public.mbox',
        'fixtures/clean/single.patch',
      ]
        .map((f) => readFileSync(f, 'utf8').replace(/\n*$/, '\n\n'))
        .join(''),
    );
    try {
      const r = await check([{ kind: 'path', path: mbox }], { tree: null, kernel: null, rules: RULES });
      const text = formatText({
        collection: r.collection,
        findings: r.findings,
        rules: [],
        tool: { name: 'zdcheck', version: '0' },
        model: r.model,
      });
      const block = text.slice(text.indexOf('series "'), text.indexOf('\ntotal: '));
      // The switches left unchecked without a tree: the unhandled-memory-type INFO line says so.
      expect(text).toContain('INFO: unhandled-memory-type: switches over enum memory_type');
      expect(block).not.toContain('every switch over enum memory_type');
      // What no finding says is named: no rule settles whether a new type is documented.
      expect(block).toContain(
        '  not checked: MEMORY_DEVICE_PUBLIC is documented above enum memory_type with its properties\n',
      );
      expect(block).not.toMatch(/obligations:|\bmet\b|undecided|other series change nothing/);
    } finally {
      rmSync(dirname(mbox), { recursive: true, force: true });
    }
  });

  it('says in the summary what a rule could not decide, and where the base tree differs from the data', async () => {
    const summary = async (path: string, tree: string | null) => {
      const r = await check([{ kind: 'path', path }], { tree, kernel: null, rules: RULES });
      return r.model.series[0]!.summary.slice(1);
    };
    expect((await summary(FABRIC, null)).slice(2)).toEqual([
      '  unmet: MEMORY_DEVICE_FABRIC has an is_*_page()/folio_is_*() helper beside the others (no helper the series adds tests MEMORY_DEVICE_FABRIC)',
      '  unmet: the prompt and help of DEVICE_FABRIC agree with the memory type it enables (mm/Kconfig:62)',
      '  not checked: every switch over enum memory_type handles MEMORY_DEVICE_FABRIC (no base tree: switches outside the hunks not checked)',
    ]);
    expect(
      (
        await summary(
          'rules/unhandled-memory-type/fixtures/bad-new-switch.mbox',
          'rules/unhandled-memory-type/fixtures/tree',
        )
      )[0],
    ).toBe(
      "  the base tree's enum memory_type differs from zdcheck's data (MEMORY_DEVICE_FS_DAX, MEMORY_DEVICE_GENERIC, MEMORY_DEVICE_PCI_P2PDMA); the tree is followed",
    );
    // The ZONE_DEVICE era only where it matters: the series changes what an architecture provides.
    expect(
      (await summary('rules/zone-device-without-devmap/fixtures/bad-enable-without-devmap.mbox', null))[0],
    ).toMatch(/^ {2}ZONE_DEVICE era [a-z0-9-]+ \(.+\)$/);
    expect((await summary(FABRIC, null)).some((l) => l.includes('ZONE_DEVICE era'))).toBe(false);
  });

  it("names a select of another era's symbol as such in the text and GitHub summaries, not as ZONE_DEVICE gained", async () => {
    const rules = RULES.filter((r) => r.meta.id === 'zone-device-page-size-condition');
    const r = await check(
      [{ kind: 'path', path: 'rules/zone-device-page-size-condition/fixtures/bad-4k-pages-only.mbox' }],
      { tree: null, kernel: '6.1', rules },
    );
    const s = r.model.series[0]!;
    expect(s.delta.archesGained).toEqual([]);
    expect(s.summary.join('\n')).toContain(
      '+select ARCH_HAS_ZONE_DEVICE if ARM64_4K_PAGES on arm64 (enables ZONE_DEVICE in 4.12–5.2, not in 6.1)',
    );
    expect(s.summary.join('\n')).not.toContain('+ZONE_DEVICE on arm64');
    const input: ReportInput = {
      collection: r.collection,
      findings: r.findings,
      rules: [],
      tool: { name: 'zdcheck', version: '0' },
      model: r.model,
    };
    const gh = formatGithub(input).summary;
    expect(gh).toContain(
      '| select of another era added | arm64 \\(ARCH\\_HAS\\_ZONE\\_DEVICE if ARM64\\_4K\\_PAGES: enables ZONE\\_DEVICE in 4\\.12–5\\.2, not in 6\\.1\\) |',
    );
    expect(gh).not.toContain('ZONE\\_DEVICE gained');
  });

  it("lists the base tree's differences from the data in the GitHub summary, without the repeated tail", async () => {
    const r = await check([{ kind: 'path', path: 'rules/unhandled-memory-type/fixtures/bad-new-switch.mbox' }], {
      tree: 'rules/unhandled-memory-type/fixtures/tree',
      kernel: null,
      rules: RULES,
    });
    const input: ReportInput = {
      collection: r.collection,
      findings: r.findings,
      rules: [],
      tool: { name: 'zdcheck', version: '0' },
      model: r.model,
    };
    const lines = formatGithub(input).summary.split('\n');
    const at = lines.indexOf("The base tree differs from zdcheck's data in 3 places; the tree is followed:");
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 4).map((l) => l.replace(/ for \S+ but/, ' for X but'))).toEqual(
      ['FS\\_DAX', 'GENERIC', 'PCI\\_P2PDMA'].map(
        (n) => `- the model lists MEMORY\\_DEVICE\\_${n} for X but the base tree's enum memory\\_type does not have it`,
      ),
    );
  });

  it('refuses a bad --kernel before reading anything', async () => {
    await expect(run(STUB, 'banana')).rejects.toThrow(/--kernel/);
  });
});
