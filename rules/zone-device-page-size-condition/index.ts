import { defineRule, type SeriesContext } from '../../src/engine/rule.js';
import { enablingSelects, ZONE_DEVICE_ENABLERS, type EnablingSelect } from '../lib/enable.js';

// Kconfig symbols that name a base page size: ARM64_4K_PAGES, PPC_64K_PAGES, PAGE_SIZE_16KB,
// IA64_PAGE_SIZE_64KB, and arm64's section-map switch, which is the 4K case by another name.
const PAGE_SIZE = /^(?:\w*_)?(?:4|8|16|32|64|256)K(?:B)?(?:_\w*)?$|PAGE_SIZE|PAGE_SHIFT|SWAPPER_USES_SECTION_MAPS/;

export function pageSizeSymbols(condition: string): string[] {
  return (condition.match(/[A-Za-z0-9_]+/g) ?? []).filter((s) => PAGE_SIZE.test(s));
}

/**
 * Every condition the select is under: its own `if`, the `depends on` of the entry it sits in
 * and the `if` blocks around that entry (as far as the image shows), each with where it comes from.
 */
function conditionsOf(ctx: SeriesContext, s: EnablingSelect): { expr: string; where: string }[] {
  const out = s.condition ? [{ expr: s.condition, where: `select ${s.symbol} if ${s.condition}` }] : [];
  const image = ctx.source().step(s.patch, s.path)?.post;
  const kconfig = image ? ctx.syntax.kconfig(image) : null;
  if (!image || !kconfig) return out;
  let i = 0;
  while (i < image.lines.length && !(image.addedHere(i) && image.lineNumber(i) === s.line)) i++;
  const entry = i < image.lines.length ? kconfig.entryAt(i) : null;
  if (!entry) return out;
  const name = entry.name ?? 'the entry';
  for (const d of entry.depends) out.push({ expr: d.expr, where: `${name} depends on ${d.expr}` });
  for (const c of entry.ifs) out.push({ expr: c, where: `${name} inside if ${c}` });
  return out;
}

export default defineRule({
  meta: {
    id: 'zone-device-page-size-condition',
    severity: 'warning',
    description: 'ZONE_DEVICE is enabled for an architecture only under some base page sizes',
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      // `where`: the Kconfig the condition is from (the select's own `if`, its entry's `depends on`, an `if` block).
      onlyWithPageSize: '{{arch}} enables ZONE_DEVICE only with {{pageSize}} ({{where}})',
      onlyWhen: '{{arch}} enables ZONE_DEVICE only when {{condition}} ({{where}})',
    },
    // A `select` of an enabling symbol added to arch/<arch>/Kconfig* (enablingSelects).
    interest: { paths: [/^arch\//], words: ZONE_DEVICE_ENABLERS, added: true },
  },
  check(ctx) {
    for (const s of enablingSelects(ctx.series, ZONE_DEVICE_ENABLERS)) {
      const hit = conditionsOf(ctx, s).find((c) => pageSizeSymbols(c.expr).length);
      if (!hit) continue;
      // The condition is the page-size symbol alone (`if ARM64_4K_PAGES`), or an expression naming one.
      const alone = hit.expr === pageSizeSymbols(hit.expr)[0];
      ctx.report({
        patch: s.patch,
        file: s.path,
        line: s.line,
        ...(alone
          ? { messageId: 'onlyWithPageSize', data: { arch: s.arch, pageSize: hit.expr, where: hit.where } }
          : { messageId: 'onlyWhen', data: { arch: s.arch, condition: hit.expr, where: hit.where } }),
        detail:
          'altmap and devmap support must not depend on the page size: make vmemmap_populate() honour the altmap ' +
          'for every page size, then enable it unconditionally',
      });
    }
  },
});
