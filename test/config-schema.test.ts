// schema/zdcheck-config.schema.json: the config file's JSON Schema, published for editors and
// used (compiled by ajv, src/config/schema.ts) to validate every config zdcheck reads.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { configSchemaCheck, writeCompiledSchema } from '../src/config/schema.js';
import { ROOT } from './cli-helpers.js';

const SCHEMA_PATH = join(ROOT, 'schema', 'zdcheck-config.schema.json');
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;

// Inside the checkout, so a compiled validator there finds ajv's runtime in node_modules.
mkdirSync(join(ROOT, '.cache'), { recursive: true });
const scratch = mkdtempSync(join(ROOT, '.cache', 'config-schema-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A package top with this schema (and nothing compiled yet). */
function packageWithSchema(name: string): string {
  const root = join(scratch, name);
  mkdirSync(join(root, 'schema'), { recursive: true });
  cpSync(SCHEMA_PATH, join(root, 'schema', 'zdcheck-config.schema.json'));
  return root;
}

/** Every (sub)schema that describes a property, with its path. */
function propertySchemas(node: Record<string, unknown>, path: string): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  for (const [key, sub] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) {
    out.push([`${path}.${key}`, sub], ...propertySchemas(sub, `${path}.${key}`));
  }
  for (const [key, sub] of Object.entries((node.definitions ?? {}) as Record<string, Record<string, unknown>>)) {
    out.push([`#/definitions/${key}`, sub], ...propertySchemas(sub, `#/definitions/${key}`));
  }
  return out;
}

const BAD: unknown[] = [
  [1, 2],
  { rule: {} },
  { rules: { alpha: 'loud' } },
  { rules: ['alpha'] },
  { kernel: 6.1 },
  { kernel: 'latest' },
  { tree: '' },
  { waivers: {} },
  { waivers: [{ rule: 'alpha' }] },
  { waivers: [{ rule: 'alpha', reason: 'r', commit: 'HEAD', extra: 1 }] },
  { waivers: ['x', { reason: '' }] },
];

describe('the config schema', () => {
  it('has an $id, and a title or description on itself and every property, for editors to show', () => {
    expect(schema.$id).toMatch(/^https:\/\/.+\/zdcheck-config\.schema\.json$/);
    expect(schema.title).toBeTruthy();
    expect(schema.description).toBeTruthy();
    const bare = propertySchemas(schema, '')
      .filter(([, s]) => !s.description && !s.title)
      .map(([p]) => p);
    expect(bare).toEqual([]);
  });

  it('accepts the documented example and every config shape it documents', () => {
    const docs = [
      join(ROOT, 'README.md'),
      ...readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => join(ROOT, 'docs', f)),
    ]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const example = /```yaml\n(# \.zdcheck\.yml\n[\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    const check = configSchemaCheck();
    expect(check(parseYaml(example!))).toBe(true);
    expect(
      check({
        $schema: './zdcheck-config.schema.json',
        waivers: [{ rule: 'r', reason: 'why', file: 'mm/*.c', patch: 'mm: x', commit: 'abcdef0' }],
      }),
    ).toBe(true);
  });

  it('refuses what docs/configuration.md says is an error', () => {
    const check = configSchemaCheck();
    for (const raw of BAD) expect(check(raw), JSON.stringify(raw)).toBe(false);
  });
});

describe('the compiled schema', () => {
  it("the build's compiled validator gives the same errors as ajv compiling the schema afresh", () => {
    const built = configSchemaCheck();
    const fresh = configSchemaCheck(packageWithSchema('fresh'));
    expect(fresh).not.toBe(built);
    for (const raw of BAD) {
      built(raw);
      fresh(raw);
      expect(built.errors).toEqual(fresh.errors);
    }
  });

  it('is used only while it was made from the schema file as it is', () => {
    const signature = createHash('sha256').update(readFileSync(SCHEMA_PATH)).digest('hex');
    // Stand-ins for a compiled validator that accept anything, so a verdict shows which was used.
    const withCompiled = (name: string, sig: string): string => {
      const root = packageWithSchema(name);
      mkdirSync(join(root, 'dist'));
      writeFileSync(
        join(root, 'dist', 'config-validate.cjs'),
        `module.exports = () => true;\nmodule.exports.signature = ${JSON.stringify(sig)};\n`,
      );
      return root;
    };
    expect(configSchemaCheck(withCompiled('current', signature))(BAD[0])).toBe(true);
    expect(configSchemaCheck(withCompiled('stale', '0'.repeat(64)))(BAD[0])).toBe(false);
    const built = packageWithSchema('built');
    writeCompiledSchema(built);
    const check = configSchemaCheck(built);
    expect((check as { signature?: string }).signature).toBe(signature);
    expect(check(BAD[0])).toBe(false);
  });

  it('ships in the package, beside the compiled validator', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--offline'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toContain('schema/zdcheck-config.schema.json');
    expect(files).toContain('dist/config-validate.cjs');
  });
});
