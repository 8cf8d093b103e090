// Where the rule docs live: `rules/<id>/README.md` under the package root, found from this module's
// own location so it works from src/ (tests), dist/src/ (built) and an installed package.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RuleMeta } from '../engine/rule.js';
import type { RuleDoc } from './types.js';

let root: string | null = null;

/** The directory holding zdcheck's package.json. */
export function packageRoot(): string {
  if (root !== null) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'zdcheck') return (root = dir);
      } catch {
        // not ours; keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the zdcheck package root');
    dir = up;
  }
}

export interface PackageInfo {
  name: string;
  version: string;
  homepage: string | null;
}

export function packageInfo(): PackageInfo {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    homepage?: string;
    repository?: string | { url?: string };
  };
  let homepage = pkg.homepage ?? null;
  if (!homepage && pkg.repository) {
    const url = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository.url ?? '');
    const m = /^(?:git\+)?(https:\/\/[^\s]+?)(?:\.git)?$/.exec(url);
    if (m) homepage = m[1]!;
  }
  return { name: pkg.name, version: pkg.version, homepage };
}

/** A rule's page: `rules/<id>/README.md`, beside its code. */
export function docPath(id: string): string {
  return `rules/${id}/README.md`;
}

export async function readRuleDoc(id: string): Promise<string | null> {
  try {
    return await readFile(join(packageRoot(), docPath(id)), 'utf8');
  } catch {
    // no page installed: the caller says the rule has none
    return null;
  }
}

let rootUrl: string | null = null;

/**
 * The doc's web address when the package names its home, else the installed file (the root's
 * file URL made once: a rule id is kebab-case, nothing in its path needs escaping).
 */
export function helpUri(id: string, homepage: string | null): string {
  if (homepage) return `${homepage.replace(/\/+$/, '')}/blob/main/${docPath(id)}`;
  rootUrl ??= pathToFileURL(join(packageRoot(), '/')).href;
  return `${rootUrl}${docPath(id)}`;
}

export async function ruleDocs(
  rules: readonly RuleMeta[],
  options: { withDocs: boolean; homepage: string | null },
): Promise<RuleDoc[]> {
  return Promise.all(
    rules.map(async (m) => ({
      id: m.id,
      severity: m.severity,
      description: m.description,
      docPath: docPath(m.id),
      doc: options.withDocs ? await readRuleDoc(m.id) : null,
      helpUri: helpUri(m.id, options.homepage),
    })),
  );
}
