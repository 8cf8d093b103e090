// Applying a config to the rule registry: pure, so the CLI, the hook and the action agree.
import type { Rule } from '../engine/rule.js';
import { UsageError } from '../errors.js';
import type { Config } from './types.js';

/**
 * The rules to run, in registry order: those set to 'off' dropped, those given a severity
 * wrapped so every finding they report carries it (a rule may report below or above its
 * default; an override is the maintainer's last word).
 */
export function applyConfig(rules: readonly Rule[], config: Pick<Config, 'rules' | 'file'>): Rule[] {
  const known = new Set(rules.map((r) => r.meta.id));
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
    const severity = setting;
    out.push({
      meta: { ...rule.meta, severity },
      check: (ctx) => rule.check({ ...ctx, report: (r) => ctx.report({ ...r, severity }) }),
    });
  }
  return out;
}

/** Command-line values win over the file's; the file's over nothing. */
export function mergeOptions(
  config: Pick<Config, 'kernel' | 'tree'>,
  flags: { kernel?: string | null; tree?: string | null },
): { kernel: string | null; tree: string | null } {
  return { kernel: flags.kernel ?? config.kernel, tree: flags.tree ?? config.tree };
}

/**
 * What a run should tell the user about its config: today, that waivers are read but not yet
 * applied (issue 8), so a waiver never looks as if it worked when it did not.
 */
export function configNotices(config: Pick<Config, 'file' | 'waivers'>): string[] {
  if (config.waivers.length === 0) return [];
  const n = config.waivers.length;
  return [`${config.file ?? 'config'}: ${n} waiver${n === 1 ? '' : 's'} checked but not applied: this version does not apply waivers yet`];
}
