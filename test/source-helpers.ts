// Hand-built patches and series for the source/syntax/rule tests: a diff text becomes a
// Patch through the project's own diff parser, everything else is filled minimally.
import { parseDiffText } from '../src/patch/index.js';
import type { Patch, Series } from '../src/types.js';

export function patchOf(key: string, diff: string, subject = `[PATCH] ${key}`): Patch {
  return {
    key,
    kind: 'patch',
    subject,
    author: null,
    date: null,
    commitMessage: '',
    trailers: [],
    diffstat: null,
    files: parseDiffText(diff),
    baseCommit: null,
    recipients: null,
    tags: { prefix: 'PATCH', rfc: false, version: 1, index: null, total: null, reply: false, title: key },
    message: {
      origin: { source: 'test', index: 0, line: 1 },
      from: null,
      to: [],
      cc: [],
      subject,
      date: null,
      messageId: null,
      inReplyTo: null,
      references: [],
      body: diff,
      headers: new Map(),
      commit: null,
    },
  };
}

export function seriesOf(...patches: Patch[]): Series {
  return {
    key: patches[0]!.key,
    title: patches[0]!.subject,
    version: 1,
    total: null,
    cover: null,
    patches,
    replies: [],
  };
}

/** Image lines as `N: text` with a mark for lines the image's patch added. */
export function show(image: {
  lines: readonly string[];
  lineNumber(i: number): number;
  addedHere(i: number): boolean;
}): string[] {
  return image.lines.map((l, i) => `${image.lineNumber(i)}${image.addedHere(i) ? '+' : ' '}${l}`);
}
