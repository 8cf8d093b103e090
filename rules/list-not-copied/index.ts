// A patch not addressed to a list MAINTAINERS names for a file it touches: the tree's MAINTAINERS
// as the series leaves it, else a built-in table for the ZONE_DEVICE area (and the message says so).
import { defineRule } from '../../src/engine/rule.js';
import { listSource, missingLists } from '../../src/maintainers/demand.js';

export default defineRule({
  meta: {
    id: 'list-not-copied',
    severity: 'warning',
    description: 'A patch is not addressed to a mailing list that MAINTAINERS names for a file it touches',
    scope: 'series',
    messages: {
      listNotCopied: 'not addressed to {{list}}, the list MAINTAINERS names for {{file}}',
      movedListNotCopied:
        'not addressed to {{list}} (or its older address {{older}}), the list MAINTAINERS names for {{file}}',
      listNotCopiedBuiltIn: "not addressed to {{list}}, the list zdcheck's built-in table names for {{file}}",
      movedListNotCopiedBuiltIn:
        "not addressed to {{list}} (or its older address {{older}}), the list zdcheck's built-in table names for {{file}}",
    },
  },
  check(ctx) {
    // Recipients are only known for mail (To/Cc) and the hook's SMTP headers; a git range has none.
    const patches = ctx.series.patches.filter((p) => p.kind === 'patch' && (p.recipients?.length ?? 0) > 0);
    if (!patches.length) return;
    // MAINTAINERS as the series leaves it: a section the series adds for its files counts.
    const tree = ctx.tree;
    const source = listSource(tree);
    const builtIn = source.kind !== 'tree';
    const why = builtIn ? (tree ? `; ${source.why}` : `; ${source.why}; give --tree for the tree's MAINTAINERS`) : '';
    for (const patch of patches) {
      for (const d of missingLists(patch, source)) {
        const detail = `add it to Cc (section ${d.section})${why}`;
        const { list, file } = d;
        if (d.accepts.length > 1) {
          const older = d.accepts.slice(1).join(', ');
          ctx.report({
            patch,
            messageId: builtIn ? 'movedListNotCopiedBuiltIn' : 'movedListNotCopied',
            data: { list, older, file },
            detail,
          });
        } else {
          ctx.report({
            patch,
            messageId: builtIn ? 'listNotCopiedBuiltIn' : 'listNotCopied',
            data: { list, file },
            detail,
          });
        }
      }
    }
  },
});
