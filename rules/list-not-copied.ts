import { defineRule } from '../src/engine/rule.js';
import { listSource, missingLists } from '../src/maintainers/demand.js';

export default defineRule({
  meta: {
    id: 'list-not-copied',
    severity: 'warning',
    description: 'A patch is not addressed to a mailing list that MAINTAINERS names for a file it touches',
    scope: 'series',
  },
  check(ctx) {
    const series = ctx.series!;
    // Recipients are only known for mail (To/Cc) and the hook's SMTP headers; a git range has none.
    const patches = series.patches.filter((p) => p.kind === 'patch' && (p.recipients?.length ?? 0) > 0);
    if (!patches.length) return;
    // MAINTAINERS as the series leaves it: a section the series adds for its files counts.
    const tree = ctx.tree;
    const source = listSource(tree);
    const how = source.kind === 'tree' ? 'MAINTAINERS' : "zdcheck's built-in table";
    const why = source.kind === 'tree' ? '' : tree ? `; ${source.why}` : `; ${source.why}; give --tree for the tree's MAINTAINERS`;
    for (const patch of patches) {
      for (const d of missingLists(patch, source)) {
        const older = d.accepts.length > 1 ? ` (or its older address ${d.accepts.slice(1).join(', ')})` : '';
        ctx.report({
          patch,
          message: `not addressed to ${d.list}${older}, the list ${how} names for ${d.file}`,
          detail: `add it to Cc (section ${d.section})${why}`,
        });
      }
    }
  },
});
