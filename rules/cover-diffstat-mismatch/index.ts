// The cover letter's diffstat is a claim about the series; check it against the patches.
//
// The cover shows the cumulative diff (base..head), the patches each show their own, so a
// file changed by several patches cannot be compared exactly. What still holds exactly:
// insertions minus deletions add up, and the cumulative count can only be smaller than the
// sum and has the same parity. A file touched by one patch must match exactly.
import { defineRule } from '../../src/engine/rule.js';
import { diffstatNewPath, diffstatPathMatches } from '../../src/patch/index.js';
import type { Patch } from '../../src/types.js';

interface FileChange {
  /** sum over patches of additions + deletions */
  sum: number;
  /** sum over patches of additions - deletions */
  net: number;
  patches: number;
  binary: boolean;
}

function changesBy(patches: readonly Patch[]): Map<string, FileChange> {
  const out = new Map<string, FileChange>();
  for (const p of patches) {
    if (p.kind !== 'patch') continue;
    for (const f of p.files) {
      const path = f.newPath ?? f.oldPath;
      if (!path) continue;
      const c = out.get(path) ?? { sum: 0, net: 0, patches: 0, binary: false };
      c.sum += f.additions + f.deletions;
      c.net += f.additions - f.deletions;
      c.patches++;
      c.binary ||= f.binary;
      out.set(path, c);
    }
  }
  return out;
}

/** Can a cumulative count `n` result from these per-patch changes? */
function plausible(n: number, c: FileChange): boolean {
  if (c.patches === 1) return n === c.sum;
  return n <= c.sum && n >= Math.abs(c.net) && (n - c.net) % 2 === 0;
}

function missingParts(patches: readonly Patch[], total: number | null): boolean {
  if (total === null) return false;
  const have = new Set(patches.map((p) => p.tags.index));
  for (let i = 1; i <= total; i++) if (!have.has(i)) return true;
  return false;
}

export default defineRule({
  meta: {
    id: 'cover-diffstat-mismatch',
    severity: 'warning',
    description: "The cover letter's diffstat disagrees with what the patches change",
    scope: 'series',
    messages: {
      listedNotChanged: 'cover letter lists {{path}}, which no patch of the series changes',
      countDiffers: 'cover letter says {{path}} has {{listed}} changed lines; the patches change {{changed}}',
      changedNotListed: "patches change {{path}}, which the cover letter's diffstat does not list",
      summaryDiffers:
        'cover letter says {{files}} files changed, {{insertions}} insertions(+), {{deletions}} deletions(-); ' +
        'the patches change {{changedFiles}} files, +{{added}} -{{deleted}}',
    },
  },
  check(ctx) {
    const series = ctx.series;
    const cover = series.cover;
    const stat = cover?.diffstat;
    if (!cover || !stat || series.patches.length === 0) return;
    // With parts missing the numbers cannot agree; series-numbering says why.
    if (missingParts(series.patches, cover.tags.total)) return;
    const changes = changesBy(series.patches);
    const listed = new Set<string>();
    let flagged = false;
    for (const entry of stat.entries) {
      const hits = [...changes].filter(
        ([path]) =>
          diffstatPathMatches(entry.path, path) || diffstatPathMatches(entry.path.replace(/^.* => /, ''), path),
      );
      const hit = hits[0];
      if (hit === undefined) {
        flagged = true;
        ctx.report({
          patch: cover,
          file: diffstatNewPath(entry.path),
          messageId: 'listedNotChanged',
          data: { path: entry.path },
        });
        continue;
      }
      const [path, c] = hit;
      listed.add(path);
      if (entry.binary || entry.changes === null || c.binary) continue;
      if (!plausible(entry.changes, c)) {
        flagged = true;
        const what =
          c.patches === 1 ? `${c.sum}` : `${c.sum} over ${c.patches} patches, net ${c.net >= 0 ? '+' : ''}${c.net}`;
        ctx.report({
          patch: cover,
          file: path,
          messageId: 'countDiffers',
          data: { path: entry.path, listed: entry.changes, changed: what },
        });
      }
    }
    // Unlisted files count only when the cover's list claims to be complete.
    const complete = stat.summary !== null && stat.summary.files === stat.entries.length;
    if (complete) {
      for (const path of changes.keys()) {
        if (listed.has(path)) continue;
        flagged = true;
        ctx.report({ patch: cover, file: path, messageId: 'changedNotListed', data: { path } });
      }
    }
    if (flagged || !stat.summary) return;
    const s = stat.summary;
    let ins = 0;
    let del = 0;
    for (const p of series.patches)
      for (const f of p.files) {
        ins += f.additions;
        del += f.deletions;
      }
    const multi = [...changes.values()].some((c) => c.patches > 1);
    const ok =
      s.files === changes.size &&
      (multi
        ? s.insertions - s.deletions === ins - del && s.insertions <= ins && s.deletions <= del
        : s.insertions === ins && s.deletions === del);
    if (!ok) {
      ctx.report({
        patch: cover,
        messageId: 'summaryDiffers',
        data: {
          files: s.files,
          insertions: s.insertions,
          deletions: s.deletions,
          changedFiles: changes.size,
          added: ins,
          deleted: del,
        },
      });
    }
  },
});
