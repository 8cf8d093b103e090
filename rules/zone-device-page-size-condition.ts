import { defineRule } from '../src/engine/rule.js';
import { enablingSelects, ZONE_DEVICE_ENABLERS } from '../src/tree/enable.js';

// Kconfig symbols that name a base page size: ARM64_4K_PAGES, PPC_64K_PAGES, PAGE_SIZE_16KB,
// IA64_PAGE_SIZE_64KB, and arm64's section-map switch, which is the 4K case by another name.
const PAGE_SIZE = /^(?:\w*_)?(?:4|8|16|32|64|256)K(?:B)?(?:_\w*)?$|PAGE_SIZE|PAGE_SHIFT|SWAPPER_USES_SECTION_MAPS/;

export function pageSizeSymbols(condition: string): string[] {
  return (condition.match(/[A-Za-z0-9_]+/g) ?? []).filter((s) => PAGE_SIZE.test(s));
}

export default defineRule({
  meta: {
    id: 'zone-device-page-size-condition',
    severity: 'warning',
    description: 'ZONE_DEVICE is enabled for an architecture only under some base page sizes',
    scope: 'series',
  },
  check(ctx) {
    for (const s of enablingSelects(ctx.series!, ZONE_DEVICE_ENABLERS)) {
      const sizes = s.condition ? pageSizeSymbols(s.condition) : [];
      if (!sizes.length) continue;
      ctx.report({
        patch: s.patch,
        file: s.path,
        line: s.line,
        message: `${s.arch} enables ZONE_DEVICE only ${s.condition === sizes[0] ? `with ${sizes[0]}` : `when ${s.condition}`} ` +
          `(select ${s.symbol} if ${s.condition}): altmap and devmap support must not depend on the page size — ` +
          `make vmemmap_populate() honour the altmap for every page size, then select ${s.symbol} unconditionally`,
      });
    }
  },
});
