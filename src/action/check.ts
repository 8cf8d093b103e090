// The one place the Action touches the pipeline: a range of commit ids, read as the mail
// `--git` makes of it, checked with the configured rules.
import type { Rule } from '../engine/rule.js';
import { readGitRange } from '../input/git.js';
import { check } from '../pipeline.js';
import type { ModelReport } from '../model/run.js';
import type { Collection, Finding } from '../types.js';

export async function checkRange(opts: {
  repo: string;
  range: string;
  rules: readonly Rule[];
  tree: string | null;
  kernel: string | null;
}): Promise<{ collection: Collection; findings: Finding[]; model: ModelReport | null }> {
  const input = await readGitRange(opts.range, opts.repo);
  return check([input], { rules: opts.rules, tree: opts.tree, kernel: opts.kernel });
}
