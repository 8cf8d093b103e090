// The parallel check (src/parallel): series checked by worker threads give exactly what the
// one-thread run gives (findings in the same order, the same series, strays and model reports),
// with and without a base tree, with a config that turns rules off or changes a severity, and
// when the workers start mid-run. The workers run the build (dist/): npm test builds first.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../src/config/apply.js';
import { createSeriesChecker } from '../src/engine/check.js';
import { defineRule, type Rule } from '../src/engine/rule.js';
import { collect, checkStream, type CheckOptionsFull } from '../src/pipeline.js';
import { ruleSettings, WorkerPool } from '../src/parallel/pool.js';
import { RULES } from '../src/rules.js';
import type { InputSpec } from '../src/input/types.js';
import { allFixtureFiles, ruleFixtureDirs } from './helpers/rule-paths.js';
import { SAY, say } from './helpers/say.js';

const cases = (f: string) =>
  /\.(mbox|patch|eml)$/.test(f) && !f.startsWith('bad-input') && !f.includes('.tree/') && !f.includes('tree/');

const inputsOf = (dir: string): InputSpec[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(cases)
    .sort()
    .map((f) => ({ kind: 'path' as const, path: join(dir, f) }));

/** Every fixture case, whichever folder its rule keeps it in. */
const allInputs = (): InputSpec[] =>
  allFixtureFiles()
    .filter(({ rel }) => cases(rel))
    .map(({ path }) => ({ kind: 'path' as const, path }));

async function run(inputs: InputSpec[], options: Partial<CheckOptionsFull>) {
  const r = await checkStream(inputs, { tree: null, kernel: null, ...options });
  // Everything a report reads: findings, and the (compacted) series, strays and model reports.
  return JSON.parse(
    JSON.stringify(
      {
        findings: r.findings,
        series: r.collection.series,
        stray: r.collection.stray,
        unreadable: r.collection.unreadable,
        model: r.model,
      },
      (_k, v: unknown) => (v instanceof Map ? [...v] : v),
    ),
  ) as unknown;
}

describe('worker threads give the one-thread result', () => {
  const all = allInputs();

  it('every fixture in one run: workers from the start, and started after a few series', async () => {
    const one = await run(all, { jobs: 1 });
    expect((one as { findings: unknown[] }).findings.length).toBeGreaterThan(20);
    expect(await run(all, { jobs: 2, parallelAfter: 0 })).toEqual(one);
    expect(await run(all, { jobs: 3, parallelAfter: 7 })).toEqual(one);
  }, 60_000);

  it('series, strays and model reports packed after a few (src/series/store.ts) read back the same', async () => {
    const one = await run(all, { jobs: 1, packAfter: 1e9 });
    expect(await run(all, { jobs: 1, packAfter: 3 })).toEqual(one);
    expect(await run(all, { jobs: 2, parallelAfter: 0, packAfter: 0 })).toEqual(one);
  }, 60_000);

  it('each rule fixture folder with its base tree', async () => {
    const dirs = ruleFixtureDirs().filter((d) => existsSync(join(d, 'tree')));
    expect(dirs.length).toBeGreaterThan(3);
    for (const d of dirs) {
      const inputs = readdirSync(d)
        .filter((f) => /\.(mbox|patch)$/.test(f))
        .sort()
        .map((f) => ({ kind: 'path' as const, path: join(d, f) }));
      const tree = join(d, 'tree');
      expect(await run(inputs, { tree, jobs: 2, parallelAfter: 0 }), d).toEqual(await run(inputs, { tree, jobs: 1 }));
    }
  }, 120_000);

  it('a config that turns rules off and changes a severity is applied in the workers too', async () => {
    const rules = applyConfig(RULES, {
      file: null,
      rules: { 'missing-signoff': 'off', 'uncalled-predicate': 'warning', 'series-numbering': 'error' },
    });
    const settings = ruleSettings(rules)!;
    expect(settings['missing-signoff']).toBe('off');
    expect(settings['uncalled-predicate']).toBe('warning');
    expect(settings['series-numbering']).toBe('error');
    expect(settings['does-not-apply']).toBe('on');
    const one = await run(all, { rules, jobs: 1 });
    expect(await run(all, { rules, jobs: 2, parallelAfter: 0 })).toEqual(one);
    expect(JSON.stringify(one)).not.toContain('"rule":"missing-signoff"');
  }, 60_000);

  it("rules that are not the registry's are checked on the main thread, with the same result", async () => {
    const mine = defineRule({
      meta: {
        id: 'test-every-patch',
        severity: 'info',
        description: 'one finding per patch',
        scope: 'series',
        messages: SAY,
      },
      check: (ctx) => {
        for (const p of ctx.series.patches) ctx.report({ ...say(p.subject), patch: p });
      },
    });
    const rules: Rule[] = [RULES[0]!, mine];
    expect(ruleSettings(rules)).toBeNull();
    const inputs = all.slice(0, 20);
    expect(await run(inputs, { rules, jobs: 2, parallelAfter: 0 })).toEqual(await run(inputs, { rules, jobs: 1 }));
  });

  it('a worker checks a series and renders its gathered finding as the main thread would', async () => {
    const inputs = inputsOf('fixtures/examples');
    const c = await collect(inputs);
    const options = { tree: null, kernel: null };
    const local = createSeriesChecker(RULES, c, options, { modelEverySeries: true });
    const pool = new WorkerPool(1, { settings: ruleSettings(RULES)!, options, gitBase: null });
    try {
      await pool.whenReady;
      expect(pool.ready).toBe(true);
      const handed = pool.check(c.series.map((series, target) => ({ series, target })));
      let gathered = 0;
      for (const [k, s] of c.series.entries()) {
        const mine = local.check(s, k);
        const theirs = (await handed[k]!.result).outcome;
        expect(theirs.tagged, s.key).toEqual(mine.tagged);
        expect(theirs.gathers, s.key).toEqual(mine.gathers);
        for (const g of mine.gathers) {
          const request = { rule: g.rule, key: g.key, items: g.items, series: 1 };
          expect(await pool.render(1, request)).toEqual(local.render(request));
          gathered++;
        }
      }
      expect(gathered).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});
