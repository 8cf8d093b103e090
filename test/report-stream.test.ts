// Reports written in pieces (formatJsonChunks, formatTextChunks) for large runs: the pieces make
// exactly the text of the one-string formats, on the reporter sample and on every fixture run
// (series and model reports read back from the packed store).
import { describe, expect, it } from 'vitest';
import { checkStream } from '../src/pipeline.js';
import { formatJson, formatJsonChunks } from '../src/report/json.js';
import { formatText, formatTextChunks } from '../src/report/text.js';
import type { ReportInput } from '../src/report/types.js';
import { allFixtureFiles } from './helpers/rule-paths.js';
import { input as sample } from './report-sample.js';

const files = allFixtureFiles()
  .filter(({ rel }) => /\.(mbox|patch)$/.test(rel) && !rel.includes('tree/') && !rel.startsWith('bad-input'))
  .map((f) => f.path);

describe('reports in pieces', () => {
  it('the reporter sample', () => {
    const input = sample;
    expect([...formatJsonChunks(input)].join('')).toBe(formatJson(input));
    expect([...formatTextChunks(input)].join('')).toBe(formatText(input));
  });

  it('every fixture, and all of them in one run, with model reports', async () => {
    let withModel = 0;
    for (const f of [...files.map((x) => [x]), files]) {
      const r = await checkStream(
        f.map((path) => ({ kind: 'path' as const, path })),
        { tree: null, kernel: null, jobs: 1, packAfter: 2 },
      );
      const input: ReportInput = {
        collection: r.collection,
        findings: r.findings,
        rules: [],
        tool: { name: 'zdcheck', version: '0' },
        model: r.model,
      };
      const chunks = [...formatJsonChunks(input)];
      expect(chunks.join(''), f.join()).toBe(formatJson(input));
      expect(JSON.parse(chunks.join(''))).toEqual(JSON.parse(formatJson(input)));
      expect([...formatTextChunks(input, { color: true })].join('')).toBe(formatText(input, { color: true }));
      if (r.model.series.some((s) => !s.empty)) withModel++;
    }
    expect(withModel).toBeGreaterThan(5);
  }, 120_000);

  it('an empty run', () => {
    const input: ReportInput = {
      collection: { series: [], stray: [], unreadable: [], gitBase: null },
      findings: [],
      rules: [],
      tool: { name: 'zdcheck', version: '0' },
      model: { series: [] },
    };
    expect([...formatJsonChunks(input)].join('')).toBe(formatJson(input));
    expect([...formatJsonChunks({ ...input, model: null })].join('')).toBe(formatJson({ ...input, model: null }));
  });
});
