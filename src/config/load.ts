// Finding and reading the config file: the edge where the config touches the file system.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';
import { meta as UNUSED_WAIVER } from '../waivers/unused.js';
import { RULES } from '../rules.js';
import { CONFIG_NAMES, EMPTY_CONFIG, type Config } from './types.js';
import { validateConfig } from './validate.js';

// yaml is slow to import for a hook run, and most repositories have no YAML config: it is
// required on demand.
const yaml = () => createRequire(import.meta.url)('yaml') as typeof import('yaml');

// unused-waiver is reported by the waiver stage, not run as a rule, but is configured like one.
const registryIds = (): string[] => [...RULES.map((r) => r.meta.id), UNUSED_WAIVER.id];

/**
 * Walks up from `startDir` the way linters do: the first folder holding a config file wins;
 * the search stops after the top of the git work tree (a folder with `.git`) or at the
 * file-system root. Returns the file's path, or null when there is none.
 */
export function findConfig(startDir: string): string | null {
  let dir = resolve(startDir);
  for (;;) {
    const here = CONFIG_NAMES.map((n) => join(dir, n)).filter((p) => existsSync(p));
    if (here.length > 1) {
      throw new UsageError(
        `${dir}: several config files (${here.map((p) => p.slice(dir.length + 1)).join(', ')}); keep one`,
      );
    }
    if (here.length === 1) return here[0]!;
    if (existsSync(join(dir, '.git'))) return null;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** `line L, column C` for a JSON.parse error message carrying `position N`. */
function jsonWhere(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return ` at line ${line}, column ${col}`;
}

/** Reads, parses and validates one config file (the `--config FILE` path). */
export function loadConfigFile(path: string, knownRules: readonly string[] = registryIds()): Config {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${file}: cannot read config file (${code === 'ENOENT' ? 'no such file' : (code ?? String(err))})`,
    );
  }
  let raw: unknown;
  if (file.endsWith('.json')) {
    try {
      raw = JSON.parse(text);
    } catch (err) {
      const msg = (err as Error).message;
      throw new UsageError(`${file}: not valid JSON${jsonWhere(text, msg)}: ${msg.split('\n')[0]}`);
    }
  } else {
    try {
      raw = yaml().parse(text, { uniqueKeys: true });
    } catch (err) {
      if (err instanceof yaml().YAMLParseError) {
        const pos = err.linePos?.[0];
        const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
        const what = (err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        throw new UsageError(`${file}: not valid YAML${where}: ${what}`);
      }
      throw err;
    }
  }
  return validateConfig(raw, file, knownRules);
}

/** The config that applies to `startDir` (the repository or the current folder); the empty one when none. */
export function loadConfig(startDir: string, knownRules: readonly string[] = registryIds()): Config {
  const file = findConfig(startDir);
  return file ? loadConfigFile(file, knownRules) : EMPTY_CONFIG;
}
