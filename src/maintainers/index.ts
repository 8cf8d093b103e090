// Which mailing lists should see a patch: the L: lines of every MAINTAINERS section
// that covers a file it touches (as get_maintainer.pl --no-git lists them), or, with no
// tree to read MAINTAINERS from, a small built-in table for the ZONE_DEVICE area.
import { parseMaintainers, sectionMatches, type MaintainersSection } from './parse.js';

export {
  parseMaintainers,
  sectionMatches,
  matchesFile,
  filePattern,
  type MaintainersSection,
  type FilePattern,
} from './parse.js';
export { FALLBACK, fallbackListsFor } from './fallback.js';

/**
 * The section every file falls into. Its list (LKML) is get_maintainer's catch-all, not a
 * subsystem's review list; asking for it on every patch would only be noise.
 */
export const CATCH_ALL = 'THE REST';

export interface ListDemand {
  /** The list's address, lower-case. */
  list: string;
  /** Addresses that reach the same list (older names), lower-case; the list itself included. */
  accepts: string[];
  /** Why: the MAINTAINERS section (or fallback entry) and the file that brought it in. */
  section: string;
  file: string;
}

export interface Maintainers {
  sections: MaintainersSection[];
  listsFor(path: string): ListDemand[];
}

export function maintainers(text: string): Maintainers {
  const sections = parseMaintainers(text).filter((s) => s.title !== CATCH_ALL);
  return {
    sections,
    listsFor(path) {
      const out: ListDemand[] = [];
      for (const s of sections) {
        if (!s.lists.length || !sectionMatches(s, path)) continue;
        for (const list of s.lists)
          if (!out.some((d) => d.list === list)) out.push({ list, accepts: [list], section: s.title, file: path });
      }
      return out;
    },
  };
}
export {
  LIST_MOVES,
  LIST_INTRODUCTIONS,
  listAddresses,
  namedBy,
  type ListMove,
  type ListIntroduction,
} from './history.js';
