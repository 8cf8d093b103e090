// --new-only: keep only the findings a range introduces, judged per rule against its base, the
// way semgrep's baseline scan and reviewdog's `added` filter work. The same rules run over the
// base's version of every file the range touches (each offered as if added whole, so every line
// is judged, with the base commit as the tree for everything else); a finding of the range is
// old when the base run has one of the same rule on the same file whose flagged line reads the
// same. Line numbers move when a range adds lines above a problem, so they are never compared:
// the flagged line's text is (whitespace-normalised), and for findings without a line the
// message with its numbers taken out. Equal keys are counted, so a second copy of an old
// problem is new. Findings about the mail (no file) are always the range's own.
import type { CheckOptions, Rule } from '../engine/rule.js';
import { check } from '../pipeline.js';
import type { Collection, FileDiff, Finding, Patch } from '../types.js';
import { gitReaderIn, type GitReader } from '../git/run.js';

export interface BaselineOptions {
  collection: Collection;
  findings: readonly Finding[];
  rules: readonly Rule[];
  options: CheckOptions;
  repo: string;
  /** The base commit (the range's merge base). */
  base: string;
  /** How git is asked (tests stand in for it); default: git in `repo`. */
  git?: GitReader;
}

export interface BaselineResult {
  /** The findings the range introduces. */
  findings: Finding[];
  /** Findings hidden because the base has them already. */
  existing: Finding[];
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();
const messageKey = (m: string): string => norm(m.replace(/\d+/g, '#'));

function patchesOf(collection: Collection): Patch[] {
  return [...collection.series.flatMap((s) => s.patches), ...collection.stray.filter((p) => p.kind === 'patch')];
}

/** The text of post-image line `line` of `path` in this patch's hunks, or null. */
function hunkLine(diff: FileDiff, line: number): string | null {
  for (const h of diff.hunks) for (const l of h.lines) if (l.newLine === line && l.kind !== 'del') return l.text;
  return null;
}

/** Each path as the range ends it -> the path it had in the base (renames followed back; null: added). */
function basePathsOf(patches: readonly Patch[]): Map<string, string | null> {
  const origin = new Map<string, string | null>();
  for (const p of patches) {
    for (const d of p.files) {
      if (d.newPath === null) continue;
      const traced = d.oldPath === null ? null : origin.get(d.oldPath);
      const before = traced === undefined ? d.oldPath : traced;
      origin.set(d.newPath, d.status === 'added' ? null : before);
    }
  }
  return origin;
}

/** One synthetic mail that adds each base file whole, so the rules judge every line of it. */
export function baselineMail(files: ReadonlyMap<string, string>): string {
  const out = [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
    'From: zdcheck baseline <baseline@zdcheck.invalid>',
    'Subject: [PATCH] zdcheck baseline',
    '',
    'The base version of the files the range touches.',
    '',
    'Signed-off-by: zdcheck baseline <baseline@zdcheck.invalid>',
    '---',
  ];
  for (const [path, text] of files) {
    const lines = text.split('\n');
    const eofNewline = text.endsWith('\n');
    if (eofNewline) lines.pop();
    if (lines.length === 0) continue;
    out.push(
      `diff --git a/${path} b/${path}`,
      'new file mode 100644',
      '--- /dev/null',
      `+++ b/${path}`,
      `@@ -0,0 +1,${lines.length} @@`,
    );
    for (const l of lines) out.push(`+${l}`);
    if (!eofNewline) out.push('\\ No newline at end of file');
  }
  return out.join('\n') + '\n';
}

export async function newFindingsOnly(opts: BaselineOptions): Promise<BaselineResult> {
  if (!SHA.test(opts.base)) throw new Error(`baseline: ${opts.base} is not a commit id`);
  const patches = patchesOf(opts.collection);
  const byKey = new Map(patches.map((p) => [p.key, p]));
  const basePath = basePathsOf(patches);
  const git = opts.git ?? gitReaderIn(opts.repo);

  // The base's text of every touched file it has (only commit ids and diff paths reach git,
  // as separate arguments, never through a shell).
  const baseFiles = new Map<string, string>();
  for (const path of new Set([...basePath.values()].filter((p): p is string => p !== null))) {
    const text = await git(['show', `${opts.base}:${path}`]);
    if (text !== null && !text.includes('\u0000')) baseFiles.set(path, text);
  }
  const old = new Map<string, number>();
  const bump = (k: string) => old.set(k, (old.get(k) ?? 0) + 1);
  if (baseFiles.size > 0) {
    // The touched files are absent from the snapshot so that "added whole" applies; every other
    // file a rule reads comes from the base commit through the tree.
    const snapshot = new Map<string, string | null>([...baseFiles.keys()].map((p) => [p, null]));
    const { findings: found } = await check(
      [
        {
          kind: 'buffer',
          source: `baseline:${opts.base.slice(0, 12)}`,
          data: Buffer.from(baselineMail(baseFiles)),
          gitBase: { repo: opts.repo, commit: opts.base },
        },
      ],
      { ...opts.options, tree: null, rules: opts.rules, base: snapshot },
    );
    const lines = new Map([...baseFiles].map(([p, t]) => [p, t.split('\n')]));
    for (const f of found) {
      if (f.file === null) continue;
      const fileLines = lines.get(f.file); // undefined for a file not among the base files
      if (!fileLines) continue;
      const text = f.line !== null ? fileLines[f.line - 1] : undefined;
      bump(
        text !== undefined
          ? `${f.rule}\0${f.file}\0L\0${norm(text)}`
          : `${f.rule}\0${f.file}\0M\0${messageKey(f.message)}`,
      );
    }
  }

  const result: BaselineResult = { findings: [], existing: [] };
  for (const f of opts.findings) {
    const was = f.file !== null ? (basePath.get(f.file) ?? (basePath.has(f.file) ? null : f.file)) : null;
    if (f.file === null || was === null) {
      result.findings.push(f);
      continue;
    }
    let text: string | null = null;
    if (f.line !== null) {
      const patch = f.patchKey !== null ? byKey.get(f.patchKey) : undefined;
      const diff = patch?.files.find((d) => d.newPath === f.file);
      text = diff ? hunkLine(diff, f.line) : null;
      const commit = patch?.message.commit;
      if (text === null && commit && SHA.test(commit)) {
        text = (await git(['show', `${commit}:${f.file}`]))?.split('\n')[f.line - 1] ?? null;
      }
    }
    const key =
      text !== null ? `${f.rule}\0${was}\0L\0${norm(text)}` : `${f.rule}\0${was}\0M\0${messageKey(f.message)}`;
    const n = old.get(key) ?? 0;
    if (n > 0) {
      old.set(key, n - 1);
      result.existing.push(f);
    } else result.findings.push(f);
  }
  return result;
}
