// Turns parsed file content into a Config, or a UsageError naming the file and the key.
// Hand-written rather than a JSON schema + ajv: the schema is small, and each message can
// say exactly what to write instead (ajv's generic "must be equal to one of the allowed values"
// does not), without loading ajv on every send-email hook run.
import { dirname, isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Config, RuleSetting, Waiver } from './types.js';

const SETTINGS: readonly RuleSetting[] = ['off', 'on', 'error', 'warning', 'info'];
const TOP_KEYS = ['$schema', 'rules', 'kernel', 'tree', 'waivers'];
const WAIVER_KEYS = ['rule', 'reason', 'file', 'patch', 'commit'];
const KERNEL = /^(v?\d+\.\d+(\.\d+)?(-rc\d+)?|next-\d{8})$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/**
 * `file` names the source in messages and anchors a relative `tree`.
 * `knownRules` is the registry's ids: a setting for any other id is a typo, never ignored.
 */
export function validateConfig(raw: unknown, file: string, knownRules: readonly string[]): Config {
  const fail = (what: string): never => {
    throw new UsageError(`${file}: ${what}`);
  };
  // An empty YAML file parses as null: a config that sets nothing.
  if (raw === null || raw === undefined) raw = {};
  if (!isObject(raw)) return fail(`expected an object at the top, found ${show(raw)}`);

  for (const key of Object.keys(raw)) {
    if (!TOP_KEYS.includes(key)) fail(`unknown key "${key}" (allowed: ${TOP_KEYS.slice(1).join(', ')})`);
  }

  const rules: Record<string, RuleSetting> = {};
  if (raw.rules !== undefined) {
    if (!isObject(raw.rules)) fail(`"rules" must be an object of rule id -> ${SETTINGS.join('|')}`);
    for (const [id, setting] of Object.entries(raw.rules as Record<string, unknown>)) {
      if (!knownRules.includes(id)) fail(`rules: unknown rule id "${id}" (\`zdcheck rules\` lists them)`);
      if (typeof setting !== 'string' || !SETTINGS.includes(setting as RuleSetting)) {
        fail(`rules.${id}: ${show(setting)} is not one of ${SETTINGS.join(', ')}`);
      }
      rules[id] = setting as RuleSetting;
    }
  }

  let kernel: string | null = null;
  if (raw.kernel !== undefined) {
    // YAML reads `kernel: 6.10` as the number 6.1: refuse it rather than check the wrong era.
    if (typeof raw.kernel !== 'string') fail(`"kernel" must be a string such as "6.10" (quote it in YAML), found ${show(raw.kernel)}`);
    if (!KERNEL.test(raw.kernel as string)) fail(`"kernel": ${show(raw.kernel)} is not a version like "6.10", "v6.11-rc2" or "next-20240105"`);
    kernel = raw.kernel as string;
  }

  let tree: string | null = null;
  if (raw.tree !== undefined) {
    if (typeof raw.tree !== 'string' || raw.tree === '') fail(`"tree" must be a non-empty path, found ${show(raw.tree)}`);
    const t = raw.tree as string;
    tree = isAbsolute(t) ? t : resolve(dirname(file), t);
  }

  const waivers: Waiver[] = [];
  if (raw.waivers !== undefined) {
    if (!Array.isArray(raw.waivers)) fail(`"waivers" must be a list`);
    (raw.waivers as unknown[]).forEach((w, i) => {
      const at = `waivers[${i}]`;
      if (!isObject(w)) return fail(`${at}: expected an object with "rule" and "reason"`);
      for (const key of Object.keys(w)) {
        if (!WAIVER_KEYS.includes(key)) fail(`${at}: unknown key "${key}" (allowed: ${WAIVER_KEYS.join(', ')})`);
      }
      for (const key of WAIVER_KEYS) {
        if (w[key] !== undefined && (typeof w[key] !== 'string' || w[key] === '')) fail(`${at}.${key}: must be a non-empty string`);
      }
      if (w.rule === undefined) fail(`${at}: "rule" is required`);
      if (w.reason === undefined) fail(`${at}: "reason" is required (say why the finding is accepted)`);
      if (!knownRules.includes(w.rule as string)) fail(`${at}.rule: unknown rule id "${w.rule as string}"`);
      if (w.commit !== undefined && !/^[0-9a-f]{7,40}$/.test(w.commit as string)) fail(`${at}.commit: expected 7 to 40 hex digits`);
      waivers.push(w as unknown as Waiver);
    });
  }

  return { file, rules, kernel, tree, waivers };
}
