// The docs index is generated (npm run docs), never hand-kept: the README's rule table and
// rules/README.md must be what the registry gives now.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_METAS } from '../src/rules.js';
import { rulesIndex, rulesTable, TABLE_END, TABLE_START, withRulesTable } from '../src/report/docs-index.js';

describe('docs index', () => {
  it("README.md's rule table is the registry's", () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(
      withRulesTable(readme, RULE_METAS),
      `README.md has no ${TABLE_START} ... ${TABLE_END} markers`,
    ).not.toBeNull();
    expect(readme, 'README.md: the rule table is out of date: run npm run docs').toBe(
      withRulesTable(readme, RULE_METAS),
    );
  });

  it("rules/README.md is the registry's index", () => {
    let index = '';
    try {
      index = readFileSync('rules/README.md', 'utf8');
    } catch {
      // reported below
    }
    expect(index, 'rules/README.md is out of date: run npm run docs').toBe(rulesIndex(RULE_METAS));
  });

  it('links each id to its page, says where it runs, and keeps a | in a description inside its cell', () => {
    const table = rulesTable(
      [
        { id: 'a-rule', severity: 'error', description: 'X | Y', scope: 'series', messages: {} },
        { id: 'b-rule', severity: 'warning', description: 'Z', scope: 'series', messages: {}, runsOn: 'zone-device' },
      ],
      'rules/',
    );
    expect(table.split('\n').slice(2)).toEqual([
      '| [`a-rule`](rules/a-rule/README.md) | error | every series | X \\| Y |',
      '| [`b-rule`](rules/b-rule/README.md) | warning | ZONE_DEVICE series | Z |',
    ]);
  });

  it('replaces only what lies between the markers', () => {
    const readme = `# t\n\nbefore\n${TABLE_START}\nold\n${TABLE_END}\nafter\n`;
    const out = withRulesTable(readme, RULE_METAS)!;
    expect(out.startsWith(`# t\n\nbefore\n${TABLE_START}\n`)).toBe(true);
    expect(out.endsWith(`${TABLE_END}\nafter\n`)).toBe(true);
    expect(out).not.toContain('\nold\n');
    expect(withRulesTable(out, RULE_METAS)).toBe(out);
    expect(withRulesTable('# no markers\n', RULE_METAS)).toBeNull();
  });
});
