// The rule set kept uniform mechanically: every rule of the registry has the same pieces, in one
// folder named by its id (style.md) — rules/<id>/index.ts exporting it, rules/<id>/README.md stating
// its default severity, with the four sections and a public source cited, rules/<id>/fixtures/ with
// cases both ways, a test of its own, a one-line description in one style — and `zdcheck explain
// <id>` prints its page. A rule that cannot have one of the pieces is listed below
// with the reason, so an exception is a decision someone wrote down, not an accident.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { RuleMeta } from '../src/engine/rule.js';
import { RULES, RULE_METAS } from '../src/rules.js';
import { docPath, helpUri, packageRoot } from '../src/report/docs.js';
import { fixtureDir } from './helpers/rule-paths.js';
import { casesIn } from './rule-tester.js';

/** Listed for `zdcheck rules`, `explain` and the config, but not run from RULES: no default export. */
const NOT_RUN: Record<string, string> = {
  'unused-waiver':
    'reported by the waiver stage after every rule ran: src/waivers/unused.ts exports meta and the finding builders',
};

/** Rules whose fixtures cannot be mail: fixtures/<id>/ is not required. */
const NO_FIXTURES: Record<string, string> = {
  'unused-waiver':
    'waivers live in the config file and in git notes, never in the mail a fixture is; test/waiver.test.ts covers it',
};

/** Rules about zdcheck itself rather than kernel code: their Why cites the tool precedent (a URL). */
const TOOL_SOURCE: Record<string, string> = {
  'unused-waiver': "about zdcheck's own waivers: cites ESLint's report of unused disable directives",
};

/** The doc sections every page has, in this order (other sections may sit between them). */
const SECTIONS = ['What it catches', 'Why', 'How to fix', 'Example'] as const;

/**
 * What a reader can follow up: a path in the kernel source (a top-level kernel directory, then at
 * least one more component), a kernel commit id, a Message-ID, a posting's quoted subject with its
 * year, or a web address.
 */
