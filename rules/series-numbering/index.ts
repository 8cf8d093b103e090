// The `[PATCH n/m]` numbering of a series: every part present once, none above the total,
// one total and one version across the series.
import { defineRule } from '../../src/engine/rule.js';
import type { Patch } from '../../src/types.js';

/** `1-27, 29, 30`: runs of three or more as a range, so 29 missing parts of 30 fit a line. */
function ranges(nums: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < nums.length;) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    if (j - i >= 2) out.push(`${nums[i]}-${nums[j]}`);
    else for (let k = i; k <= j; k++) out.push(String(nums[k]));
    i = j + 1;
  }
  return out.join(', ');
}

/** A patch whose subject numbers it (`[PATCH 3/7]`). */
type Numbered = Patch & { tags: { index: number; total: number } };

/**
 * A new version of some parts only, each sent in reply to the part it replaces (`[PATCH v2 2/3]`
 * in reply to `[PATCH 2/3]`, as lore threads show it): not a series missing its other parts.
 * Told apart from a v2 that lost a part by its shape: no cover letter, and every part a reply
 * to a message of its own that is not in this series (a whole v2 sent without a cover has
 * its parts replying to its first part, or to one message of v1).
 */
function replacesParts(cover: Patch | null, parts: readonly Patch[]): boolean {
  if (cover !== null || parts.length === 0) return false;
  const own = new Set(parts.map((p) => p.message.messageId).filter((id): id is string => id !== null));
  const targets = new Set<string>();
  for (const p of parts) {
    const to = p.message.inReplyTo;
    if (to === null || own.has(to) || targets.has(to)) return false;
    targets.add(to);
  }
  return true;
}

export default defineRule({
  meta: {
    id: 'series-numbering',
    severity: 'error',
    description: 'A part missing or duplicated, an index above the total, totals or versions that disagree',
    scope: 'series',
    messages: {
      totalsDisagree: 'parts disagree on the total: {{totals}}',
      versionsMixed: 'versions mixed in one series: {{versions}}',
      indexAboveTotal: 'part {{index}}/{{total}} is numbered above its total',
      partDuplicated: 'part {{index}}/{{total}} appears more than once',
      partMissing: 'part {{parts}} of {{total}} missing',
      partsMissing: 'parts {{parts}} of {{total}} missing',
    },
  },
  check(ctx) {
    const series = ctx.series;
    const members: Patch[] = [...(series.cover ? [series.cover] : []), ...series.patches];
    const numbered = members.filter((p): p is Numbered => p.tags.total !== null && p.tags.index !== null);
    if (numbered.length === 0) return;

    const totals = [...new Set(numbered.map((p) => p.tags.total))];
    if (totals.length > 1) {
      const each = totals.map(
        (t) =>
          `${t} (${numbered
            .filter((p) => p.tags.total === t)
            .map((p) => `${p.tags.index}/${t}`)
            .join(', ')})`,
      );
      ctx.report({ messageId: 'totalsDisagree', data: { totals: each.join(' vs ') } });
    }
    const versions = [...new Set(members.map((p) => p.tags.version))];
    if (versions.length > 1) {
      ctx.report({ messageId: 'versionsMixed', data: { versions: versions.map((v) => `v${v}`).join(', ') } });
    }

    // The cover's total, else the one most parts declare, is the series' claim.
    const total = series.cover?.tags.total ?? series.total ?? Math.max(...totals);
    const seen = new Set<number>();
    for (const p of numbered) {
      const index = p.tags.index;
      if (index > p.tags.total) {
        ctx.report({ patch: p, messageId: 'indexAboveTotal', data: { index, total: p.tags.total } });
        continue;
      }
      if (seen.has(index)) ctx.report({ patch: p, messageId: 'partDuplicated', data: { index, total: p.tags.total } });
      seen.add(index);
    }
    const missing: number[] = [];
    for (let i = 1; i <= total; i++) if (!seen.has(i)) missing.push(i);
    if (missing.length && !replacesParts(series.cover, numbered)) {
      ctx.report({
        messageId: missing.length > 1 ? 'partsMissing' : 'partMissing',
        data: { parts: ranges(missing), total },
      });
    }
  },
});
