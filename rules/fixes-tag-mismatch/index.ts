// A `Fixes:` tag names a commit by id and quotes its subject. checkpatch checks only the shape;
// whether the id exists and the subject is that commit's takes the repository, which is what
// linux-next's daily check and b4 ask of it. Without a repository the rule has nothing to ask.
import { defineRule, type SeriesContext } from '../../src/engine/rule.js';
import type { Patch } from '../../src/types.js';

export default defineRule({
  meta: {
    id: 'fixes-tag-mismatch',
    severity: 'error',
    description:
      "A Fixes: tag names a commit the repository does not have, or quotes another subject than that commit's",
    scope: 'series',
    messages: {
      unknownCommit: 'Fixes: {{id}} names no commit of the repository {{repo}}',
      subjectDiffers: 'Fixes: {{id}} quotes ("{{quoted}}"), but commit {{id}} is ("{{actual}}")',
    },
  },
  check(ctx) {
    // Tags first: finding the repository costs a git process, and most patches carry no Fixes:.
    const tags = ctx.series.patches
      .filter((p) => p.kind === 'patch')
      .flatMap((patch) => fixesTags(patch.commitMessage).map((t) => ({ ...t, patch })));
    if (!tags.length) return;
    const repo = ctx.repository;
    if (!repo) return;
    const found = repo.commits(tags.map((t) => t.id));
    for (const tag of tags) {
      const hit = found.get(tag.id);
      if (!hit) continue;
      if (!hit.found) {
        // An ambiguous prefix is checkpatch's length complaint; a shallow clone lacks old history.
        if (hit.reason === 'missing' && !repo.shallow)
          report(ctx, tag.patch, 'unknownCommit', { id: tag.id, repo: shortPath(repo.dir) }, tag.line);
        continue;
      }
      if (tag.quoted === null || sameSubject(tag.quoted, hit.subject)) continue;
      report(
        ctx,
        tag.patch,
        'subjectDiffers',
        { id: tag.id, quoted: clip(tag.quoted), actual: clip(hit.subject) },
        tag.line,
        `the commit's subject is "${hit.subject}"; the tag quotes "${tag.quoted}". Write the tag with: git log -1 --format='Fixes: %h ("%s")' ${tag.id}`,
      );
    }
  },
});

type MessageId = 'unknownCommit' | 'subjectDiffers';

function report(
  ctx: SeriesContext<MessageId>,
  patch: Patch,
  messageId: MessageId,
  data: Record<string, string>,
  line: string,
  detail?: string,
) {
  ctx.report({
    patch,
    messageId,
    data,
    detail:
      detail ??
      `the tag: ${line}. No commit of the repository has this id: a typo, a commit of another tree, or one rewritten by a rebase; look it up (git log --oneline --grep) and write the tag with: git log -1 --format='Fixes: %h ("%s")' <commit>`,
  });
}

export interface FixesTag {
  /** The commit id as written. */
  id: string;
  /** The quoted subject, or null when the tag quotes none. */
  quoted: string | null;
  /** The tag as written, continuation lines joined. */
  line: string;
}

const TAG = /^\s*Fixes:\s+([0-9a-f]{7,40})\b(.*)$/i;

/**
 * The `Fixes: <id> ("<subject>")` tags of a commit message. A subject wrapped onto the next lines
 * (a mailer's or an editor's fold) is joined back, up to its closing `")`.
 */
export function fixesTags(message: string): FixesTag[] {
  // Most commit messages have no Fixes: tag; only those are cut into lines.
  if (!/fixes:/i.test(message)) return [];
  const lines = message.split('\n');
  const out: FixesTag[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = TAG.exec(lines[i]!);
    if (!m) continue;
    let rest = m[2]!.trim();
    let line = lines[i]!.trim();
    for (let k = 1; k <= 2 && rest.startsWith('("') && !/"\)\s*$/.test(rest); k++) {
      const next = lines[i + k];
      if (next === undefined || next.trim() === '' || /^\s*[A-Za-z-]+:\s/.test(next)) break;
      rest = `${rest} ${next.trim()}`;
      line = `${line} ${next.trim()}`;
    }
    const quoted = /^\("(.*)"\)\s*$/.exec(rest);
    out.push({ id: m[1]!, quoted: quoted ? quoted[1]! : null, line });
  }
  return out;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The same subject, folded whitespace aside. */
function sameSubject(quoted: string, actual: string): boolean {
  return norm(quoted) === norm(actual);
}

function shortPath(dir: string): string {
  return dir.length > 60 ? `...${dir.slice(-57)}` : dir;
}

function clip(s: string): string {
  const t = norm(s);
  return t.length > 48 ? `${t.slice(0, 45)}...` : t;
}
