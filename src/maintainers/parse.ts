// MAINTAINERS, read the way scripts/get_maintainer.pl reads it: a section is a title
// line followed by `X:\tvalue` lines; F:/X: are path patterns, N: a regex on the path.
// Only what deciding "which lists should see this file" needs is kept.

export interface MaintainersSection {
  title: string;
  /** 1-based line of the title in MAINTAINERS. */
  line: number;
  /** Mailing-list addresses from `L:` lines, lower-cased, annotations dropped. */
  lists: string[];
  files: FilePattern[];
  excludes: FilePattern[];
  /** `N:` regexes; one that does not compile is dropped. */
  names: RegExp[];
}

export interface FilePattern {
  /** As written after `F:` / `X:`. */
  raw: string;
  re: RegExp;
  /** Written with a trailing `/`: matches everything below, at any depth. */
  dir: boolean;
  /** Slashes in the pattern; a non-directory pattern only matches paths of the same depth. */
  depth: number;
  /** No glob characters: could name a directory written without its `/`. */
  literal: boolean;
}

const FIELD = /^([A-Z]):\s*(.*?)\s*$/;

export function parseMaintainers(text: string): MaintainersSection[] {
  const sections: MaintainersSection[] = [];
  const lines = text.split('\n');
  let cur: MaintainersSection | null = null;
  // The preamble (descriptions of the letters, indented) ends at the first section with fields.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const m = FIELD.exec(line);
    if (m) {
      if (!cur) continue;
      const [, type, value] = m as unknown as [string, string, string];
      if (type === 'L') {
        const addr = value.split(/\s+/)[0]!;
        if (addr.includes('@')) cur.lists.push(addr.toLowerCase());
      } else if (type === 'F' || type === 'X') {
        const pat = filePattern(value);
        if (pat) (type === 'F' ? cur.files : cur.excludes).push(pat);
      } else if (type === 'N') {
        try {
          cur.names.push(new RegExp(value));
        } catch {
          /* a pattern Perl accepts and JS does not: skip */
        }
      }
      continue;
    }
    if (line.trim() === '') {
      cur = null;
      continue;
    }
    if (/^\s/.test(line)) continue;
    // A non-field, non-indented line after a blank one is a section title.
    if (!cur || cur.files.length || cur.lists.length) {
      cur = { title: line.trim(), line: i + 1, lists: [], files: [], excludes: [], names: [] };
      sections.push(cur);
    }
  }
  return sections.filter((s) => s.files.length || s.names.length);
}

/** get_maintainer.pl: `.` literal, `*` -> `.*`, `?` -> `.`, anchored at the start only. */
export function filePattern(value: string): FilePattern | null {
  const raw = value.split(/\s+/)[0];
  if (!raw) return null;
  const src = raw
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  let re: RegExp;
  try {
    re = new RegExp(`^${src}`);
  } catch {
    // a pattern Perl accepts and JavaScript does not: that entry matches nothing
    return null;
  }
  return { raw, re, dir: raw.endsWith('/'), depth: (raw.match(/\//g) ?? []).length, literal: !/[*?[]/.test(raw) };
}

/** get_maintainer.pl's file_match_pattern, plus its "a directory lacking its `/`" fix-up done by path shape. */
export function matchesFile(pat: FilePattern, path: string): boolean {
  if (pat.dir) return pat.re.test(path);
  // A literal pattern that a path continues with `/` names a directory (the script adds the `/` via -d).
  if (pat.literal && path.startsWith(`${pat.raw}/`)) return true;
  if (!pat.re.test(path)) return false;
  return (path.match(/\//g) ?? []).length === pat.depth;
}

export function sectionMatches(section: MaintainersSection, path: string): boolean {
  if (section.excludes.some((x) => matchesFile(x, path))) return false;
  return section.files.some((f) => matchesFile(f, path)) || section.names.some((n) => n.test(path));
}
