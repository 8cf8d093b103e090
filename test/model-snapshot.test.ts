import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as load from '../src/model/load.js';

// Each test works on its own copy of rules/model/ (snapshot in the copy's dist/), so the
// snapshot the build left for the other test files is never rewritten under them.
const temps: string[] = [];
function copyOfModel(): string {
  const root = mkdtempSync(join(tmpdir(), 'zdcheck-snapshot-'));
  temps.push(root);
  const dir = join(root, 'rules', 'model');
  cpSync(load.defaultModelDir(), dir, { recursive: true });
  return dir;
}
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

describe('model snapshot', () => {
  it('holds the same model as the YAML files it was made from', () => {
    const dir = copyOfModel();
    load.writeModelSnapshot(dir);
    const snap = load.currentSnapshot(dir);
    expect(snap).not.toBeNull();
    expect(load.modelFromSnapshot(snap!)).toEqual(load.loadModelFrom(dir));
  });

  it('is ignored once a model file has changed since it was made, and current again when restored', () => {
    const dir = copyOfModel();
    load.writeModelSnapshot(dir);
    expect(load.currentSnapshot(dir)).not.toBeNull();
    const file = join(dir, 'releases.yaml');
    const original = readFileSync(file);
    appendFileSync(file, '# an edit\n');
    expect(load.currentSnapshot(dir)).toBeNull();
    writeFileSync(file, original);
    expect(load.currentSnapshot(dir)).not.toBeNull();
  });

  it('is ignored when a model file is added', () => {
    const dir = copyOfModel();
    load.writeModelSnapshot(dir);
    writeFileSync(join(dir, 'extra.yaml'), 'releases: []\n');
    expect(load.currentSnapshot(dir)).toBeNull();
  });
});
