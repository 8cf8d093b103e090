// Names and subjects that went through a wrong charset somewhere between the author and us.
import { defineRule } from '../../src/engine/rule.js';
import { findGarbling, garblingOf, type Garbling } from '../../src/patch/index.js';
import type { Patch, Person } from '../../src/types.js';

/** [field, text, the address of the person it names (null for the subject)] */
function fieldsOf(patch: Patch): Array<[string, string, string | null]> {
  const fields: Array<[string, string, string | null]> = [['subject', patch.subject, null]];
  if (patch.author) fields.push(['author name', patch.author.name, patch.author.address]);
  if (patch.message.from && patch.message.from.name !== patch.author?.name)
    fields.push(['From: name', patch.message.from.name, patch.message.from.address]);
  for (const t of patch.trailers) if (t.person) fields.push([`${t.key}: name`, t.person.name, t.person.address]);
  return fields;
}

/**
 * The names this mail decodes right: the author's and the From: header's, and a To:/Cc: entry for
 * the same address (RFC 2047 headers survive archives that garble the body).
 */
function rightNames(patch: Patch, address: string | null): string[] {
  const same = (p: Person) => address !== null && p.address.toLowerCase() === address.toLowerCase();
  const people = [patch.author, patch.message.from, ...patch.message.to.filter(same), ...patch.message.cc.filter(same)];
  return people.map((p) => p?.name.normalize('NFC') ?? '').filter((n) => /[^\x00-\x7f]/.test(n));
}

export default defineRule({
  meta: {
    id: 'garbled-encoding',
    severity: 'warning',
    description: 'A name or subject shows UTF-8 read as Latin-1, or a U+FFFD replacement character',
    scope: 'series',
    messages: {
      garbled: 'garbled text: {{field}} "{{text}}" ({{kind}})',
      garbledAndOneMore: 'garbled text: {{field}} "{{text}}" ({{kind}}), and 1 more field',
      garbledAndMore: 'garbled text: {{field}} "{{text}}" ({{kind}}), and {{others}} more fields',
    },
  },
  check(ctx) {
    const series = ctx.series;
    for (const patch of [...(series.cover ? [series.cover] : []), ...series.patches]) {
      const hits: Array<[string, string, Garbling]> = [];
      for (const [field, text, address] of fieldsOf(patch)) {
        // A name decoded right in one place shows how another copy was garbled, even when the
        // damage was made plain ASCII afterwards ("JA(C)rA'me").
        const g =
          findGarbling(text) ??
          (address === null
            ? null
            : (rightNames(patch, address)
                .map((r) => garblingOf(text, r))
                .find((x) => x !== null) ?? null));
        if (g) hits.push([field, text, g]);
      }
      if (hits.length === 0) continue;
      const [field, text, g] = hits[0]!;
      const what = hits.map(([field, text, g]) => `${field} "${text}" (${g.kind} near "${g.sample}")`).join('; ');
      const others = hits.length - 1;
      ctx.report({
        patch,
        messageId: others === 0 ? 'garbled' : others === 1 ? 'garbledAndOneMore' : 'garbledAndMore',
        data: { field, text, kind: g.kind, ...(others > 1 ? { others } : {}) },
        detail: `${what}; resend with the charset declared (git send-email sets UTF-8)`,
      });
    }
  },
});
