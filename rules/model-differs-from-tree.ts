import { defineRule } from '../src/engine/rule.js';
import { MEMREMAP_H } from '../src/model/run.js';

export default defineRule({
  meta: {
    id: 'model-differs-from-tree',
    severity: 'info',
    description: "The base tree's enum memory_type, helpers, Kconfig entries or arch selects differ from zdcheck's model data for its kernel; the tree is followed",
    scope: 'series',
  },
  check(ctx) {
    // Without a base tree there is nothing to compare; don't build the model for nothing.
    if (!ctx.baseTree) return;
    const m = ctx.model();
    if (!m.tree) return;
    // The same tree serves every series of the run: each difference is said once per run. A
    // difference that depends on the series (its kernel inferred from the mail when the tree's
    // Makefile says nothing) has its own message, so it keeps its own line.
    for (const d of m.treeDifferences) {
      const what = d.message.replace(/; the tree is followed$/, '');
      ctx.gather({
        key: d.message, items: [],
        render: () => ({
          message: what,
          detail: `${d.line !== null ? `at ${d.file ?? MEMREMAP_H}:${d.line} of the base tree; ` : ''}`
            + 'the tree is followed: where the base tree and zdcheck\'s model data differ, the rules judge by the tree',
        }),
      });
    }
  },
});
