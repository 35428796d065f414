import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMetrics, metricsFromObject } from './results.js';

const dir = mkdtempSync(join(tmpdir(), 'gate-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('metricsFromObject', () => {
  it('takes the top-level finite numbers of a --json result, ignoring context', () => {
    const m = metricsFromObject({ fid: 12.5, kid_mean: 0.01, metrics: ['fid', 'kid'], details: { x: 1 }, inputs: [], warnings: [], note: 'x', is_mean: null }, 'r.json');
    expect([...m.values]).toEqual([
      ['fid', 12.5],
      ['kid_mean', 0.01],
    ]);
    expect(m.invalid.get('is_mean')).toBe('is not a finite number (null)');
    expect(m.invalid.get('note')).toBe('is a string ("x"), not a number');
    expect(m.invalid.get('details')).toBe('is an object, not a number');
    expect(m.kind).toBe('result');
  });

  it("takes a summary's metrics object", () => {
    const m = metricsFromObject({ steps: 100, metrics: { modes_covered: 8, reverse_kl: null, sliced_w: 0.1 } }, 's.json');
    expect([...m.values]).toEqual([
      ['modes_covered', 8],
      ['sliced_w', 0.1],
    ]);
    expect(m.invalid.get('reverse_kl')).toBe('is not a finite number (null)');
    expect(m.kind).toBe('summary');
  });

  it('rejects results without any metric', () => {
    expect(() => metricsFromObject({ details: {} }, 'r.json')).toThrow(/^r\.json: no metric found/);
    expect(() => metricsFromObject({ metrics: { a: null } }, 's.json')).toThrow(/"metrics" object has no finite number/);
    expect(() => metricsFromObject([1, 2], 'r.json')).toThrow(/expected a JSON object of metrics, got an array/);
  });
});

describe('loadMetrics', () => {
  it('reads a result file, a summary.json and a run directory', () => {
    writeFileSync(join(dir, 'r.json'), JSON.stringify({ fid: 3 }));
    expect(loadMetrics(join(dir, 'r.json')).values.get('fid')).toBe(3);
    const run = join(dir, 'run');
    mkdirSync(run);
    writeFileSync(join(run, 'config.json'), '{}');
    expect(() => loadMetrics(run)).toThrow(/the run has no summary\.json yet/);
    writeFileSync(join(run, 'summary.json'), JSON.stringify({ steps: 10, metrics: { mmd: 0.5 } }));
    const m = loadMetrics(run);
    expect(m.kind).toBe('run');
    expect(m.source).toBe(join(run, 'summary.json'));
    expect(m.values.get('mmd')).toBe(0.5);
    expect(loadMetrics(join(run, 'summary.json')).kind).toBe('summary');
  });

  it('names the path that cannot be read', () => {
    expect(() => loadMetrics(join(dir, 'nope.json'))).toThrow(/nope\.json: no such file or folder$/);
    mkdirSync(join(dir, 'empty'));
    expect(() => loadMetrics(join(dir, 'empty'))).toThrow(/not a run directory \(no summary\.json\)/);
    writeFileSync(join(dir, 'bad.json'), '{"fid": ');
    expect(() => loadMetrics(join(dir, 'bad.json'))).toThrow(/bad\.json: not JSON: /);
    mkdirSync(join(dir, 'run2'));
    writeFileSync(join(dir, 'run2', 'summary.json'), '{"steps": 1}');
    expect(() => loadMetrics(join(dir, 'run2'))).toThrow(/summary\.json: expected a run summary with a "metrics" object/);
  });
});
