// The source view of a series: for every file it touches, the image of the file before
// and after each patch, and for every line of an image where it came from.
import type { FileDiff, Hunk, Patch } from '../types.js';

export type LineKind =
  /** added by a patch of the series (`patchKey` says which) */
  | 'added'
  /** shown as context (or, in a pre-image, as a removed line) by a hunk; not added by the series */
  | 'context'
  /** read from the base tree, not shown by any hunk */
  | 'base';

/** Where one line of an image comes from. Shared between images: it carries no line number. */
export interface LineOrigin {
  kind: LineKind;
  /** The patch that added the line (kind 'added'), or whose hunk showed it (kind 'context'); null for base lines. */
  patchKey: string | null;
  /** Index of the hunk in that patch's FileDiff; null for base lines. */
  hunk: number | null;
}

/**
 * A stretch of an image that reads as one continuous text. A whole-file image is one
 * segment; a fragment image has one per hunk, and nothing is known between them.
 */
export interface Segment {
  /** First image line (0-based index into `lines`). */
  start: number;
  /** One past the last image line. */
  end: number;
  /** The hunk it comes from (fragments), or null for a whole file. */
  hunk: Hunk | null;
}

export type ImageMode =
  /** the whole file: the base tree with the series applied */
  | 'whole'
  /** only the text the hunks carry */
  | 'fragments';

export interface FileImage {
  path: string;
  mode: ImageMode;
  /** The patch whose pre- or post-image this is. */
  patch: Patch;
  side: 'pre' | 'post';
  lines: readonly string[];
  origins: readonly LineOrigin[];
  segments: readonly Segment[];
  /** Line number (1-based) of image line `i` in this side of `patch` — what a finding reports. */
  lineNumber(i: number): number;
  /** True when image line `i` was added by `patch` itself: the only lines a finding may sit on. */
  addedHere(i: number): boolean;
  /** The image text, lines joined with '\n' (computed once). */
  text(): string;
}

/** One patch's change to one file. */
export interface FileStep {
  patch: Patch;
  diff: FileDiff;
  /** Index of `diff` in `patch.files`. */
  fileIndex: number;
  pre: FileImage;
  post: FileImage;
  /** Indices of pre-image lines this patch removes. */
  removed: readonly number[];
}

/** Why a hunk could not be placed (what the finding says is the rule's to word). */
export type ApplyCause =
  /** The base tree has no file at the path the hunk changes. */
  | { kind: 'no-file' }
  /** An insertion after line `line` of a file of `fileLines` lines. */
  | { kind: 'past-end'; line: number; fileLines: number }
  /** The hunk's `oldLines` old lines (context and removed) match nowhere at or after line `from` (1-based). */
  | { kind: 'no-match'; oldLines: number; from: number };

/** A hunk that could not be placed in the file it changes. */
export interface ApplyFailure {
  patch: Patch;
  path: string;
  hunk: Hunk;
  hunkIndex: number;
  cause: ApplyCause;
}

/** Everything a series does to one file, in patch order. */
export interface FileHistory {
  /** The path after the series (the last name when renamed). */
  path: string;
  /** The file in the base tree; null when there is no tree or it does not exist there. */
  base: string | null;
  steps: FileStep[];
}

export interface SeriesSource {
  /** Whether a base tree was used at all. */
  tree: boolean;
  files: FileHistory[];
  failures: ApplyFailure[];
  /** Every step of every file, in patch order then file order. */
  steps(): FileStep[];
  /** The step of `patch` on `path` (post-image path), if it touches it. */
  step(patch: Patch, path: string): FileStep | undefined;
}
