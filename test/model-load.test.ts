import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultModelDir, loadModel, loadModelFrom } from '../src/model/load.js';
import { UsageError } from '../src/errors.js';

// Every copy is removed after the tests: a test run leaves nothing in the temporary folder.
const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

function brokenCopy(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'zdcheck-model-'));
  copies.push(dir);
  cpSync(defaultModelDir(), dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return dir;
}

function loadError(dir: string): string {
  try {
    loadModelFrom(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected the model to be rejected');
}

describe('model data', () => {
  it('every data file validates against the schema', () => {
    const m = loadModelFrom(defaultModelDir());
    expect(m.files.map((f) => f.replace(/.*\//, ''))).toEqual([
      'arch.yaml',
      'config-names.yaml',
      'devmap-contract.yaml',
      'hooks.yaml',
      'identifiers.yaml',
      'memory-types.yaml',
      'releases.yaml',
      'replacements.yaml',
      'world.yaml',
    ]);
    expect(m.types.map((t) => t.id)).toEqual([
      'host',
      'device-private',
      'device-public',
      'fs-dax',
      'generic',
      'pci-p2pdma',
      'device-coherent',
      'managed',
    ]);
  });

  it('loads once and caches', () => {
    expect(loadModel()).toBe(loadModel());
  });

  it('every fact carries a source and a confidence', () => {
    const m = loadModel();
    for (const t of m.types) {
      const all = [
        t.exists,
        t.names,
        t.values,
        t.callbacks,
        t.kconfig,
        t.helpers,
        t.iores,
        ...Object.values(t.properties),
      ].flat();
      for (const f of all) {
        expect(f.source.length, `${t.id}`).toBeGreaterThan(2);
        expect(['read', 'recalled']).toContain(f.confidence);
      }
    }
  });

  it('a wrong field value is one line naming the file and the field', () => {
    const dir = brokenCopy('memory-types.yaml', (s) =>
      s.replace('confidence: read, guard: CONFIG_DEV_PAGEMAP_OPS', 'confidence: sure, guard: CONFIG_DEV_PAGEMAP_OPS'),
    );
    const msg = loadError(dir);
    expect(msg).toMatch(
      /memory-types\.yaml: types\[2\] \(device-public\)\.helpers\[1\] \(is_device_public_page\)\.confidence: must be equal to one of the allowed values \(read, recalled\)/,
    );
    expect(msg).not.toContain('\n');
  });

  it('an unknown field is named', () => {
    const dir = brokenCopy('arch.yaml', (s) =>
      s.replace(
        'devmap_required: false\n    devmap_markers: []\n    source: "history: gate',
        'devmap_required: false\n    devmap_marker: []\n    source: "history: gate',
      ),
    );
    expect(loadError(dir)).toMatch(
      /arch\.yaml: eras\[0\] \(x86-64-only\)\.(devmap_marker: unknown field|devmap_markers: required field is missing)/,
    );
  });

  it('a malformed version and a release not in the table are named', () => {
    expect(
      loadError(
        brokenCopy('hooks.yaml', (s) => s.replace('since: "4.4", until: "4.11"', 'since: "4.4.1", until: "4.11"')),
      ),
    ).toMatch(/hooks\.yaml: hooks\[0\] \(arch_add_memory\)\.prototypes\[0\]\.since: must match pattern/);
    expect(
      loadError(
        brokenCopy('hooks.yaml', (s) => s.replace('since: "4.4", until: "4.11"', 'since: "4.44", until: "4.11"')),
      ),
    ).toMatch(/hooks\.yaml: hooks\[0\]\.prototypes\[0\]\.since: 4\.44 is not a release listed in releases\.yaml/);
    expect(
      loadError(
        brokenCopy('hooks.yaml', (s) => s.replace('since: "4.4", until: "4.11"', 'since: "4.11", until: "4.4"')),
      ),
    ).toMatch(/hooks\.yaml: hooks\[0\]\.prototypes\[0\]\.until: 4\.4 is not after since 4\.11/);
  });

  it('a YAML syntax error names the file and line', () => {
    expect(loadError(brokenCopy('arch.yaml', (s) => s.replace('eras:\n', 'eras:\n  - [unclosed\n')))).toMatch(
      /arch\.yaml:\d+: /,
    );
  });
});
