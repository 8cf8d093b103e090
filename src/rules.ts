// The rule registry: every rule zdcheck runs, in the order its docs index lists them.
// Adding a rule: rules/<id>.ts, rules/<id>.md, fixtures/<id>/, and one line here.
import type { Rule } from './engine/rule.js';
import listNotCopied from '../rules/list-not-copied.js';

export const RULES: readonly Rule[] = [
  listNotCopied,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
