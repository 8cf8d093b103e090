// Where a rule's pieces are: its folder `rules/<id>/` (index.ts, README.md, fixtures/, its test).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The rule's cases. */
export function fixtureDir(id: string): string {
  return join('rules', id, 'fixtures');
}

/**
 * Every file of the fixture folders: the shared ones under fixtures/ and each rule's: `path` to
 * read it by, and `rel`, a name that sorts them as one list (`<id>/bad-x.mbox` for
 * `rules/<id>/fixtures/bad-x.mbox`), so a test that samples the fixtures samples the same ones.
 */
export function allFixtureFiles(): { rel: string; path: string }[] {
  const under = (dir: string, prefix: string) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => ({ rel: join(prefix, f), path: join(dir, f) }));
  const inFolders = readdirSync('rules')
    .filter((id) => existsSync(fixtureDir(id)))
    .flatMap((id) => under(fixtureDir(id), id));
  return [...under('fixtures', ''), ...inFolders].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** The fixture folders: the shared ones and every rule's. */
export function ruleFixtureDirs(): string[] {
  const folders = readdirSync('rules')
    .map(fixtureDir)
    .filter((d) => existsSync(d));
  return [...readdirSync('fixtures').map((d) => join('fixtures', d)), ...folders];
}
