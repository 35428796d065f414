import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_CHART_POINTS } from './downsample.js';
import { writeFakeRun } from './fake-runs.test-helper.js';
import { renderReport } from './html-report.js';
import { loadInputs } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'report-long-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a long metrics.jsonl', () => {
  it('1e5 lines: charts drawn from a bounded number of points, every point in the CSV, a bounded page', async () => {
    const run = writeFakeRun(join(dir, 'long'), { model: 'gan' });
    const lines: string[] = [];
    for (let step = 1; step <= 50_000; step++) {
      // A spike at one step: downsampling must keep it.
      lines.push(JSON.stringify({ step, elapsed: step / 100, metric: 'mmd', value: step === 31_337 ? 9 : 1 / step }));
      lines.push(JSON.stringify({ step, elapsed: step / 100, metric: 'g_loss', value: Math.sin(step / 500) }));
    }
    writeFileSync(join(run, 'metrics.jsonl'), `${lines.join('\n')}\n`);
    const { entries } = await loadInputs([run]);
    const report = await renderReport(entries);
    expect(report.rowsCsv.trimEnd().split('\n')).toHaveLength(1 + 100_000);
    // The MMD chart: at most MAX_CHART_POINTS point symbols, and its axis still reaches the spike.
    const mmd = report.html.split('<figure class="chart">')[1]!.split('</figure>')[0]!;
    const symbols = mmd.split('mark-symbol role-mark')[1]!.split('</g>')[0]!;
    expect(symbols.match(/<path/g)!.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(mmd).toContain("Y-axis titled 'MMD²' for a linear scale with values from 0 to 9");
    expect(report.html).toMatch(/every value by run, step and metric \(CSV\): \d+\.\d MB, too large to embed/);
    expect(report.html.length).toBeLessThan(1_000_000);
  }, 60_000);
});
