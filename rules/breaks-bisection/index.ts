import { defineRule } from '../../src/engine/rule.js';
import type { FileHistory } from '../../src/source/types.js';
import { symbolFileOf } from '../lib/symbols.js';
import {
  nameEvents,
  notKernelCode,
  orderedPatches,
  SeriesSteps,
  touchedPaths,
  treeLookup,
  type Mentions,
  type NameEvent,
} from '../lib/steps.js';
import {
  namedBefore,
  judgeSymbolEarlyUses,
  judgeSymbolRemovals,
  netSymbolRemovals,
  symbolEvents,
  type SymbolEvent,
} from './kconfig.js';
import { isMemberEvent, judgeMemberEarlyUses, judgeMemberRemovals, type MemberEvent } from './members.js';
import { judgeEarlyUses, judgeRemovals, namesAddedLines, planRemovals } from './names.js';
import { StateView, TreeText } from './state.js';

export default defineRule({
  meta: {
    id: 'breaks-bisection',
    severity: 'error',
    description:
      'A step of the series does not build, or builds another configuration: a name, struct member or Kconfig symbol is used after the patch that removes it, or before the patch that adds it',
    scope: 'series',
    runsOn: 'zone-device',
    // {{name}}: `foo()` or `FOO`; {{member}}: `dev_pagemap.res`; {{change}}: `removes it` or `renames it to
    // range`; {{use}}: `select FOO`, `depends on FOO`, `CONFIG_FOO`, `FOO`; {{effect}}: what the build does
    // with it (`it selects nothing`); {{removed}}, {{dropped}}, {{added}}: patch numbers (`3/7`).
    messages: {
      usedAfterRemoval:
        '{{name}} is still used here after patch {{removed}} removes it; patch {{dropped}} drops this use: the steps between do not build',
      usedUntilReadded:
        '{{name}} is still used here after patch {{removed}} removes it, and only patch {{added}} defines it again: the steps between do not build',
      removedStillUsed:
        '{{name}} is removed by patch {{removed}} but still used at {{uses}}, and no patch of the series drops that use',
      usedBeforeAdded: '{{name}} is used here, but only the later patch {{added}} defines it: this step does not build',
      memberUsedAfterRemoval:
        '{{member}} is still used here after patch {{removed}} {{change}}; patch {{dropped}} drops this use: the steps between do not build',
      memberUsedUntilReadded:
        '{{member}} is still used here after patch {{removed}} {{change}}, and only patch {{added}} adds it again: the steps between do not build',
      memberUsedBeforeAdded:
        '{{member}} is used here, but only the later patch {{added}} adds that member: this step does not build',
      symbolUsedAfterRemoval:
        '{{use}} outlives its Kconfig entry: patch {{removed}} removes it, patch {{dropped}} drops this line; between them {{effect}}',
      symbolUsedUntilReadded:
        '{{use}} outlives its Kconfig entry: patch {{removed}} removes it, and only patch {{added}} adds it again; between them {{effect}}',
      symbolRemovedStillUsed:
        'config {{symbol}} is removed by patch {{removed}} but still named at {{uses}}: there it silently reads as n',
      symbolUsedBeforeAdded:
        '{{use}} is added here, but only the later patch {{added}} adds its Kconfig entry: until then {{effect}}',
    },
  },
  check(ctx) {
    const patches = orderedPatches(ctx);
    if (!patches) return;
    const st = new SeriesSteps(ctx, patches);
    const src = ctx.source();
    const failed = new Set(src.failures.map((f) => f.path));
    const intact = (f: FileHistory) => !failed.has(f.path) && !f.steps.some((s) => failed.has(s.pre.path));
    const files = src.files.filter((f) => /\.(c|h)$/.test(f.path) && intact(f));
    // Every file that names Kconfig symbols: Kconfig files, Makefiles, C and assembly.
    const buildFiles = src.files.filter(
      (f) =>
        intact(f) &&
        !notKernelCode(f.path) &&
        f.steps.some((s) => symbolFileOf(s.post.path) !== null || symbolFileOf(s.pre.path) !== null),
    );

    const removals: NameEvent[] = [];
    const additions: NameEvent[] = [];
    const memberRemovals: MemberEvent[] = [];
    const memberAdditions: MemberEvent[] = [];
    for (const f of files) {
      for (const s of f.steps) {
        const e = nameEvents(ctx, s);
        // Members of other structs are common words no use can be tied to: left alone.
        memberRemovals.push(...e.removed.filter(isMemberEvent));
        memberAdditions.push(...e.added.filter(isMemberEvent));
        removals.push(...e.removed.filter((r) => r.kind !== 'field'));
        additions.push(...e.added.filter((a) => a.kind !== 'field'));
      }
    }
    const symbolRemovals: SymbolEvent[] = [];
    const symbolAdditions: SymbolEvent[] = [];
    for (const f of buildFiles) {
      for (const s of f.steps) {
        const e = symbolEvents(s);
        symbolRemovals.push(...e.removed);
        symbolAdditions.push(...e.added);
      }
    }
    if (![removals, additions, memberRemovals, memberAdditions, symbolRemovals, symbolAdditions].some((l) => l.length))
      return;

    const view = new StateView(st, files);
    const buildView = new StateView(st, buildFiles, view);
    const tree = src.tree ? ctx.baseTree : null;
    const touched = touchedPaths(ctx);
    // Names of the memory-type world: removed-type-still-used judges what the whole series leaves.
    const d = ctx.model().delta;
    const modelNames = new Set([
      ...d.typesRemoved.map((t) => t.name),
      ...d.typesRenamed.map((r) => r.from),
      ...d.helpersRemoved.map((h) => h.name),
    ]);

    // What the series alone shows of each removal, then one search of the base tree for every name
    // and symbol whose verdict it can change: removals no same-patch addition undoes, additions some
    // earlier patch's added lines already name.
    const sameStep = new Set(additions.map((a) => `${a.name}\0${st.step(a.step.patch)}`));
    const netRemovals = removals.filter((r) => !sameStep.has(`${r.name}\0${st.step(r.step.patch)}`));
    const plans = planRemovals(st, view, netRemovals, additions, modelNames);
    const earlyNames = additions.length ? namesAddedLines(ctx, st) : [];
    const earlyAdds = additions.filter((a) => {
      const j = st.step(a.step.patch);
      for (let k = 0; k < j; k++) if (earlyNames[k]!.has(a.name)) return true;
      return false;
    });
    const netSymbols = netSymbolRemovals(st, symbolRemovals, symbolAdditions);
    const earlySymbols = symbolAdditions.filter((a) => namedBefore(st, buildFiles, a));
    const empty = { names: new Map() as Mentions, symbols: new Map() as Mentions };
    const found = tree
      ? treeLookup(
          tree,
          [...plans.filter((p) => p.askTree).map((p) => p.r.name), ...earlyAdds.map((a) => a.name)],
          [...netSymbols, ...earlySymbols].map((e) => e.symbol),
        )
      : empty;
    const treeText = new TreeText(tree);

    judgeRemovals(ctx, st, plans, found.names, treeText, touched, modelNames);
    judgeEarlyUses(ctx, st, view, earlyAdds, additions, removals, found.names, treeText, touched, tree !== null);
    judgeMemberRemovals(ctx, st, view, memberRemovals, memberAdditions, tree, touched);
    judgeMemberEarlyUses(ctx, st, memberRemovals, memberAdditions, tree !== null);
    // The memory-type world's symbols that stay in use to the end are removed-type-still-used's too.
    const modelSymbols = new Set(d.kconfigRemoved.map((k) => k.name));
    judgeSymbolRemovals(ctx, st, buildView, netSymbols, symbolAdditions, found.symbols, touched, modelSymbols);
    judgeSymbolEarlyUses(ctx, st, buildView, symbolRemovals, earlySymbols, found.symbols, touched, tree !== null);
  },
});
