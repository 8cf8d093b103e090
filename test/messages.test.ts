// A finding's message is one line a reader takes in at a glance: at most 160 characters on every
// rule's cases, with every rule running, without and with the case's base tree; the evidence and
// the fix go in `detail` (JSON, SARIF). The rule tester checks each rule's own findings in the
// modes its cases declare; this checks everyone's, in both.
import { describe, expect, it } from 'vitest';
import { RULES } from '../src/rules.js';
import { casesIn, MESSAGE_LIMIT, runCase } from './rule-tester.js';

const ALL_IDS = new Set(RULES.map((r) => r.meta.id));

describe('messages fit one line', () => {
  for (const id of [...ALL_IDS].sort()) {
    it(`${id}: every finding of every case, hunks only and with the tree`, async () => {
      const long: string[] = [];
      for (const kase of casesIn(`rules/${id}`)) {
        for (const mode of kase.tree ? (['mail', 'tree'] as const) : (['mail'] as const)) {
          const { findings } = await runCase(kase, mode, RULES, ALL_IDS);
          for (const f of findings) {
            if (f.message.length > MESSAGE_LIMIT)
              long.push(`${kase.file} (${mode}): ${f.rule}: ${f.message.length}: ${f.message}`);
            expect(f.message).not.toContain('\n');
          }
        }
      }
      expect(long).toEqual([]);
    }, 60_000);
  }
});
