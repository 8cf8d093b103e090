// The fixture convention of fixtures/README.md, for any rule: X-Expect headers are read from
// the raw messages (so an unreadable message can still carry its expectation), findings are
// mapped back to the message they are about, and both sides become comparable strings:
//   `<rule> #<message index> <file>[:<line>]`  a finding on a patch (file optional)
//   `<rule> series #<first message index>`     a finding on the series as a whole
//   `<rule> input`                              an input-level finding
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { splitMbox } from '../../src/mail/split.js';
import { splitHeaders, decodeHeader } from '../../src/mail/headers.js';
import { check } from '../../src/pipeline.js';
import type { Rule } from '../../src/engine/rule.js';
import type { Collection, Finding, Series } from '../../src/types.js';

export const FIXTURES = 'fixtures';

/** Folders of fixtures/ named after a registered rule. */
export function ruleFolders(rules: readonly Rule[]): string[] {
  const ids = new Set(rules.map((r) => r.meta.id));
  return readdirSync(FIXTURES).filter((d) => ids.has(d) && statSync(join(FIXTURES, d)).isDirectory()).sort();
}

export function casesOf(dir: string, pattern = /^(bad|good)-.*\.(mbox|patch|eml)$/): string[] {
  return readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => join(dir, f));
}

/** `fixtures/<id>/tree`, the base tree some rules' fixtures come with. */
export function treeOf(dir: string): string | null {
  const t = join(dir, 'tree');
  return existsSync(t) ? t : null;
}

/** `<case>.tree/` beside a case: its own base tree, used instead of the folder's `tree/`. */
export function caseTreeOf(file: string): string | null {
  const t = file.replace(/\.(mbox|patch|eml)$/, '.tree');
  return t !== file && existsSync(t) ? t : null;
}

export interface Expectation {
  rule: string;
  /** index of the message that carries it */
  index: number;
  /** 'series' | 'input' | `file[:line]` | '' */
  where: string;
}

export function readExpectations(file: string): Expectation[] {
  const out: Expectation[] = [];
  for (const raw of splitMbox(readFileSync(file))) {
    for (const h of splitHeaders(raw.data).headers) {
      if (h.key !== 'x-expect') continue;
      const [rule, where] = decodeHeader(h.value).trim().split(/\s+/);
      if (rule) out.push({ rule, index: raw.index, where: where ?? '' });
    }
  }
  return out;
}

function seriesMembers(s: Series) {
  return [...(s.cover ? [s.cover] : []), ...s.patches, ...s.replies];
}

function seriesLabel(s: Series): string {
  return `series #${Math.min(...seriesMembers(s).map((p) => p.message.origin.index))}`;
}

export function expectedStrings(exps: readonly Expectation[], collection: Collection, rules: ReadonlySet<string>): string[] {
  const seriesOfIndex = new Map<number, Series>();
  for (const s of collection.series) for (const p of seriesMembers(s)) seriesOfIndex.set(p.message.origin.index, s);
  return exps.filter((e) => rules.has(e.rule)).map((e) => {
    if (e.where === 'input') return `${e.rule} input`;
    if (e.where === 'series') {
      const s = seriesOfIndex.get(e.index);
      return `${e.rule} ${s ? seriesLabel(s) : `series of unplaced message #${e.index}`}`;
    }
    return `${e.rule} #${e.index} ${e.where}`.trim();
  }).sort();
}

export function actualStrings(findings: readonly Finding[], collection: Collection, rules: ReadonlySet<string>): string[] {
  const byKey = new Map<string, number>();
  const seriesByKey = new Map<string, Series>();
  for (const s of collection.series) {
    seriesByKey.set(s.key, s);
    for (const p of seriesMembers(s)) byKey.set(p.key, p.message.origin.index);
  }
  // A finding may be about a message no series took (patch-without-diff on a lone mail).
  for (const p of collection.stray) byKey.set(p.key, p.message.origin.index);
  return findings.filter((f) => rules.has(f.rule)).map((f) => {
    if (f.patchKey !== null) {
      const where = f.file ? `${f.file}${f.line !== null ? `:${f.line}` : ''}` : '';
      return `${f.rule} #${byKey.get(f.patchKey) ?? '?'} ${where}`.trim();
    }
    if (f.series !== null) {
      const s = seriesByKey.get(f.series);
      return `${f.rule} ${s ? seriesLabel(s) : 'series ?'}`;
    }
    return `${f.rule} input`;
  }).sort();
}

export interface FixtureResult {
  expected: string[];
  actual: string[];
  findings: Finding[];
}

/** Runs the pipeline on one fixture with `rules`, comparing the findings of `compared`. */
export async function runFixtureFile(file: string, rules: readonly Rule[], compared: readonly string[], tree: string | null = null): Promise<FixtureResult> {
  const { collection, findings } = await check([{ kind: 'path', path: file }], { tree, kernel: null, rules });
  const ids = new Set(compared);
  return {
    expected: expectedStrings(readExpectations(file), collection, ids),
    actual: actualStrings(findings, collection, ids),
    findings,
  };
}
