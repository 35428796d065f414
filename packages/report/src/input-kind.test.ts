import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tableCsv } from './csv.js';
import { writeFakeRun } from './fake-runs.test-helper.js';
import { loadMetrics } from './gate/results.js';
import { loadInputs } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'report-input-kind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a run's summary.json", () => {
  const run = writeFakeRun(join(dir, 'gan-a'), { model: 'gan' });
  const summary = join(run, 'summary.json');

  it('stands for its run, as in check', async () => {
    const { entries } = await loadInputs([summary]);
    expect(entries.map((e) => [e.kind, e.label, e.path])).toEqual([['run', 'gan-a', run]]);
    expect(entries[0]!.metrics).not.toHaveProperty('wall_seconds');
    expect(entries[0]!.series.length).toBeGreaterThan(0);
    const header = tableCsv(entries).split('\n')[0]!.split(',');
    expect(new Set(header).size).toBe(header.length);
  });

  it('given with its run folder, is read once', async () => {
    const { entries } = await loadInputs([run, summary]);
    expect(entries).toHaveLength(1);
  });

  it('away from its run, gives the metrics of its "metrics" object, the values check reads', async () => {
    const copy = join(dir, 'summary-copy.json');
    copyFileSync(summary, copy);
    const { entries } = await loadInputs([copy]);
    expect(entries[0]!.kind).toBe('result');
    expect(entries[0]!.metrics).not.toHaveProperty('wall_seconds');
    expect(entries[0]!.metrics).not.toHaveProperty('steps');
    expect(Object.entries(entries[0]!.metrics)).toEqual([...loadMetrics(copy).values]);
  });
});
