// Applying a config to the rule registry: pure, so the CLI, the hook and the action agree.
import { basename } from 'node:path';
import { withSeverity, type Rule } from '../engine/rule.js';
import { UsageError } from '../errors.js';
import { meta as UNUSED_WAIVER } from '../waivers/unused.js';
import type { Config } from './types.js';

/**
 * The rules to run, in registry order: those set to 'off' dropped, those given a severity
 * wrapped so every finding they report carries it (a rule may report below or above its
 * default; an override is the maintainer's last word).
 */
export function applyConfig(rules: readonly Rule[], config: Pick<Config, 'rules' | 'file'>): Rule[] {
  // unused-waiver is configured here but applied by the waiver stage (src/waivers).
  const known = new Set([...rules.map((r) => r.meta.id), UNUSED_WAIVER.id]);
  for (const id of Object.keys(config.rules)) {
    if (!known.has(id)) throw new UsageError(`${config.file ?? 'config'}: rules: unknown rule id "${id}"`);
  }
  const out: Rule[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id] ?? 'on';
    if (setting === 'off') continue;
    if (setting === 'on') {
      out.push(rule);
      continue;
    }
    out.push(withSeverity(rule, setting));
  }
  return out;
}

/**
 * Command-line values win over the file's; the file's over nothing. `kernelFrom` says where the
 * kernel came from, as the report words it (`kernel 6.10 (from the config file .zdcheck.yml)`).
 */
export function mergeOptions(
  config: Pick<Config, 'kernel' | 'tree' | 'file'>,
  flags: { kernel?: string | null; tree?: string | null },
): { kernel: string | null; kernelFrom: string | null; tree: string | null } {
  const kernel = flags.kernel ?? config.kernel;
  const kernelFrom =
    kernel === null
      ? null
      : flags.kernel
        ? 'given with --kernel'
        : `from the config file ${config.file ? basename(config.file) : ''}`.trimEnd();
  return { kernel, kernelFrom, tree: flags.tree ?? config.tree };
}
