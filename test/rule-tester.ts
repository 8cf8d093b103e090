// The one rule tester, after ESLint's RuleTester: a rule's folder holds its cases, and each case
// states its verdict next to it (fixtures/README.md). `testRule(rule, dir)` runs every case of
// `dir/fixtures/` through the one run path, once in each mode the case declares:
//
//   mail  the mail alone (no base tree)
//   tree  the mail with its base tree (`--tree`): `<case>.tree/` beside it, else the folder's `tree/`
//   git   the mail applied with `git am` onto its base tree committed in a scratch repository, and
//         the range checked as `--git base..HEAD` (format-patch renumbers the parts: findings are
//         matched to the case's messages by title; a cover letter makes no commit)
//
// A case declares its modes with `X-Modes: mail tree git` on its first message; by default it
// runs in `tree` when it has a base tree, else in `mail`. Expectations:
//
//   X-Expect: <rule>[/<messageId>] [<file>[:<line>] | series | input]     in every mode
//   X-Expect-Mail: ...                                                       in mail mode only
//   X-Expect-Tree: ...                                                       in tree and git modes
//
// A finding is compared as `<rule>[/<messageId>] #<message index> <where>`; the message id only
// when the expectation names one. Besides its findings, every run asserts that nothing ended in
// an internal error and that each message of the rule is one line of at most 160 characters.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../src/config/types.js';
import type { Rule } from '../src/engine/rule.js';
import { readGitRange } from '../src/input/git.js';
import type { InputSpec } from '../src/input/types.js';
import { decodeHeader, splitHeaders } from '../src/mail/headers.js';
import { splitMbox } from '../src/mail/split.js';
import { run } from '../src/run.js';
import type { Collection, Finding, Patch, Series } from '../src/types.js';

export const MODES = ['mail', 'tree', 'git'] as const;
export type Mode = (typeof MODES)[number];

/** Longest message a finding may carry: one readable line; the rest belongs in `detail`. */
export const MESSAGE_LIMIT = 160;

export interface Expectation {
  rule: string;
  messageId: string | null;
  /** Index of the message that carries it. */
  index: number;
  /** 'series' | 'input' | `file[:line]` | '' */
  where: string;
  /** The modes it holds in. */
  modes: readonly Mode[];
}

export interface FixtureCase {
  file: string;
  /** Its base tree, or null. */
  tree: string | null;
  modes: Mode[];
  expectations: Expectation[];
  /** Titles of the case's messages, by index (git mode matches findings to messages by title). */
  titles: string[];
}

const EXPECT_HEADERS: Record<string, readonly Mode[]> = {
  'x-expect': MODES,
  'x-expect-mail': ['mail'],
  'x-expect-tree': ['tree', 'git'],
};

/** `[PATCH v2 2/3] mm: x` -> `mm: x`: what survives git am and format-patch's renumbering. */
export function titleOf(subject: string | null): string {
  return (subject ?? '')
    .replace(/^(\s*\[[^\]]*\]\s*)+/, '')
    .replace(/^(re|aw|sv|fwd?):\s*/i, '')
    .trim();
}

/** The cases of a rule folder: `fixtures/{bad,good}-*.{mbox,patch,eml}`, in name order. */
export function casesIn(dir: string): FixtureCase[] {
  const fixtures = join(dir, 'fixtures');
  if (!existsSync(fixtures)) return [];
  return readdirSync(fixtures)
    .filter((f) => /^(bad|good)-.*\.(mbox|patch|eml)$/.test(f))
    .sort()
    .map((f) => readCase(join(fixtures, f)));
}

