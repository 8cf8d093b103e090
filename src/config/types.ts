// The project configuration (.zdcheck.json / .zdcheck.yml): what a maintainer sets once
// and the CLI, the send-email hook and the GitHub Action all read.

export type { RuleSetting } from '../types.js';
export type { Waiver } from '../waivers/types.js';
import type { RuleSetting } from '../types.js';
import type { Waiver } from '../waivers/types.js';

export interface Config {
  /** Absolute path of the file it was read from; null for the empty (default) config. */
  file: string | null;
  rules: Readonly<Record<string, RuleSetting>>;
  /** Kernel version (`6.8`, `v6.10-rc3`), or null. */
  kernel: string | null;
  /** Kernel tree, absolute (relative paths are resolved against the config file's folder), or null. */
  tree: string | null;
  /** `all-series: true`: the code rules run on every series, not only on those of the ZONE_DEVICE world. */
  allSeries: boolean;
  waivers: readonly Waiver[];
}

export const EMPTY_CONFIG: Config = {
  file: null,
  rules: {},
  kernel: null,
  tree: null,
  allSeries: false,
  waivers: [],
};

/** The names looked for in each folder, in this order. */
export const CONFIG_NAMES = ['.zdcheck.json', '.zdcheck.yml', '.zdcheck.yaml'] as const;
