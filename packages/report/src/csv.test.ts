import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvText, rowsCsv, tableCsv } from './csv.js';
import type { ReportEntry } from './report-data.js';

const run = (label: string, extra: Partial<ReportEntry>): ReportEntry => ({
  kind: 'run',
  label,
  path: `runs/${label}`,
  metrics: {},
  series: [],
  provenance: {},
  images: [],
  notes: [],
  ...extra,
});

/** Every cell of a CSV without quoted newlines, quotes removed. */
const cells = (csv: string) =>
  csv
    .trimEnd()
    .split('\n')
    .flatMap((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"')))
    .filter((c) => c !== '');

describe('CSV formula injection', () => {
  const hostile = [
    run('=HYPERLINK("evil.example","click")', {
      model: "+cmd|'-C calc'!A0",
      data: '@SUM(A1)',
      metrics: { '-2+3': -3.5, sliced_w: 0.25 },
      series: [
        { step: 10, metric: '=1+1', value: -3.5 },
        { step: 20, metric: '\tsneaky', value: 2 },
      ],
    }),
    { ...run('\rcr', {}), kind: 'result', metrics: { '@fid': 1 } } as ReportEntry,
  ];

  it('prefixes text cells that a spreadsheet would run as formulas, in both files', () => {
    for (const csv of [tableCsv(hostile), rowsCsv(hostile)]) {
      for (const cell of cells(csv)) {
        if (/^-?\d/.test(cell) && Number.isFinite(Number(cell))) continue; // a real number
        expect(cell, csv).not.toMatch(/^[=+\-@\t\r]/);
      }
      expect(csv).toContain(`'=HYPERLINK(`);
    }
    expect(tableCsv(hostile)).toContain(`'+cmd|`);
    expect(tableCsv(hostile)).toContain(`'@SUM(A1)`);
    expect(rowsCsv(hostile)).toContain(`,'=1+1,-3.5`);
    expect(rowsCsv(hostile)).toContain(`'\tsneaky`);
  });

  it('keeps negative numbers as numbers', () => {
    expect(rowsCsv(hostile).split('\n')[1]).toMatch(/,10,.*,-3\.5$/);
  });

  it('never lets a text cell start with a formula character', () => {
    fc.assert(fc.property(fc.string(), (s) => !/^[=+\-@\t\r\0]/.test(csvText(s)) && csvText(s).endsWith(s)));
  });
});
