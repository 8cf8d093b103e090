// The project configuration (.zdcheck.json / .zdcheck.yml): what a maintainer sets once
// and the CLI, the send-email hook and the GitHub Action all read.
import type { Severity } from '../types.js';

/** Per rule: switch it off, run it at its default severity ('on'), or at a fixed severity. */
export type RuleSetting = 'off' | 'on' | Severity;

/**
 * A known, accepted finding (issue 8). The slot is part of the file format now so that
 * configs written today stay valid; this version validates waivers but does not apply them.
 */
export interface Waiver {
  rule: string;
  /** Why the finding is accepted: required, so a waiver always explains itself. */
  reason: string;
  /** Path in the diff the waiver is limited to. */
  file?: string;
  /** Patch subject (title without tags) the waiver is limited to. */
  patch?: string;
  /** Commit id (or prefix, at least 7 hex digits) the waiver is limited to. */
  commit?: string;
}

export interface Config {
  /** Absolute path of the file it was read from; null for the empty (default) config. */
  file: string | null;
  rules: Readonly<Record<string, RuleSetting>>;
  /** Kernel version (`6.8`, `v6.10-rc3`), or null. */
  kernel: string | null;
  /** Kernel tree, absolute (relative paths are resolved against the config file's folder), or null. */
  tree: string | null;
  waivers: readonly Waiver[];
}

export const EMPTY_CONFIG: Config = { file: null, rules: {}, kernel: null, tree: null, waivers: [] };

/** The names looked for in each folder, in this order. */
export const CONFIG_NAMES = ['.zdcheck.json', '.zdcheck.yml', '.zdcheck.yaml'] as const;
