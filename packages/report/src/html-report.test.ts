import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestRun, escapeHtml, metricColumns, renderReport } from './html-report.js';

describe('renderReport', () => {
  const runs = [
    { label: 'dcgan <step 10k>', metrics: { fid: 31.5, is_mean: 6.1, precision: 0.7, note: 'x' } },
    { label: 'wgan-gp', metrics: { fid: 24.25, is_mean: 5.9, recall: 0.4 } },
  ];

  it('bolds the best value per column in the right direction', () => {
    expect(bestRun(runs, 'fid')).toBe(1); // lower is better
    expect(bestRun(runs, 'is_mean')).toBe(0); // higher is better
    expect(bestRun(runs, 'note')).toBe(-1); // not ranked
    const html = renderReport(runs);
    expect(html).toContain('<td><b>24.2500</b></td>');
    expect(html).toContain('<td><b>6.10000</b></td>');
    expect(html).toContain('<td>—</td>'); // missing recall of the first run
  });

  it('keeps numeric columns in first-seen order and escapes labels', () => {
    expect(metricColumns(runs)).toEqual(['fid', 'is_mean', 'precision', 'recall']);
    expect(renderReport(runs)).toContain('dcgan &lt;step 10k&gt;');
  });

  it('escaping never leaves markup characters', () => {
    fc.assert(fc.property(fc.string(), (s) => !/[<>"']/.test(escapeHtml(s))));
  });
});
