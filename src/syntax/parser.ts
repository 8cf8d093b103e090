// The one tree-sitter parser for C and the shared queries. Both are created on first use
// and kept for the life of the process: creating a Query compiles it, which is not free. The
// binding itself is loaded on first use too: a run that parses no C (most hook runs, most of a
// mail-only archive) does not pay for loading it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Parser from 'tree-sitter';
import { collectGarbage } from '../gc.js';
import { addCount, timed } from '../timing.js';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;
export type Query = Parser.Query;

let parser: Parser | null = null;
let parsedSinceCollect = 0;

let binding: { Parser: typeof Parser; C: Parser.Language } | null = null;

/** tree-sitter and its C grammar, loaded on first use (both are CommonJS native modules). */
function treeSitter(): { Parser: typeof Parser; C: Parser.Language } {
  if (!binding) {
    const require = createRequire(import.meta.url);
    binding = { Parser: require('tree-sitter') as typeof Parser, C: require('tree-sitter-c') as Parser.Language };
  }
  return binding;
}

export function parseC(text: string): Tree {
  if (!parser) {
    const ts = treeSitter();
    parser = new ts.Parser();
    parser.setLanguage(ts.C);
  }
  parsedSinceCollect += text.length;
  addCount('C bytes parsed', text.length);
  // The binding reads the string in chunks of bufferSize; one chunk for most files is faster.
  const p = parser;
  return timed('C parsing', () => p.parse(text, null, { bufferSize: Math.max(32 * 1024, text.length * 2 + 16) }));
}

// A tree lives in native memory that V8 does not see: its wrapper is tiny, so the JS heap
// never grows enough to trigger a collection, and a collected tree is only deleted by a
// finalizer that runs when the event loop turns (left alone, a large mbox with --tree grows by
// gigabytes: docs/performance.md). So the engine, between series, asks releaseTrees() and,
// when it collected, yields to the event loop (checkStream in src/pipeline.ts, on a series
// checker's `released`).
const COLLECT_AFTER_BYTES = 8 * 1024 * 1024;

/** Collects dropped trees once enough text was parsed to matter; true when it did (then yield). */
export function releaseTrees(): boolean {
  if (parsedSinceCollect < COLLECT_AFTER_BYTES) return false;
  parsedSinceCollect = 0;
  collectGarbage();
  return true;
}

const queries = new Map<string, Query>();

/** A query from rules/queries/<name>.scm, compiled once. */
export function query(name: string): Query {
  let q = queries.get(name);
  if (!q) {
    const ts = treeSitter();
    q = new ts.Parser.Query(ts.C, readFileSync(join(queryDir(), `${name}.scm`), 'utf8'));
    queries.set(name, q);
  }
  return q;
}

let dir: string | null = null;
// Found by walking up: the same code runs from src/ (tests) and dist/src/ (the package).
function queryDir(): string {
  if (dir) return dir;
  let d = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(d, 'rules', 'queries');
    if (existsSync(candidate)) return (dir = candidate);
    const up = dirname(d);
    if (up === d) throw new Error('rules/queries not found above ' + fileURLToPath(import.meta.url));
    d = up;
  }
}
