import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import rule from '../rules/model-differs-from-tree.js';
import { check } from '../src/pipeline.js';
import { runAsGitRange } from './rule-fixture-helpers.js';

const ID = 'model-differs-from-tree';
const DIR = `fixtures/${ID}`;
const root = mkdtempSync(join(tmpdir(), 'zdcheck-mdft-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function messages(file: string, tree: string | null): Promise<string[]> {
  const r = await check([{ kind: 'path', path: file }], { tree, kernel: null, rules: [rule] });
  return r.findings.map((f) => `${f.severity} ${f.series === null ? 'input' : 'series'} ${f.file}:${f.line} ${f.message}`);
}

describe(ID, () => {
  it('says each difference once, with the line of the tree that shows it', async () => {
    expect(await messages(`${DIR}/bad-one-series.mbox`, `${DIR}/tree`)).toEqual([
      "info series null:null the base tree's enum memory_type has MEMORY_DEVICE_FABRIC, which the model does not list for 6.1; "
        + 'the tree is followed (include/linux/memremap.h:15 of the base tree)',
      "info series null:null the model lists MEMORY_DEVICE_PCI_P2PDMA for 6.1 but the base tree's enum memory_type does not have it; the tree is followed",
    ]);
  });

  it('says the same of the base of a git range', async () => {
    expect(await runAsGitRange(`${DIR}/bad-one-series.mbox`, rule, `${DIR}/tree`)).toEqual([' null:null', ' null:null']);
  });

  it('must not fire on a tree whose enum is the model\'s (6.1: PRIVATE = 1, COHERENT, FS_DAX, GENERIC, PCI_P2PDMA)', async () => {
    expect(await messages(`${DIR}/bad-two-series.mbox`, `${DIR}/good-mainline-enum.tree`)).toEqual([]);
  });

  it('a value the tree numbers differently is one difference per member', async () => {
    const tree = join(root, 'shifted');
    cpSync(`${DIR}/tree`, tree, { recursive: true });
    writeFileSync(join(tree, 'include/linux/memremap.h'), 'enum memory_type {\n\tMEMORY_DEVICE_PRIVATE = 1,\n\tMEMORY_DEVICE_COHERENT,\n'
      + '\tMEMORY_DEVICE_FS_DAX = 7,\n\tMEMORY_DEVICE_GENERIC,\n\tMEMORY_DEVICE_PCI_P2PDMA,\n};\n');
    expect((await messages(`${DIR}/bad-one-series.mbox`, tree)).map((m) => m.split(' ').slice(3, 9).join(' '))).toEqual([
      'MEMORY_DEVICE_FS_DAX is 7 in the base',
      'MEMORY_DEVICE_GENERIC is 8 in the base',
      'MEMORY_DEVICE_PCI_P2PDMA is 9 in the base',
    ]);
  });

  it('must not fire without a base tree, or on a tree without memremap.h', async () => {
    expect(await messages(`${DIR}/bad-one-series.mbox`, null)).toEqual([]);
    const tree = join(root, 'bare');
    cpSync(`${DIR}/tree`, tree, { recursive: true });
    rmSync(join(tree, 'include'), { recursive: true });
    expect(await messages(`${DIR}/bad-one-series.mbox`, tree)).toEqual([]);
  });
});
