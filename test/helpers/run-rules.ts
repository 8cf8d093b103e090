// Rules over a collection built in the test, synchronously: the engine's own series loop
// (createRun), without the input reading the one run path (src/run.ts) adds in front of it.
import { createRun, type RunEnv } from '../../src/engine/check.js';
import type { CheckOptions, Rule } from '../../src/engine/rule.js';
import type { Collection, Finding } from '../../src/types.js';

export function runRules(
  rules: readonly Rule[],
  collection: Collection,
  options: CheckOptions,
  env: RunEnv = {},
): Finding[] {
  const run = createRun(rules, collection, options, env);
  run.prefetch(collection.series);
  collection.series.forEach((s, k) => run.series(s, k));
  return run.finish(collection.series.length);
}
