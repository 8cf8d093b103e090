// The waiver stage as the CLI, the hook and the Action call it: the config's waivers and the
// git notes of the checked commits, applied to a run's findings.
import type { Collection, Finding } from '../types.js';
import { applyWaivers } from './apply.js';
import { gitReaderIn, type GitReader } from '../git/run.js';
import { readNoteWaivers } from './notes.js';
import type { WaiverConfig, WaiverOutcome, WaiverSpec } from './types.js';

export * from './types.js';
export { applyWaivers, globToRegExp } from './apply.js';
export { NOTES_REF, parseNote, readNoteWaivers } from './notes.js';

export function configWaivers(config: Pick<WaiverConfig, 'waivers' | 'file'>): WaiverSpec[] {
  const name = config.file ?? 'config';
  return config.waivers.map((w, i) => ({ ...w, origin: `${name} waivers[${i}]` }));
}

/** Commits of the checked patches (git input, or the hook's format-patch file). */
export function commitsOf(collection: Collection): string[] {
  const out = new Set<string>();
  for (const s of collection.series)
    for (const p of [...s.patches, ...(s.cover ? [s.cover] : [])]) if (p.message.commit) out.add(p.message.commit);
  for (const p of collection.stray) if (p.message.commit) out.add(p.message.commit);
  return [...out];
}

export async function waiveFindings(opts: {
  collection: Collection;
  findings: readonly Finding[];
  config: WaiverConfig;
  /** Repository to read git notes from; null: config waivers only. */
  repo: string | null;
  /** Commits whose notes to read (default: those of the collection). */
  commits?: readonly string[];
  git?: GitReader;
}): Promise<WaiverOutcome> {
  const waivers = configWaivers(opts.config);
  let malformed: { origin: string; problem: string; commit?: string }[] = [];
  // Notes matter only to waive a finding or to judge waivers (unused-waiver): with neither (the
  // hook on a clean patch) the git process that lists them is not started.
  const needed = opts.findings.length > 0 || opts.config.rules['unused-waiver'] !== 'off';
  // Without a repository the commits are not gathered (a walk over every series).
  const commits = opts.repo !== null && needed ? (opts.commits ?? commitsOf(opts.collection)) : [];
  if (opts.repo !== null && commits.length > 0 && needed) {
    const notes = await readNoteWaivers(commits, opts.git ?? gitReaderIn(opts.repo));
    waivers.push(...notes.waivers);
    malformed = notes.malformed;
  }
  return applyWaivers(opts.collection, opts.findings, waivers, {
    unusedSetting: opts.config.rules['unused-waiver'],
    malformed,
  });
}
