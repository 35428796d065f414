import { describe, expect, it } from 'vitest';
import { colourOf, dashOf, metricSpec, renderChart } from './charts.js';

describe('run styles', () => {
  it('80 runs get 80 different lines (colour and dash)', () => {
    const styles = Array.from({ length: 80 }, (_, i) => `${colourOf(i)} ${dashOf(i).join(',')}`);
    expect(new Set(styles).size).toBe(80);
  });

  it('charts dash the lines of runs beyond the palette, with the same legend', () => {
    const runs = Array.from({ length: 12 }, (_, i) => `run-${i}`);
    const rows = runs.map((run) => ({ run, step: 1, value: 1 }));
    const enc = (metricSpec('mmd', rows, runs) as unknown as { encoding: Record<string, { scale: { range: unknown[] } }> }).encoding;
    expect(enc.strokeDash!.scale.range).toHaveLength(12);
    expect(enc.strokeDash!.scale.range[11]).toEqual([...dashOf(11)]);
    expect(enc.strokeDash!.scale.range[11]).not.toEqual(enc.strokeDash!.scale.range[1]);
  });

  it('the dashes reach the SVG, lines and legend', async () => {
    const runs = Array.from({ length: 12 }, (_, i) => `run-${i}`);
    const rows = runs.flatMap((run, i) => [1, 2].map((step) => ({ run, step, value: i + step })));
    const svg = await renderChart(metricSpec('mmd', rows, runs), 'mmd');
    expect(svg.match(/stroke-dasharray="6,3"/g)?.length).toBeGreaterThanOrEqual(2 * 2); // runs 10, 11: line and legend symbol
  });
});
