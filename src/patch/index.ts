// MailMessage -> Patch: what kind of mail it is, who wrote it, and what it changes.
import { decodeWords } from 'postal-mime';
import { messageFromText } from '../mail/message.js';
import { parseAddresses } from '../mail/headers.js';
import type { MailMessage, Patch, PatchKind, Person, SubjectTags } from '../types.js';
import { splitBody } from './body.js';
import { parseSubject } from './subject.js';
import { parsePerson, parseTrailers } from './trailers.js';

export { parseSubject } from './subject.js';
export { parseTrailers, parsePerson } from './trailers.js';
export { parseDiffstat, diffstatNewPath, diffstatPathMatches } from './diffstat.js';
export { parseDiffText, parseDiffLines, findDiffStart } from './diff.js';
export { splitBody } from './body.js';

/** `Jane Doe via B4 Relay`, `Jane Doe via linux-mm`: a list or relay rewrote From:. */
const VIA = /^(.*?)\s+via\s+\S.*$/i;

/** True when the address is a relay's or a list's, not the author's own (see authorOf). */
export function isRewrittenSender(person: Person): boolean {
  return VIA.test(person.name);
}

/**
 * The author: an in-body `From:` wins (git am does the same); else the header, with a
 * list's DMARC rewrite ("Name via list <list@...>") undone through X-Original-From or
 * Reply-To when they carry the original.
 */
export function authorOf(message: MailMessage, inBodyFrom: string | undefined): Person | null {
  if (inBodyFrom) {
    const value = inBodyFrom.includes('=?') ? decodeWords(inBodyFrom) : inBodyFrom;
    // Read as git am reads it, and as the Signed-off-by lines are read: the name as written, a
    // parenthesised part kept (an address parser takes `(C)` in `JA(C)rA'me` for a comment).
    const asWritten = parsePerson(value);
    const parsed = parseAddresses(value)[0];
    if (asWritten && (asWritten.name || !parsed?.name)) return asWritten;
    if (parsed) return parsed;
  }
  const from = message.from;
  if (!from) return null;
  const via = VIA.exec(from.name);
  if (!via) return from;
  for (const key of ['x-original-from', 'reply-to']) {
    const original = parseAddresses(message.headers.get(key)?.[0] ?? null)[0];
    if (original) return { name: original.name || via[1]!, address: original.address };
  }
  return from;
}

function kindOf(tags: SubjectTags, hasDiff: boolean): PatchKind {
  if (tags.reply) return 'reply';
  if (hasDiff) return 'patch';
  if (tags.index === 0 && tags.total !== null) return 'cover';
  return 'other';
}

export function parsePatch(message: MailMessage): Patch {
  const parts = splitBody(message.body);
  const inBodySubject = parts.inBody.get('subject');
  const subject = message.subject || inBodySubject || '';
  const tags = parseSubject(subject);
  const kind = kindOf(tags, parts.hasDiff);
  const key = message.messageId ?? message.commit ?? `${message.origin.source}#${message.origin.index}`;
  const recipients =
    message.to.length || message.cc.length ? [...message.to, ...message.cc] : message.commit ? null : [];
  return {
    key,
    kind,
    message,
    subject,
    tags,
    author: authorOf(message, parts.inBody.get('from')),
    date: parts.inBody.get('date') ?? message.date,
    commitMessage: parts.commitMessage,
    trailers: parseTrailers(parts.commitMessage),
    diffstat: parts.diffstat,
    files: parts.files,
    baseCommit: parts.baseCommit,
    recipients,
  };
}

/** Test and tooling helper: a Patch from the text of one mail (format-patch output). */
export async function patchFromText(text: string, source = 'text'): Promise<Patch> {
  return parsePatch(await messageFromText(text, source));
}
export {
  sameAddress,
  sameName,
  sameNameInTransit,
  garbledName,
  normalName,
  signoffs,
  describePerson,
} from './people.js';
export { findGarbling, garbledFormsOf, garblingOf, type Garbling } from './mojibake.js';
export { whitespaceDamageOf, type WhitespaceDamage } from './repair.js';
export { truncationOf, type Truncation } from './truncated.js';
