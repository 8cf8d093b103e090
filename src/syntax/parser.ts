// The one tree-sitter parser for C and the shared queries. Both are created on first use
// and kept for the life of the process: creating a Query compiles it, which is not free.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;
export type Query = Parser.Query;

let parser: Parser | null = null;

export function parseC(text: string): Tree {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(C as unknown as Parser.Language);
  }
  // The binding reads the string in chunks of bufferSize; one chunk for most files is faster.
  return parser.parse(text, null, { bufferSize: Math.max(32 * 1024, text.length * 2 + 16) });
}

const queries = new Map<string, Query>();

/** A query from rules/queries/<name>.scm, compiled once. */
export function query(name: string): Query {
  let q = queries.get(name);
  if (!q) {
    q = new Parser.Query(C as unknown as Parser.Language, readFileSync(join(queryDir(), `${name}.scm`), 'utf8'));
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
