// Which kernel a series is checked against: --kernel, else the base tree's Makefile,
// else the release out when the series was dated. The model view at that release says
// what enables ZONE_DEVICE and which arches had devmap support.
import type { RuleContext } from '../engine/rule.js';
import { loadModel } from '../model/load.js';
import { modelAt, releaseOf } from '../model/query.js';
import type { ModelView } from '../model/types.js';
import { compareReleases } from '../model/version.js';
import type { Series } from '../types.js';
import { treeOf } from './index.js';
import { evidenceFromSeries, inferKernel } from '../model/infer.js';

export interface KernelChoice {
  view: ModelView | null;
  /** How the version was found, for messages: `--kernel 6.1`, `base tree Makefile 6.1.4`, ... */
  basis: string;
}

export function kernelFor(ctx: Pick<RuleContext, 'collection' | 'options'>, series: Series | null): KernelChoice {
  const at = (version: string, basis: string): KernelChoice | null => {
    try {
      return releaseOf(version) ? { view: modelAt(version), basis } : null;
    } catch {
      return null;
    }
  };
  // The model's inference first: --kernel, the tree's Makefile, what the mail and diffs show.
  const tree = treeOf(ctx);
  try {
    const inf = inferKernel({
      explicit: ctx.options.kernel,
      explicitFrom: ctx.options.kernelFrom ?? null,
      makefile: tree?.readSync('Makefile') ?? null,
      ...(series ? evidenceFromSeries(series) : {}),
    });
    if (inf.basis !== 'default') {
      const c = at(inf.version.text, inf.reason);
      if (c) return c;
    }
  } catch { /* a bad --kernel is the CLI's to report; fall through to the date */ }
  // Its default is the newest release; a series mailed in 2019 is better judged by what was out then.
  const date = series?.patches.map((p) => p.date).find((d) => d && !Number.isNaN(Date.parse(d)));
  if (date) {
    const day = new Date(Date.parse(date)).toISOString().slice(0, 10);
    const released = loadModel().releases.filter((r) => r.date !== null && r.date <= day).map((r) => r.version).sort(compareReleases);
    const last = released[released.length - 1];
    if (last) {
      const c = at(last, `the series' date (${day}: ${last} was out)`);
      if (c) return c;
    }
  }
  return { view: null, basis: 'no kernel version known' };
}
