import { describe, expect, it } from 'vitest';
import { runRules } from './helpers/run-rules.js';
import { allFixtureFiles } from './helpers/rule-paths.js';
import { collect, checkStream } from '../src/pipeline.js';
import { RULES } from '../src/rules.js';
import { groupSeries } from '../src/series/group.js';
import { SeriesStream, type ClosedGroup } from '../src/series/stream.js';
import type { Patch, Series } from '../src/types.js';

const mboxes = allFixtureFiles()
  .filter(({ rel }) => rel.endsWith('.mbox') && !rel.startsWith('bad-input'))
  .map((f) => f.path);

const shape = (series: readonly Series[], stray: readonly Patch[]) => ({
  series: series.map((s) => [s.key, s.cover?.key ?? null, s.patches.map((p) => p.key), s.replies.map((p) => p.key)]),
  stray: stray.map((p) => p.key),
});

function streamed(patches: readonly Patch[], window?: number) {
  const stream = new SeriesStream(window);
  const closed: ClosedGroup[] = [];
  for (const p of patches) closed.push(...stream.push(p, '0'));
  closed.push(...stream.endInput('0'), ...stream.end());
  const series = closed
    .flatMap((c) => c.series)
    .sort((a, b) => a.order - b.order)
    .map((s) => s.value);
  const stray = closed
    .flatMap((c) => c.stray)
    .sort((a, b) => a.order - b.order)
    .map((s) => s.value);
  return shape(series, stray);
}

describe('series grouping as messages arrive', () => {
  it('groups every fixture mbox, and all of them read as one, exactly as groupSeries does', async () => {
    const all: Patch[] = [];
    for (const file of mboxes) {
      const c = await collect([{ kind: 'path', path: file }]);
      const patches = [
        ...c.series.flatMap((s) => [
          ...(s.cover && s.cover.kind === 'cover' ? [s.cover] : []),
          ...s.patches,
          ...s.replies,
        ]),
        ...c.stray,
      ];
      // Re-read in input order: the collection's order is the series', not the mail's.
      const inOrder = patches
        .filter((p, i) => patches.indexOf(p) === i)
        .sort((a, b) => a.message.origin.index - b.message.origin.index);
      const whole = groupSeries(inOrder, () => '0');
      expect(streamed(inOrder), file).toEqual(shape(whole.series, whole.stray));
      all.push(...inOrder);
    }
    const whole = groupSeries(all, () => '0');
    expect(streamed(all)).toEqual(shape(whole.series, whole.stray));
  });

  it('takes a thread as complete after the window: a reply later than that is a stray', async () => {
    const c = await collect([{ kind: 'path', path: 'fixtures/examples/two-series-and-replies.mbox' }]);
    const first = c.series[0]!;
    const reply = first.replies[0]!;
    const filler = c.series[1]!.patches.map((p) => ({
      ...p,
      message: { ...p.message, messageId: null, inReplyTo: null, references: [] },
      tags: { ...p.tags, total: null },
    }));
    const input = [first.cover!, ...first.patches, ...filler, reply];
    expect(streamed(input, 100).series[0]![3]).toEqual([reply.key]);
    const late = streamed(input, 2);
    expect(late.series[0]![3]).toEqual([]);
    expect(late.stray).toEqual([reply.key]);
  });

  it('checkStream gives the findings, series and model of collect + runRules', async () => {
    const inputs = mboxes.slice(0, 40).map((path) => ({ kind: 'path' as const, path }));
    const c = await collect(inputs);
    const findings = runRules(RULES, c, { tree: null, kernel: null });
    const r = await checkStream(inputs, { tree: null, kernel: null, rules: RULES });
    expect(r.findings).toEqual(findings);
    expect(shape(r.collection.series, r.collection.stray)).toEqual(shape(c.series, c.stray));
    expect(r.model.series.map((m) => m.series)).toEqual(c.series.map((s) => s.key));
    // What the reports read of a patch is kept; its text is not.
    const p = r.collection.series[0]!.patches[0]!;
    expect(p.message.body).toBe('');
    expect(p.message.bodyLines).toBeGreaterThan(0);
    expect(p.files.map((f) => f.newPath)).toEqual(c.series[0]!.patches[0]!.files.map((f) => f.newPath));
  });
});