export function readCase(file: string): FixtureCase {
  const own = file.replace(/\.(mbox|patch|eml)$/, '.tree');
  const shared = join(file, '..', 'tree');
  const tree = existsSync(own) ? own : existsSync(shared) ? shared : null;
  const expectations: Expectation[] = [];
  const titles: string[] = [];
  let declared: Mode[] | null = null;
  for (const raw of splitMbox(readFileSync(file))) {
    const { headers } = splitHeaders(raw.data);
    titles[raw.index] = titleOf(decodeHeader(headers.find((h) => h.key === 'subject')?.value ?? ''));
    for (const h of headers) {
      const value = decodeHeader(h.value).trim();
      if (h.key === 'x-modes' && declared === null)
        declared = value.split(/[\s,]+/).filter((m): m is Mode => (MODES as readonly string[]).includes(m));
      const modes = EXPECT_HEADERS[h.key];
      if (!modes) continue;
      const [id, where] = value.split(/\s+/);
      if (!id) continue;
      const [rule, messageId] = id.split('/');
      expectations.push({ rule: rule!, messageId: messageId ?? null, index: raw.index, where: where ?? '', modes });
    }
  }
  const modes = declared ?? [tree ? 'tree' : 'mail'];
  if (modes.some((m) => m !== 'mail') && tree === null)
    throw new Error(`${file}: X-Modes names ${modes.join(' ')} but the case has no base tree`);
  return { file, tree, modes, expectations, titles };
}

function members(s: Series): Patch[] {
  return [...(s.cover ? [s.cover] : []), ...s.patches, ...s.replies];
}

interface Placed {
  rule: string;
  messageId: string | null;
  index: number | '?';
  where: string;
}

/**
 * Where each finding of `rule` sits among the case's messages. In mail and tree modes the message
 * is the one the finding's patch was read from; in git mode, the case's message of the same title.
 */
function placeFindings(findings: readonly Finding[], collection: Collection, kase: FixtureCase, mode: Mode): Placed[] {
  const indexOf = (p: Patch): number | '?' => {
    if (mode !== 'git') return p.message.origin.index;
    const i = kase.titles.indexOf(titleOf(p.subject));
    return i < 0 ? '?' : i;
  };
  const byKey = new Map<string, number | '?'>();
  const seriesByKey = new Map<string, Series>();
  for (const s of collection.series) {
    seriesByKey.set(s.key, s);
    for (const p of members(s)) byKey.set(p.key, indexOf(p));
  }
  for (const p of collection.stray) byKey.set(p.key, indexOf(p));
  const firstOf = (s: Series): number | '?' => {
    const idx = members(s)
      .map(indexOf)
      .filter((i): i is number => i !== '?');
    return idx.length ? Math.min(...idx) : '?';
  };
  return findings.map((f) => {
    const messageId = f.messageId ?? null;
    if (f.patchKey !== null) {
      const where = f.file ? `${f.file}${f.line !== null ? `:${f.line}` : ''}` : '';
      return { rule: f.rule, messageId, index: byKey.get(f.patchKey) ?? '?', where };
    }
    if (f.series !== null) {
      const s = seriesByKey.get(f.series);
      return { rule: f.rule, messageId, index: s ? firstOf(s) : '?', where: 'series' };
    }
    return { rule: f.rule, messageId, index: -1, where: 'input' };
  });
}

/** Series expectations name the message that carries them; the series is labelled by its first message. */
function seriesIndex(e: Expectation, collection: Collection, kase: FixtureCase, mode: Mode): number | '?' {
  for (const s of collection.series) {
    const idx = members(s).map((p) =>
      mode === 'git' ? kase.titles.indexOf(titleOf(p.subject)) : p.message.origin.index,
    );
    if (idx.includes(e.index)) {
      const known = idx.filter((i) => i >= 0);
      return known.length ? Math.min(...known) : '?';
    }
  }
  return '?';
}

const show = (rule: string, messageId: string | null, index: number | '?', where: string): string =>
  where === 'input'
    ? `${rule}${messageId ? `/${messageId}` : ''} input`
    : `${rule}${messageId ? `/${messageId}` : ''} #${index} ${where}`.trim();

/**
 * Expected and actual, as comparable lists: an actual finding is shown with its message id only
 * when the expectation it answers names one.
 */
export function compare(
  kase: FixtureCase,
  mode: Mode,
  ruleIds: ReadonlySet<string>,
  findings: readonly Finding[],
  collection: Collection,
): { expected: string[]; actual: string[] } {
  const wanted = kase.expectations
    .filter((e) => ruleIds.has(e.rule) && e.modes.includes(mode))
    .map((e) => {
      const index = e.where === 'series' ? seriesIndex(e, collection, kase, mode) : e.index;
      return { e, index, text: show(e.rule, e.messageId, index, e.where) };
    });
  const placed = placeFindings(
    findings.filter((f) => ruleIds.has(f.rule)),
    collection,
    kase,
    mode,
  );
  const unmatched = [...placed];
  const actual: string[] = [];
  for (const w of wanted) {
    const k = unmatched.findIndex(
      (p) =>
        p.rule === w.e.rule &&
        p.index === w.index &&
        p.where === w.e.where &&
        (w.e.messageId === null || p.messageId === w.e.messageId),
    );
    if (k < 0) continue;
    unmatched.splice(k, 1);
    actual.push(w.text);
  }
  for (const p of unmatched) actual.push(show(p.rule, p.messageId, p.index, p.where));
  return { expected: wanted.map((w) => w.text).sort(), actual: actual.sort() };
}

