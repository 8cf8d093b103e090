// Where a rule's pieces are: its folder `rules/<id>/` (index.ts, README.md, fixtures/, its test).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The rule's cases: `rules/<id>/fixtures` (`fixtures/<id>` for a rule not yet in a folder). */
export function fixtureDir(id: string): string {
  const own = join('rules', id, 'fixtures');
  return existsSync(own) ? own : join('fixtures', id);
}

/** Whether the rule lives in its own folder (code, doc, cases and test together). */
export function hasFolder(id: string): boolean {
  return existsSync(join('rules', id, 'index.ts'));
}

/**
 * Every file of the fixture folders, wherever a rule keeps its cases: `path` to read it by, and
 * `rel`, the path it would have under fixtures/ (`<id>/bad-x.mbox` for `rules/<id>/fixtures/bad-x.mbox`).
 * Sorted by `rel`, so a test that samples the fixtures samples the same ones when a rule moves.
 */
export function allFixtureFiles(): { rel: string; path: string }[] {
  const under = (dir: string, prefix: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => ({ rel: join(prefix, f), path: join(dir, f) }));
  const inFolders = readdirSync('rules').filter((id) => existsSync(join('rules', id, 'fixtures')))
    .flatMap((id) => under(join('rules', id, 'fixtures'), id));
  return [...under('fixtures', ''), ...inFolders].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** The fixture folders of every rule, `fixtures/<id>` or `rules/<id>/fixtures`. */
export function ruleFixtureDirs(): string[] {
  const folders = readdirSync('rules').map((id) => join('rules', id, 'fixtures')).filter((d) => existsSync(d));
  return [...readdirSync('fixtures').map((d) => join('fixtures', d)), ...folders];
}
