// Waivers: findings a project knows about and accepts, each with a reason. They come from the
// project config (`waivers:`) or from git notes on a commit (`git notes --ref=zdcheck`), so
// nothing tool-specific has to enter the kernel's history.
import type { Finding, Patch, RuleSetting } from '../types.js';

/** A known, accepted finding, as a config's `waivers:` or a git note names it. */
export interface Waiver {
  rule: string;
  /** Why the finding is accepted: required, so a waiver always explains itself. */
  reason: string;
  /** Path in the diff the waiver is limited to. */
  file?: string;
  /** Patch subject (title without tags) the waiver is limited to. */
  patch?: string;
  /** Commit id (or prefix, at least 7 hex digits) the waiver is limited to. */
  commit?: string;
}

/** What the waiver stage reads of a config (src/config's Config has it). */
export interface WaiverConfig {
  /** The config file, to name a waiver's origin; null for the built-in empty config. */
  file: string | null;
  rules: Readonly<Record<string, RuleSetting>>;
  waivers: readonly Waiver[];
}

export interface WaiverSpec {
  rule: string;
  reason: string;
  /** Glob over the diff path (`*` within a segment, `**` across, `?` one character). */
  file?: string;
  /** Post-image line; only with `file`. */
  line?: number;
  /** Patch subject: the title without tags, or the whole subject line. */
  patch?: string;
  /** Commit id or prefix (at least 7 hex digits). */
  commit?: string;
  /** Where the waiver was written, for messages: `.zdcheck.yml waivers[2]`, `git notes (zdcheck) of 1a2b3c4d line 3`. */
  origin: string;
}

/** The patch (and its series) a waiver is about, where it names one commit of the run. */
export interface WaiverPlace {
  patch: Patch;
  series: string | null;
}

export interface Waived {
  reason: string;
  /** The waiver's origin (see WaiverSpec.origin). */
  origin: string;
}

/** A finding a waiver accepted: still reported, never counted against --fail-on. */
export type WaivedFinding = Finding & { waived: Waived };

export function isWaived(f: Finding): f is WaivedFinding {
  return (f as Partial<WaivedFinding>).waived !== undefined;
}

export interface WaiverOutcome {
  /** Findings that still count, plus one unused-waiver finding per waiver that matched nothing. */
  findings: Finding[];
  waived: WaivedFinding[];
}
