import { utimesSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('model snapshot', () => {
  it('loads the same model from the build snapshot as from the YAML files', async () => {
    const load = await import('../src/model/load.js');
    load.writeModelSnapshot();
    const fromSnapshot = load.loadModel();
    const fromYaml = load.loadModelFrom(load.defaultModelDir());
    expect(fromSnapshot).toEqual(fromYaml);
  });

  it('ignores a snapshot once a model file has changed since it was made', async () => {
    const load = await import('../src/model/load.js');
    load.writeModelSnapshot();
    const dir = load.defaultModelDir();
    expect(load.currentSnapshot(dir)).not.toBeNull();
    const file = join(dir, 'releases.yaml');
    const before = statSync(file);
    try {
      // A newer mtime stands for an edit: the snapshot no longer describes the YAML.
      utimesSync(file, before.atime, new Date(before.mtimeMs + 5000));
      expect(load.currentSnapshot(dir)).toBeNull();
    } finally {
      utimesSync(file, before.atime, before.mtime);
    }
    expect(load.currentSnapshot(dir)).not.toBeNull();
  });
});
