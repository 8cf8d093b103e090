// The exit status, a contract scripts and the hook rely on: 0 nothing at or above --fail-on,
// 1 findings at or above it (2, the run could not do its job, is the CLI's to give).
import { SEVERITY_RANK, type Finding } from './types.js';

export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function exitStatus(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  const bar = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= bar) ? 1 : 0;
}
