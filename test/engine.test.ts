import { describe, expect, it } from 'vitest';
import { defineRule } from '../src/engine/rule.js';
import { runRules } from './helpers/run-rules.js';
import type { Collection, Series } from '../src/types.js';
import { SAY, say } from './helpers/say.js';

const series = (key: string): Series => ({
  key,
  title: key,
  version: 1,
  total: null,
  cover: null,
  patches: [],
  replies: [],
});
const collection: Collection = { series: [series('a'), series('b')], stray: [], unreadable: [], gitBase: null };
const options = { tree: null, kernel: null };

describe('rule engine', () => {
  it('refuses an id that is not kebab-case', () => {
    expect(() =>
      defineRule({
        meta: { id: 'Bad_Id', severity: 'error', description: '', scope: 'series', messages: SAY },
        check: () => {},
      }),
    ).toThrow(/kebab-case/);
  });

  it('runs series rules once per series and input rules once', () => {
    const perSeries = defineRule({
      meta: { id: 'per-series', severity: 'warning', description: 'x', scope: 'series', messages: SAY },
      check: (ctx) => ctx.report(say(`seen ${ctx.series?.key}`)),
    });
    const perInput = defineRule({
      meta: { id: 'per-input', severity: 'error', description: 'x', scope: 'input', messages: SAY },
      check: (ctx) => ctx.report(say(`series=${(ctx as { series?: unknown }).series == null ? 'null' : 'present'}`)),
    });
    const findings = runRules([perSeries, perInput], collection, options);
    expect(findings.map((f) => `${f.rule}:${f.message}:${f.series}`)).toEqual([
      'per-series:seen a:a',
      'per-series:seen b:b',
      'per-input:series=null:null',
    ]);
    expect(findings[0]!.severity).toBe('warning');
  });

  it("carries a report's detail into its finding, and a gathered one's too; none when not given", () => {
    const detailed = defineRule({
      meta: { id: 'detailed', severity: 'warning', description: 'x', scope: 'series', messages: SAY },
      check: (ctx) => {
        ctx.report({ ...say('short'), detail: 'the long part' });
        ctx.report(say('plain'));
        ctx.gather({
          key: 'g',
          items: [ctx.series.key],
          render: (items) => ({ ...say(`g ${items.join(',')}`), detail: 'why g' }),
        });
      },
    });
    const findings = runRules([detailed], collection, options);
    expect(findings.map((f) => [f.message, f.detail])).toEqual([
      ['short', 'the long part'],
      ['plain', undefined],
      ['short', 'the long part'],
      ['plain', undefined],
      ['g a,b', 'why g'],
    ]);
    expect('detail' in findings[1]!).toBe(false);
  });

  it('turns a throwing rule into an internal-error finding and keeps going', () => {
    const broken = defineRule({
      meta: { id: 'broken', severity: 'error', description: 'x', scope: 'input', messages: SAY },
      check: () => {
        throw new Error('boom');
      },
    });
    const fine = defineRule({
      meta: { id: 'fine', severity: 'info', description: 'x', scope: 'input', messages: SAY },
      check: (ctx) => ctx.report(say('ok')),
    });
    const findings = runRules([broken, fine], collection, options);
    expect(findings.map((f) => f.rule)).toEqual(['internal-error', 'fine']);
    expect(findings[0]!.message).toContain('broken failed: boom');
  });

  it('gathers what every series would repeat into one finding per key and run', () => {
    const noTree = defineRule({
      meta: { id: 'no-tree', severity: 'info', description: 'x', scope: 'series', messages: SAY },
      check: (ctx) => {
        ctx.gather({
          key: 'unchecked',
          items: [`${ctx.series.key}-name`, 'shared'],
          render: (items, n) => say(`${items.length} name(s) in ${n} series not checked: ${items.join(', ')}`),
        });
        if (ctx.series.key === 'b') ctx.gather({ key: 'only-b', items: [], render: () => say('b alone') });
        ctx.report({ severity: 'warning', ...say(`seen ${ctx.series.key}`) });
      },
    });
    const findings = runRules([noTree], collection, options);
    expect(findings.map((f) => `${f.severity} ${f.series} ${f.message}`)).toEqual([
      'warning a seen a',
      'warning b seen b',
      // From one series: on that series. From both: on the input, after every series.
      'info b b alone',
      'info null 3 name(s) in 2 series not checked: a-name, shared, b-name',
    ]);
  });

  it('keeps gathering per rule, and a render that throws is an internal error', () => {
    const mk = (id: string, boom: boolean) =>
      defineRule({
        meta: { id, severity: 'info', description: 'x', scope: 'series', messages: SAY },
        check: (ctx) =>
          ctx.gather({
            key: 'k',
            items: [id],
            render: (items) => {
              if (boom) throw new Error('render');
              return say(items.join());
            },
          }),
      });
    const findings = runRules([mk('one', false), mk('two', true)], collection, options);
    expect(findings.map((f) => `${f.rule} ${f.message}`)).toEqual([
      'one one',
      'internal-error rule two failed: render',
    ]);
  });
});