const KERNEL_PATH =
  /(?:^|[\s`('"])(?:arch|block|Documentation|drivers|fs|include|init|kernel|lib|mm|net|scripts|security|tools)\/[\w.*-]+/;
const COMMIT = /\b[0-9a-f]{12,40}\b/;
const MESSAGE_ID = /<[^<>\s]+@[^<>\s]+>/;
const POSTING = /"[^"\n]{8,}"[^\n]{0,160}\b(?:19|20)\d\d\b/;
const WEB_ADDRESS = /https?:\/\/\S+/;
/** What a reader cannot follow up: the seed files' names, and paths of the machine zdcheck was built on. */
const PRIVATE = /\b\d{3}_[0-9a-f]{16}\b|\.\.\/shared\/|\/work\/|\/root\/|\/home\//;

/** Folders of rules/ that are not a rule's: shared code, the model's data, tree-sitter queries. */
const SHARED_RULE_DIRS = new Set(['lib', 'model', 'queries']);

/** Folders of fixtures/ that are not a rule's (fixtures/README.md). */
const SHARED_FIXTURE_DIRS = new Set(['examples', 'clean', 'bad-input', 'inputs', 'world']);

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ids = RULE_METAS.map((m) => m.id);

function sections(doc: string): { heading: string; body: string }[] {
  const parts = doc.split(/^## /m).slice(1);
  return parts.map((p) => {
    const nl = p.indexOf('\n');
    return { heading: (nl < 0 ? p : p.slice(0, nl)).trim(), body: nl < 0 ? '' : p.slice(nl + 1).trim() };
  });
}

async function explain(id: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  stderr.on('data', (c: Buffer) => {
    err += c.toString('utf8');
  });
  const code = await main(['explain', id], { stdout, stderr });
  return { code, stdout: out, stderr: err };
}

describe('the registry', () => {
  it('has unique kebab-case ids', () => {
    for (const id of ids) expect(id, `rule id "${id}"`).toMatch(ID);
    expect(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      'duplicate rule ids',
    ).toEqual([]);
  });

  it('runs every listed rule but the ones written down as not run', () => {
    const run = RULES.map((r) => r.meta.id);
    expect([...run, ...Object.keys(NOT_RUN)].sort()).toEqual([...ids].sort());
  });

  it('names only registered rules among its exceptions', () => {
    for (const id of [...Object.keys(NOT_RUN), ...Object.keys(NO_FIXTURES), ...Object.keys(TOOL_SOURCE)])
      expect(ids).toContain(id);
  });

  it('is the list of rule folders: every rules/<id>/ is registered, every registered rule has its folder', () => {
    const known = new Set(ids);
    const strays = [
      ...readdirSync('rules')
        .filter((f) => /\.(ts|md)$/.test(f) && f !== 'README.md')
        .map((f) => `rules/${f}`),
      ...readdirSync('rules')
        .filter((d) => statSync(join('rules', d)).isDirectory() && !known.has(d) && !SHARED_RULE_DIRS.has(d))
        .map((d) => `rules/${d}/`),
      ...readdirSync('fixtures')
        .filter((d) => statSync(join('fixtures', d)).isDirectory() && !SHARED_FIXTURE_DIRS.has(d))
        .map((d) => `fixtures/${d}/`),
    ];
    expect(
      strays,
      'rule files outside a folder, folders of no registered rule, rule fixtures outside their rule',
    ).toEqual([]);
    for (const id of RULES.map((r) => r.meta.id)) {
      for (const piece of ['index.ts', 'README.md', `${id}.test.ts`])
        expect(existsSync(join('rules', id, piece)), `rules/${id}/${piece}`).toBe(true);
    }
  });
});

describe.each(RULE_METAS.map((m) => [m.id, m] as [string, RuleMeta]))('%s', (id, meta) => {
  it('is exported by rules/<id>/index.ts (a stage-reported one by its stage)', async () => {
    const file = id in NOT_RUN ? `src/waivers/unused.ts` : `rules/${id}/index.ts`;
    expect(existsSync(file), file).toBe(true);
    // The .ts file itself: the same module src/rules.ts loaded, so the same objects.
    const mod = (await import(/* @vite-ignore */ new URL(`../${file}`, import.meta.url).href)) as {
      default?: { meta: RuleMeta };
      meta?: RuleMeta;
    };
    if (id in NOT_RUN) expect(mod.meta).toBe(meta);
    else expect(mod.default?.meta, `the default export of rules/${id}.ts`).toBe(meta);
  });

  it('has a one-line description: upper-case first letter, no final period', () => {
    expect(meta.description).not.toMatch(/[\r\n]/);
    expect(meta.description).toBe(meta.description.trim());
    expect(meta.description).toMatch(/^[A-Z]/);
    expect(meta.description).not.toMatch(/\.$/);
    expect(['error', 'warning', 'info']).toContain(meta.severity);
  });

  it(`has rules/<id>/README.md with its default severity, ${SECTIONS.join(' / ')} in order, and a Why that cites its source`, () => {
    const path = docPath(id);
    expect(existsSync(path), path).toBe(true);
    const doc = readFileSync(path, 'utf8');
    expect(doc.split('\n')[0], `${path}: first line`).toBe(`# ${id}`);
    const severity = /^\*\*Severity:\*\* (\w+)/m.exec(doc);
    expect(severity?.[1], `${path}: its **Severity:** line (the default severity first)`).toBe(meta.severity);
    const found = sections(doc);
    const headings = found.map((s) => s.heading).filter((h) => (SECTIONS as readonly string[]).includes(h));
    expect(headings, `${path}: its ## sections`).toEqual([...SECTIONS]);
    for (const s of found.filter((x) => (SECTIONS as readonly string[]).includes(x.heading)))
      expect(s.body, `${path}: ## ${s.heading} is empty`).not.toBe('');
    const why = found.find((s) => s.heading === 'Why')!.body;
    if (id in TOOL_SOURCE) {
      expect(why, `${path}: ## Why cites no URL`).toMatch(WEB_ADDRESS);
    } else {
      const cited = [KERNEL_PATH, COMMIT, MESSAGE_ID, POSTING].some((re) => re.test(why));
      expect(
        cited,
        `${path}: ## Why cites no public source (a kernel path, a commit, a Message-ID, a posting's "subject" and year)`,
      ).toBe(true);
    }
    expect(PRIVATE.exec(doc)?.[0] ?? null, `${path}: names what a reader does not have`).toBeNull();
  });

  if (id in NO_FIXTURES) {
    it('has no rules/<id>/fixtures/ and a test file of its own, as NO_FIXTURES says', () => {
      expect(existsSync(fixtureDir(id)), `${fixtureDir(id)} exists: take ${id} out of NO_FIXTURES`).toBe(false);
      const named = /test\/[\w.-]+\.test\.ts/.exec(NO_FIXTURES[id]!)?.[0];
      expect(named, `NO_FIXTURES['${id}'] names the test that covers it`).toBeDefined();
      expect(readFileSync(named!, 'utf8'), `${named} mentions ${id}`).toContain(id);
    });
  } else {
    it('has rules/<id>/fixtures/ with at least one bad-* and one good-* case', () => {
      const dir = fixtureDir(id);
      expect(existsSync(dir), dir).toBe(true);
      const cases = casesIn(`rules/${id}`).map((c) => c.file.slice(dir.length + 1));
      expect(
        cases.filter((f) => f.startsWith('bad-')),
        `${dir}: bad-* cases`,
      ).not.toEqual([]);
      expect(
        cases.filter((f) => f.startsWith('good-')),
        `${dir}: good-* cases`,
      ).not.toEqual([]);
    });
  }

  it('has a help address: its page under the home page, else the installed page as a file URL', () => {
    expect(helpUri(id, 'https://example.org/zd/')).toBe(`https://example.org/zd/blob/main/rules/${id}/README.md`);
    const file = helpUri(id, null);
    expect(file).toBe(pathToFileURL(join(packageRoot(), docPath(id))).href);
    expect(existsSync(fileURLToPath(file))).toBe(true);
  });

  it('is explained by `zdcheck explain <id>`', async () => {
    const r = await explain(id);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd()).toBe(readFileSync(docPath(id), 'utf8').trimEnd());
  });
});
