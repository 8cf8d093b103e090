import { defineRule, type Report } from '../../src/engine/rule.js';
import type { ApplyCause } from '../../src/source/types.js';

type Id = 'fileMissing' | 'pastEndOfFile' | 'oldLinesNotFound';

export default defineRule<Id>({
  meta: {
    id: 'does-not-apply',
    severity: 'error',
    description: 'A hunk does not apply to the base tree',
    scope: 'series',
    runsOn: 'zone-device',
    messages: {
      fileMissing: 'hunk {{hunk}} ({{header}}) does not apply to the base tree: the base tree has no such file',
      pastEndOfFile:
        'hunk {{hunk}} ({{header}}) does not apply to the base tree: line {{line}} is past the end of the file ({{fileLines}} lines)',
      oldLinesNotFound:
        'hunk {{hunk}} ({{header}}) does not apply to the base tree: its {{oldLines}} old lines match nowhere at or after line {{from}}',
    },
  },
  check(ctx) {
    const src = ctx.source();
    for (const f of src.failures) {
      const hunk = { hunk: f.hunkIndex + 1, header: /^@@[^@]*@@/.exec(f.hunk.header)?.[0] ?? f.hunk.header.trim() };
      ctx.report({
        patch: f.patch,
        file: f.path,
        line: f.hunk.newStart || null,
        ...reportOf(f.cause, hunk),
        detail: `${f.hunk.header.trim()}: the checks on this file use the patch text only`,
      });
    }
  },
});

/** The message for why the hunk did not apply. */
function reportOf(cause: ApplyCause, hunk: { hunk: number; header: string }): Pick<Report<Id>, 'messageId' | 'data'> {
  switch (cause.kind) {
    case 'no-file':
      return { messageId: 'fileMissing', data: hunk };
    case 'past-end':
      return { messageId: 'pastEndOfFile', data: { ...hunk, line: cause.line, fileLines: cause.fileLines } };
    case 'no-match':
      return { messageId: 'oldLinesNotFound', data: { ...hunk, oldLines: cause.oldLines, from: cause.from } };
  }
}
