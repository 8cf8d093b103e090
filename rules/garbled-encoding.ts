// Names and subjects that went through a wrong charset somewhere between the author and us.
import { defineRule } from '../src/engine/rule.js';
import { findGarbling, type Garbling } from '../src/patch/index.js';
import type { Patch } from '../src/types.js';

function fieldsOf(patch: Patch): Array<[string, string]> {
  const fields: Array<[string, string]> = [['subject', patch.subject]];
  if (patch.author) fields.push(['author name', patch.author.name]);
  if (patch.message.from && patch.message.from.name !== patch.author?.name) fields.push(['From: name', patch.message.from.name]);
  for (const t of patch.trailers) if (t.person) fields.push([`${t.key}: name`, t.person.name]);
  return fields;
}

export default defineRule({
  meta: {
    id: 'garbled-encoding',
    severity: 'warning',
    description: 'A name or subject shows UTF-8 read as Latin-1, or a U+FFFD replacement character',
    scope: 'series',
  },
  check(ctx) {
    const series = ctx.series!;
    for (const patch of [...(series.cover ? [series.cover] : []), ...series.patches]) {
      const hits: Array<[string, string, Garbling]> = [];
      for (const [field, text] of fieldsOf(patch)) {
        const g = findGarbling(text);
        if (g) hits.push([field, text, g]);
      }
      if (hits.length === 0) continue;
      const what = hits.map(([field, text, g]) => `${field} "${text}" (${g.kind} near "${g.sample}")`).join('; ');
      ctx.report({ patch, message: `garbled text: ${what}; resend with the charset declared (git send-email sets UTF-8)` });
    }
  },
});
