// Where a rule's pieces are: its folder `rules/<id>/` (index.ts, README.md, fixtures/, its test).
import { existsSync } from 'node:fs';
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
