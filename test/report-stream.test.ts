// Reports written in pieces (formatJsonChunks, formatTextChunks) for large runs: the pieces make
// exactly the text of the one-string formats, on the reporter sample and on every fixture run
// (series and model reports read back from the packed store).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStream } from '../src/pipeline.js';
import { formatJson, formatJsonChunks } from '../src/report/json.js';
import { formatText, formatTextChunks } from '../src/report/text.js';
import type { ReportInput } from '../src/report/types.js';
import { input as sample } from './report-sample.js';

const files = readdirSync('fixtures', { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(mbox|patch)$/.test(f) && !f.includes('tree/') && !f.startsWith('bad-input'))
  .sort();

describe('reports in pieces', () => {
  it('the reporter sample', () => {
    const input = sample;
    expect([...formatJsonChunks(input)].join('')).toBe(formatJson(input));
    expect([...formatTextChunks(input)].join('')).toBe(formatText(input));
  });

  it('every fixture, and all of them in one run, with model reports', async () => {
    let withModel = 0;
    for (const f of [...files.map((x) => [x]), files]) {
      const r = await checkStream(f.map((x) => ({ kind: 'path' as const, path: join('fixtures', x) })), { tree: null, kernel: null, jobs: 1, packAfter: 2 });
      const input: ReportInput = { collection: r.collection, findings: r.findings, rules: [], tool: { name: 'zdcheck', version: '0' }, model: r.model };
      const chunks = [...formatJsonChunks(input)];
      expect(chunks.join(''), f.join()).toBe(formatJson(input));
      expect(JSON.parse(chunks.join(''))).toEqual(JSON.parse(formatJson(input)));
      expect([...formatTextChunks(input, { color: true })].join('')).toBe(formatText(input, { color: true }));
      if (r.model.series.some((s) => !s.empty)) withModel++;
    }
    expect(withModel).toBeGreaterThan(5);
  }, 120_000);

  it('an empty run', () => {
    const input: ReportInput = { collection: { series: [], stray: [], unreadable: [], gitBase: null }, findings: [], rules: [], tool: { name: 'zdcheck', version: '0' }, model: { series: [] } };
    expect([...formatJsonChunks(input)].join('')).toBe(formatJson(input));
    expect([...formatJsonChunks({ ...input, model: null })].join('')).toBe(formatJson({ ...input, model: null }));
  });
});
