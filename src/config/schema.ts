// The config file's JSON Schema (schema/zdcheck-config.schema.json, the one editors are pointed
// at) as a validation function. Loading ajv and compiling a schema cost more than the rest of a
// config read, and the send-email hook would pay that once per patch, so `npm run build`
// compiles the schema once into dist/config-validate.cjs (ajv's standalone code) and a run loads
// that, while it was made from the schema file as it is now. Before a build, or after an edit
// of the schema, ajv compiles it in the process.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';

const require = createRequire(import.meta.url);

const SCHEMA = join('schema', 'zdcheck-config.schema.json');
const COMPILED = join('dist', 'config-validate.cjs');

/** Validates with every error collected (allErrors), so the caller can pick the one to report. */
export interface SchemaCheck {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

interface Compiled extends SchemaCheck {
  signature?: string;
}

/** The package's top folder, from src/config/ or dist/src/config/. */
function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = resolve(here, up);
    if (existsSync(join(dir, SCHEMA))) return dir;
  }
  throw new Error(`${SCHEMA} not found above ${here}`);
}

const signatureOf = (schemaText: string): string => createHash('sha256').update(schemaText).digest('hex');

function compile(schemaText: string) {
  const { Ajv } = require('ajv') as typeof import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: true, code: { source: true } });
  return { ajv, check: ajv.compile(JSON.parse(schemaText) as object) };
}

const cache = new Map<string, SchemaCheck>();

/** The check of the schema under `root` (a package's top folder), loaded once per process. */
export function configSchemaCheck(root: string = packageRoot()): SchemaCheck {
  const hit = cache.get(root);
  if (hit) return hit;
  const schemaText = readFileSync(join(root, SCHEMA), 'utf8');
  const compiledPath = join(root, COMPILED);
  const compiled = existsSync(compiledPath) ? (require(compiledPath) as Compiled) : null;
  const check = compiled?.signature === signatureOf(schemaText) ? compiled : compile(schemaText).check;
  cache.set(root, check);
  return check;
}

/** Compiles the schema into dist/ for configSchemaCheck; run by `npm run build`. */
export function writeCompiledSchema(root: string = packageRoot()): string {
  const schemaText = readFileSync(join(root, SCHEMA), 'utf8');
  const path = join(root, COMPILED);
  mkdirSync(dirname(path), { recursive: true });
  const { ajv, check } = compile(schemaText);
  const standalone = (require('ajv/dist/standalone/index.js') as typeof import('ajv/dist/standalone/index.js')).default;
  const source = standalone(ajv, check);
  writeFileSync(path, `${source}\nmodule.exports.signature = ${JSON.stringify(signatureOf(schemaText))};\n`);
  return path;
}
