// `Re: [RFC PATCH v2 3/7] mm: title` -> SubjectTags.
import type { SubjectTags } from '../types.js';

// Reply and forward prefixes, localised ones too (Outlook's Chinese 回复/答复/转发 with a full-width
// colon, Polish Odp, Turkish YNT, Italian RIF, French Réf): a top-posted reply quoting a patch unquoted
// under "-----Original Message-----" must not count as a second copy of that patch.
// After a tag group only the unmistakable ones count: `[PATCH] fw: ...` and `[PATCH] tr: ...` are
// subsystems, not a forward or a Turkish reply.
const REPLY_PREFIX = /^\s*(re|aw|sv|antw|fwd)\s*(\[\d+\])?\s*:\s*/i;
const LEADING_REPLY_PREFIX =
  /^\s*(re|aw|sv|antw|vs|r|fwd?|fw|wg|tr|odp|ynt|rif|r[ée]f|回复|回覆|答复|转发|轉寄)\s*(\[\d+\])?\s*[:：]\s*/i;
const BRACKETS = /^\s*\[([^\]]*)\]/;

export function parseSubject(subject: string): SubjectTags {
  let rest = subject.replace(/\s+/g, ' ').trim();
  let reply = false;
  const groups: string[] = [];
  // Reply prefixes and tag groups may interleave: "Re: [PATCH] Re: [PATCH v2 1/2] x".
  for (;;) {
    const r = (groups.length === 0 ? LEADING_REPLY_PREFIX : REPLY_PREFIX).exec(rest);
    if (r) {
      reply = true;
      rest = rest.slice(r[0].length);
      continue;
    }
    const b = BRACKETS.exec(rest);
    if (b) {
      groups.push(b[1]!.trim());
      rest = rest.slice(b[0].length);
      continue;
    }
    break;
  }
  let rfc = false;
  let version = 1;
  let index: number | null = null;
  let total: number | null = null;
  for (const group of groups) {
    for (const token of group.split(/[\s,]+/)) {
      // `PATCHv2`, `RFCv2`: the version glued to the tag, as some senders type it
      if (/^rfc(?:v\d{1,4})?$/i.test(token)) rfc = true;
      const v = /^(?:patch|rfc)?v(\d{1,4})$/i.exec(token);
      if (v) version = Number(v[1]);
      const n = /^(\d{1,5})\/(\d{1,5})$/.exec(token);
      if (n) {
        index = Number(n[1]);
        total = Number(n[2]);
      }
    }
  }
  return { prefix: groups.join(' '), rfc, version, index, total, reply, title: rest.trim() };
}
