import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC_KEYS, METRIC_TABLE, metricKeys, type MetricSpec } from '@gen-eval/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { higherIsBetter, isMetricKey, isSpreadKey, knownMetrics, metricInfo } from './metric-direction.js';
import { readResult } from './read-result.js';
import { bestEntries, metricColumns } from './table.js';

const dir = mkdtempSync(join(tmpdir(), 'gen-eval-direction-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report metric directions come from the metric table', () => {
  it('ranks every table metric that has a direction, the way the table says', () => {
    for (const key of METRIC_KEYS) {
      const m: MetricSpec = METRIC_TABLE[key];
      const want = m.direction === 'none' ? undefined : m.direction === 'higher';
      expect(higherIsBetter(key), key).toBe(want);
      expect(metricInfo(key)).toMatchObject({ key, label: m.label, unit: m.unit });
      expect(isSpreadKey(key), key).toBe(m.kind === 'spread');
    }
    expect(knownMetrics().map((m) => m.key)).toEqual(metricKeys());
  });

  it('ranks the keys it once left unranked: prdc_precision, prdc_recall, f_score, image-run likelihoods, divergence values', () => {
    expect([higherIsBetter('prdc_precision'), higherIsBetter('prdc_recall'), higherIsBetter('f_score')]).toEqual([true, true, true]);
    expect([higherIsBetter('neg_elbo_nats'), higherIsBetter('nll_nats'), higherIsBetter('bits_per_dim'), higherIsBetter('value')]).toEqual([false, false, false, false]);
    // `gen-eval eval --metrics prdc` results: the higher prdc_precision wins the column.
    const write = (name: string, obj: object) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(obj));
      return readResult(file, name);
    };
    const entries = [write('a.json', { prdc_precision: 0.4, prdc_recall: 0.9, f_score: 0.2 }), write('b.json', { prdc_precision: 0.8, prdc_recall: 0.3, f_score: 0.6 })];
    expect([bestEntries(entries, 'prdc_precision'), bestEntries(entries, 'prdc_recall'), bestEntries(entries, 'f_score')]).toEqual([[1], [0], [1]]);
  });

  it('treats the parameters of gen-eval divergence as provenance, not metrics', () => {
    for (const k of ['n_p', 'n_q', 'projections', 'iterations', 'epsilon']) expect(isMetricKey(k), k).toBe(false);
    const r = readResult(
      (() => {
        const file = join(dir, 'sw.json');
        writeFileSync(file, JSON.stringify({ estimator: 'sliced-w', value: 0.12, p: 2, projections: 50, seed: 0, n_p: 100, n_q: 100, dims: 2 }));
        return file;
      })(),
      'sw',
    );
    expect(metricColumns([r])).toEqual(['value']);
  });
});
