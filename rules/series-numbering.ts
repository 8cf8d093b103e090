// The `[PATCH n/m]` numbering of a series: every part present once, none above the total,
// one total and one version across the series.
import { defineRule } from '../src/engine/rule.js';
import type { Patch } from '../src/types.js';

function ranges(nums: readonly number[]): string {
  return nums.join(', ');
}

export default defineRule({
  meta: {
    id: 'series-numbering',
    severity: 'error',
    description: 'A part missing or duplicated, an index above the total, totals or versions that disagree',
    scope: 'series',
  },
  check(ctx) {
    const series = ctx.series!;
    const members: Patch[] = [...(series.cover ? [series.cover] : []), ...series.patches];
    const numbered = members.filter((p) => p.tags.total !== null && p.tags.index !== null);
    if (numbered.length === 0) return;

    const totals = [...new Set(numbered.map((p) => p.tags.total!))];
    if (totals.length > 1) {
      const detail = totals.map((t) => `${t} (${numbered.filter((p) => p.tags.total === t).map((p) => `${p.tags.index}/${t}`).join(', ')})`);
      ctx.report({ message: `parts disagree on the total: ${detail.join(' vs ')}` });
    }
    const versions = [...new Set(members.map((p) => p.tags.version))];
    if (versions.length > 1) {
      ctx.report({ message: `versions mixed in one series: ${versions.map((v) => `v${v}`).join(', ')}` });
    }

    // The cover's total, else the one most parts declare, is the series' claim.
    const total = series.cover?.tags.total ?? series.total ?? Math.max(...totals);
    const seen = new Set<number>();
    for (const p of numbered) {
      const index = p.tags.index!;
      if (index > p.tags.total!) {
        ctx.report({ patch: p, message: `part ${index}/${p.tags.total} is numbered above its total` });
        continue;
      }
      if (seen.has(index)) ctx.report({ patch: p, message: `part ${index}/${p.tags.total} appears more than once` });
      seen.add(index);
    }
    const missing: number[] = [];
    for (let i = 1; i <= total; i++) if (!seen.has(i)) missing.push(i);
    if (missing.length) ctx.report({ message: `part${missing.length > 1 ? 's' : ''} ${ranges(missing)} of ${total} missing` });
  },
});
