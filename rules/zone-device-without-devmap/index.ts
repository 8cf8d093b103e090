import { defineRule } from '../../src/engine/rule.js';
import type { ModelView } from '../../src/model/types.js';
import {
  DEVMAP_FUNCTIONS,
  DEVMAP_MACRO,
  DEVMAP_SYMBOL,
  devmapMarkers,
  markerOn,
  type DevmapMarker,
} from '../lib/arch.js';
import { enablingSelects, ZONE_DEVICE_ENABLERS, type EnablingSelect } from '../lib/enable.js';
import type { Patch, Series } from '../../src/types.js';

type Counts = Map<DevmapMarker, number>;
const ALL: DevmapMarker[] = [...DEVMAP_FUNCTIONS, DEVMAP_MACRO, DEVMAP_SYMBOL];

/** What the arch has, after patch `upto` of the series (inclusive): base plus added minus removed marker lines. */
function countsAfter(base: Counts, series: Series, arch: string, upto: number): Counts {
  const c = new Map(base);
  series.patches.slice(0, upto + 1).forEach((p) => {
    for (const f of p.files) {
      for (const h of f.hunks)
        for (const l of h.lines) {
          const path = l.kind === 'add' ? f.newPath : l.kind === 'del' ? f.oldPath : null;
          const m = path ? markerOn(path, arch, l.text) : null;
          if (m) c.set(m, (c.get(m) ?? 0) + (l.kind === 'add' ? 1 : -1));
        }
    }
  });
  return c;
}

/** The markers `enabler` needs and which of them are missing; empty when supported. */
function missing(c: Counts, enabler: string): DevmapMarker[] {
  const has = (m: DevmapMarker) => (c.get(m) ?? 0) > 0;
  const fns: DevmapMarker[] = DEVMAP_FUNCTIONS.filter((m) => !has(m));
  if (enabler === DEVMAP_SYMBOL) return fns;
  // ARCH_HAS_ZONE_DEVICE: the era's Kconfig symbol, or the pre-5.3 header marker with its accessors.
  if (has(DEVMAP_SYMBOL)) return [];
  const header: DevmapMarker[] = has(DEVMAP_MACRO) ? fns : [DEVMAP_MACRO, ...fns];
  return header.length ? [DEVMAP_SYMBOL, ...header] : [];
}

function describe(miss: DevmapMarker[], arch: string): string {
  const sym = miss.includes(DEVMAP_SYMBOL) ? `no \`select ${DEVMAP_SYMBOL}\`` : '';
  const hdr = miss.filter((m) => m !== DEVMAP_SYMBOL);
  const h = hdr.length ? `no ${hdr.join(', ')} in arch/${arch}/include` : '';
  return [sym, h].filter(Boolean).join(' and ');
}

function modelBase(view: ModelView, arch: string): Counts {
  const a = view.arches.find((x) => x.arch === arch);
  const c: Counts = new Map();
  if (a?.devmap) for (const m of ALL) if (m !== DEVMAP_MACRO || a.devmap.marker === DEVMAP_MACRO) c.set(m, 1);
  return c;
}

export default defineRule({
  meta: {
    id: 'zone-device-without-devmap',
    severity: 'error',
    description: 'An architecture enables ZONE_DEVICE without devmap PTE support (pte_devmap and friends)',
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      noDevmapSupport: '{{arch}} enables ZONE_DEVICE here ({{select}}) without devmap PTE support',
      devmapArrivesLater: '{{arch}} enables ZONE_DEVICE here ({{select}}) without devmap PTE support until {{later}}',
    },
    // A `select` of an enabling symbol added to arch/<arch>/Kconfig* (enablingSelects, the first test below).
    interest: { paths: [/^arch\//], words: ZONE_DEVICE_ENABLERS, added: true },
  },
  check(ctx) {
    const series = ctx.series;
    // Cheap first: most series select nothing of the kind, and need no kernel inference.
    if (!enablingSelects(series, ZONE_DEVICE_ENABLERS).length) return;
    const kernel = ctx.kernel;
    const era = kernel.view.era;
    // Eras in which ZONE_DEVICE does not rest on devmap PTEs have nothing to check.
    if (era && !era.devmapRequired) return;
    const enablers = era?.archSelect
      ? [...new Set(['ARCH_HAS_ZONE_DEVICE', era.archSelect])]
      : ['ARCH_HAS_ZONE_DEVICE', DEVMAP_SYMBOL];
    const selects = enablingSelects(series, enablers);
    if (!selects.length) return;
    const tree = ctx.baseTree;
    const bases = new Map<string, { counts: Counts; basis: string }>();
    const baseOf = (s: EnablingSelect) => {
      let b = bases.get(s.arch);
      if (!b) {
        if (tree) {
          const counts: Counts = new Map();
          for (const h of devmapMarkers(tree, s.arch)) counts.set(h.marker, (counts.get(h.marker) ?? 0) + 1);
          b = { counts, basis: `judged from the base tree ${tree.label} with the series applied` };
        } else {
          // No tree: the model's record of which arches had devmap support in the era.
          const view = kernel.view;
          const rec = view.arches.find((x) => x.arch === s.arch)?.devmap;
          b = {
            counts: modelBase(view, s.arch),
            basis:
              `no base tree: zdcheck's model records ${rec ? `devmap support for ${s.arch} (${rec.marker} in ${rec.file})` : `no devmap support for ${s.arch}`} at ${view.release}` +
              ` (${kernel.inference.reason}), plus what the series adds; give --tree to judge from the tree`,
          };
        }
        bases.set(s.arch, b);
      }
      return b;
    };
    for (const s of selects) {
      const base = baseOf(s);
      const miss = missing(countsAfter(base.counts, series, s.arch, s.index), s.symbol);
      if (!miss.length) continue;
      const later = series.patches.findIndex(
        (_, k) => k > s.index && !missing(countsAfter(base.counts, series, s.arch, k), s.symbol).length,
      );
      const tail =
        later >= 0
          ? `the support arrives only in a later patch (${label(series.patches[later]!)}), so a bisection stop at this patch builds a kernel that maps ZONE_DEVICE pages without the devmap bit: move the devmap patch before this one`
          : 'mm paths (get_user_pages, fork, DAX faults) assume user-mapped ZONE_DEVICE pages carry the devmap bit: add pte_devmap support first';
      const data = { arch: s.arch, select: s.text };
      ctx.report({
        patch: s.patch,
        file: s.path,
        line: s.line,
        ...(later >= 0
          ? { messageId: 'devmapArrivesLater', data: { ...data, later: short(series.patches[later]!) } }
          : { messageId: 'noDevmapSupport', data }),
        detail: `${describe(miss, s.arch)}; ${tail} (${base.basis})`,
      });
    }
  },
});

function short(p: Patch): string {
  return p.tags.index !== null && p.tags.total !== null ? `patch ${p.tags.index}/${p.tags.total}` : label(p);
}

function label(p: Patch): string {
  return p.tags.index !== null && p.tags.total !== null
    ? `${p.tags.index}/${p.tags.total} "${p.tags.title}"`
    : `"${p.tags.title}"`;
}
