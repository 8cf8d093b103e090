// Turns parsed file content into a Config, or a UsageError naming the file and the key. The
// shape is the JSON Schema in schema/zdcheck-config.schema.json, checked by ajv (schema.ts);
// rule ids are checked here against the registry, which the schema does not list (a new rule
// needs no schema change). ajv collects every problem; the one reported is the first in reading
// order (top-level keys, then rules, kernel, tree, waivers, each entry in turn), worded to say
// what to write instead, where ajv would say "must be equal to one of the allowed values".
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { UsageError } from '../errors.js';
import { configSchemaCheck } from './schema.js';
import type { Config, RuleSetting, Waiver } from './types.js';

const SETTINGS: readonly RuleSetting[] = ['off', 'on', 'error', 'warning', 'info'];
const TOP_KEYS = ['rules', 'kernel', 'tree', 'all-series', 'waivers'];
const WAIVER_KEYS = ['rule', 'reason', 'file', 'patch', 'commit'];

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** One thing wrong with the file: where it comes in reading order, and the line that says it. */
interface Problem {
  order: readonly number[];
  message: string;
}

const before = (a: readonly number[], b: readonly number[]): boolean => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return a.length < b.length;
};

/** `/waivers/0/rule` -> ['waivers', '0', 'rule'] (JSON Pointer, ~1 and ~0 unescaped). */
const pathOf = (pointer: string): string[] =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

type Json = Record<string, unknown>;

/** The message for one of ajv's errors, placed in reading order. */
function describe(e: ErrorObject, raw: Json): Problem {
  const [top, key, field] = pathOf(e.instancePath);
  const keyIndex = (obj: unknown, k: string): number => Object.keys(obj as Json).indexOf(k);
  if (top === undefined) {
    if (e.keyword === 'additionalProperties') {
      const k = (e.params as { additionalProperty: string }).additionalProperty;
      return { order: [1, keyIndex(raw, k)], message: `unknown key "${k}" (allowed: ${TOP_KEYS.join(', ')})` };
    }
    return { order: [0], message: `expected an object at the top, found ${show(raw)}` };
  }
  switch (top) {
    case 'rules':
      if (key === undefined)
        return { order: [2, -1], message: `"rules" must be an object of rule id -> ${SETTINGS.join('|')}` };
      return {
        order: [2, keyIndex(raw.rules, key), 1],
        message: `rules.${key}: ${show((raw.rules as Json)[key])} is not one of ${SETTINGS.join(', ')}`,
      };
    case 'kernel':
      if (e.keyword === 'type')
        return {
          order: [3, 0],
          message: `"kernel" must be a string such as "6.10" (quote it in YAML), found ${show(raw.kernel)}`,
        };
      return {
        order: [3, 1],
        message: `"kernel": ${show(raw.kernel)} is not a version like "6.10", "v6.11-rc2" or "next-20240105"`,
      };
    case 'tree':
      return { order: [4], message: `"tree" must be a non-empty path, found ${show(raw.tree)}` };
    case 'all-series':
      return { order: [4, 1], message: `"all-series" must be true or false, found ${show(raw['all-series'])}` };
    default:
      return describeWaiver(e, raw, key, field);
  }
}

function describeWaiver(e: ErrorObject, raw: Json, item: string | undefined, field: string | undefined): Problem {
  if (item === undefined) return { order: [5, -1], message: `"waivers" must be a list` };
  const i = Number(item);
  const at = `waivers[${i}]`;
  const w = (raw.waivers as unknown[])[i] as Json;
  if (field !== undefined) {
    if (field === 'commit' && e.keyword === 'pattern')
      return { order: [5, i, 6], message: `${at}.commit: expected 7 to 40 hex digits` };
    return { order: [5, i, 2, WAIVER_KEYS.indexOf(field)], message: `${at}.${field}: must be a non-empty string` };
  }
  if (e.keyword === 'additionalProperties') {
    const k = (e.params as { additionalProperty: string }).additionalProperty;
    return {
      order: [5, i, 1, Object.keys(w).indexOf(k)],
      message: `${at}: unknown key "${k}" (allowed: ${WAIVER_KEYS.join(', ')})`,
    };
  }
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return missing === 'rule'
      ? { order: [5, i, 3], message: `${at}: "rule" is required` }
      : { order: [5, i, 4], message: `${at}: "reason" is required (say why the finding is accepted)` };
  }
  return { order: [5, i, 0], message: `${at}: expected an object with "rule" and "reason"` };
}

/** Rule ids the registry does not have, in `rules` and in the waivers. */
function unknownRuleIds(raw: Json, knownRules: readonly string[]): Problem[] {
  const out: Problem[] = [];
  if (typeof raw.rules === 'object' && raw.rules !== null && !Array.isArray(raw.rules)) {
    Object.keys(raw.rules).forEach((id, k) => {
      if (!knownRules.includes(id))
        out.push({ order: [2, k, 0], message: `rules: unknown rule id "${id}" (\`zdcheck rules\` lists them)` });
    });
  }
  if (Array.isArray(raw.waivers)) {
    raw.waivers.forEach((w: unknown, i) => {
      const rule = typeof w === 'object' && w !== null ? (w as Json).rule : undefined;
      if (typeof rule === 'string' && rule !== '' && !knownRules.includes(rule)) {
        out.push({ order: [5, i, 5], message: `waivers[${i}].rule: unknown rule id "${rule}"` });
      }
    });
  }
  return out;
}

/**
 * `file` names the source in messages and anchors a relative `tree`.
 * `knownRules` is the registry's ids: a setting for any other id is a typo, never ignored.
 */
export function validateConfig(raw: unknown, file: string, knownRules: readonly string[]): Config {
  // An empty YAML file parses as null: a config that sets nothing.
  const data = raw === null || raw === undefined ? {} : raw;
  const check = configSchemaCheck();
  const problems = check(data) ? [] : (check.errors ?? []).map((e) => describe(e, data as Json));
  if (typeof data === 'object' && !Array.isArray(data)) problems.push(...unknownRuleIds(data as Json, knownRules));
  const first = problems.reduce<Problem | null>((a, p) => (a === null || before(p.order, a.order) ? p : a), null);
  if (first) throw new UsageError(`${file}: ${first.message}`);

  const c = data as {
    rules?: Record<string, RuleSetting>;
    kernel?: string;
    tree?: string;
    'all-series'?: boolean;
    waivers?: Waiver[];
  };
  const tree = c.tree === undefined ? null : isAbsolute(c.tree) ? c.tree : resolve(dirname(file), c.tree);
  return {
    file,
    rules: { ...c.rules },
    kernel: c.kernel ?? null,
    tree,
    allSeries: c['all-series'] ?? false,
    waivers: [...(c.waivers ?? [])],
  };
}