/** The case as a git range: its base tree committed, its patches applied with git am. */
async function asGitRange<T>(kase: FixtureCase, body: (spec: InputSpec) => Promise<T>): Promise<T> {
  const repo = mkdtempSync(join(tmpdir(), 'zdcheck-rule-tester-'));
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.org',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.org',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  try {
    cpSync(kase.tree!, repo, { recursive: true });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    git('tag', 'base');
    // A cover letter has no diff: git am would stop at it as an empty patch.
    git('am', '-q', '--keep-cr', '--empty=drop', resolve(kase.file));
    return await body(await readGitRange('base..HEAD', repo));
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

export interface CaseRun {
  expected: string[];
  actual: string[];
  findings: Finding[];
  collection: Collection;
}

/** One case in one mode, with `rules` (default: the rule alone), compared on `compared` rule ids. */
export async function runCase(
  kase: FixtureCase,
  mode: Mode,
  rules: readonly Rule[],
  compared: ReadonlySet<string>,
): Promise<CaseRun> {
  const check = async (inputs: InputSpec[], tree: string | null) => {
    const r = await run({ inputs, config: EMPTY_CONFIG, rules, tree, kernel: null, jobs: 1 });
    return {
      ...compare(kase, mode, compared, r.findings, r.collection),
      findings: r.findings,
      collection: r.collection,
    };
  };
  if (mode === 'git') return asGitRange(kase, (spec) => check([spec], null));
  return check([{ kind: 'path', path: kase.file }], mode === 'tree' ? kase.tree : null);
}

/**
 * Every case of the rule's folder, in every mode it declares, exactly once; plus the folder's
 * shape: at least one case each way; a bad case expects a finding, a good case nothing of the rule
 * but, where it says so, the info line of what the rule could not check.
 */
export function testRule(rule: Rule, dir: string): void {
  const cases = casesIn(dir);
  const id = rule.meta.id;
  describe(`${id}: fixtures`, () => {
    it('has cases that must trigger it and cases that must not', () => {
      expect(
        cases.some((c) => /\/bad-[^/]*$/.test(c.file)),
        'a bad-* case',
      ).toBe(true);
      expect(
        cases.some((c) => /\/good-[^/]*$/.test(c.file)),
        'a good-* case',
      ).toBe(true);
    });
    for (const kase of cases) {
      const good = /\/good-[^/]*$/.test(kase.file);
      if (!good) {
        it(`${kase.file.slice(kase.file.indexOf('fixtures/'))}: states its verdict`, () => {
          expect(
            kase.expectations.filter((e) => e.rule === id).length,
            'a bad case expects at least one finding',
          ).toBeGreaterThan(0);
        });
      }
      for (const mode of kase.modes) {
        it(`${kase.file.slice(kase.file.indexOf('fixtures/'))} (${mode})`, async () => {
          const r = await runCase(kase, mode, [rule], new Set([id]));
          expect(r.actual).toEqual(r.expected);
          expect(r.findings.filter((f) => f.rule === 'internal-error').map((f) => f.message)).toEqual([]);
          for (const f of r.findings.filter((x) => x.rule === id)) {
            // A good case may expect the rule's info line (what it could not check), never a warning.
            if (good) expect(f.severity, `a good case: ${f.message}`).toBe('info');
            expect(f.message, 'one line').not.toMatch(/[\r\n]/);
            expect(f.message.length, `at most ${MESSAGE_LIMIT} characters: ${f.message}`).toBeLessThanOrEqual(
              MESSAGE_LIMIT,
            );
            expect(Object.keys(rule.meta.messages), 'reported by one of its message ids').toContain(f.messageId);
          }
        }, 30_000);
      }
    }
  });
}
