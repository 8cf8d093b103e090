// Verdicts on the findings of the corpus audit (scripts/audit-corpus.mjs), one per kind of
// finding: the rule, a pattern over "patch\nfile:line\nmessage", and the judgement with its reason.
// Reviewed 2026-11-25 against the corpus of scripts/get-corpus.sh (Debian linux 6.1.187-1).
export const VERDICTS = [
  { rule: 'missing-signoff', verdict: 'true', why: "a Debian DEP-3 patch (Debian's own, or a backport carried with Debian's header) without Signed-off-by: not for upstream, so the rule is right that it could not be sent as is" },
  { rule: 'series-numbering', match: /parts? [\d, ]+ of \d+ missing/, verdict: 'true', why: 'Debian carries some parts of an upstream series (cherry-picked backports, e.g. part 28 of 30); read as a series, the other parts are indeed not in the input' },
  { rule: 'series-numbering', match: /disagree on the total/, verdict: 'rule bug (fixed)', why: 'unthreaded patches of different series were grouped into one; src/series/group.ts now starts a new unthreaded series where the declared total changes (fixture series-numbering/bad-two-unthreaded-series.mbox)' },
  { rule: 'signoff-author-mismatch', verdict: 'true', why: 'the author signed off with another address of theirs (company vs personal); a warning, as the rule documents' },
  { rule: 'does-not-apply', match: /linux\.orig\/|debian-kernel\.orig\/|base tree has no such file/, verdict: 'rule bug (listed)', why: 'quilt-style paths (`--- linux.orig/x`, `+++ linux/x`) keep their first component: the patch stage strips only a/ b/-style prefixes; see "For the owners" below' },
  { rule: 'does-not-apply', verdict: 'true', why: 'the hunk does not apply to this base: Debian applies its patches in series order on top of each other, the mbox checks each alone against the vanilla tree (or the patch is a backport of a later stable change)' },
  { rule: 'duplicate-enumerator', match: /OFFSET and CONTROL/, verdict: 'true', why: 'drivers/hwmon/adt7475.c really gives CONTROL and OFFSET the value 3, on purpose (the line says `// Dup`); a warning is the right level for a deliberate alias' },
];
