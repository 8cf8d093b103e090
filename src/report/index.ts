// The reporters, by format: what the CLI's --format names, the Action and the hook pick from.
// Each is loaded only when a run asks for it (a hook run of one patch must start fast), and each
// is pure: it gets the run's ReportInput and gives text, in pieces where a report can be large.
import type { CheckpatchOptions } from './checkpatch.js';
import type { PatchworkOptions } from './patchwork.js';
import type { ReportInput } from './types.js';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'checkpatch', 'patchwork'] as const;
export type Format = (typeof FORMATS)[number];

/** What a format may be asked for; each reporter reads its own part. */
export interface ReportOptions {
  /** text: ANSI colour. */
  color?: boolean;
  /** github: list annotations over GitHub's limits in the log (no step summary to hold them). */
  listOverflow?: boolean;
  /** checkpatch: checkpatch.pl's own switches, and the raw input text for its line numbers. */
  checkpatch?: CheckpatchOptions;
  /** patchwork: the checks' target_url and context. */
  patchwork?: PatchworkOptions;
}

export interface Formatted {
  /** The report proper, in pieces (written as they come) or whole. */
  body: string | Iterable<string>;
  /** github: the Markdown for $GITHUB_STEP_SUMMARY. */
  summary?: string;
}

export interface Reporter {
  /** Whether the report carries the rules' doc pages (SARIF's help texts): read only then. */
  readonly withDocs: boolean;
  format(input: ReportInput, options: ReportOptions): Promise<Formatted>;
}

export const REPORTERS: Readonly<Record<Format, Reporter>> = {
  text: {
    withDocs: false,
    format: async (input, o) => ({
      body: (await import('./text.js')).formatTextChunks(input, { color: o.color === true }),
    }),
  },
  json: {
    withDocs: false,
    format: async (input) => ({ body: (await import('./json.js')).formatJsonChunks(input) }),
  },
  sarif: {
    withDocs: true,
    format: async (input) => ({ body: (await import('./sarif.js')).formatSarif(input) }),
  },
  github: {
    withDocs: false,
    format: async (input, o) => {
      const report = (await import('./github.js')).formatGithub(input, { listOverflow: o.listOverflow === true });
      return { body: report.annotations, summary: report.summary };
    },
  },
  checkpatch: {
    withDocs: false,
    format: async (input, o) => ({
      body: (await import('./checkpatch.js')).formatCheckpatch(input, o.checkpatch ?? {}),
    }),
  },
  patchwork: {
    withDocs: false,
    format: async (input, o) => ({ body: (await import('./patchwork.js')).formatPatchwork(input, o.patchwork ?? {}) }),
  },
};
