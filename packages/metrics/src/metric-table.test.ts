import { describe, expect, it } from 'vitest';
import { evaluateLoaded, METRIC_NAMES } from './evaluate.js';
import type { Matrix } from './matrix.js';
import {
  isKnownMetric,
  isMetric,
  isParameter,
  METRIC,
  METRIC_GROUPS,
  METRIC_KEYS,
  METRIC_TABLE,
  metricKeys,
  metricSpec,
  PARAMETER_KEYS,
  registerMetrics,
  type MetricSpec,
} from './metric-table.js';
import type { LoadedInput } from './pipeline/load-input.js';
import { RandomState } from './random.js';

const gaussian = (seed: number, rows: number, cols: number, shift = 0): Matrix => ({
  rows,
  cols,
  data: new RandomState(seed).normals(rows * cols).map((v) => v + shift),
});
const features = (path: string, m: Matrix): LoadedInput => ({ kind: 'features', path, features: m });

/** Every key of a nested object, at any depth (details' conventions). */
function nestedKeys(obj: unknown): string[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return [];
  return Object.entries(obj).flatMap(([k, v]) => [k, ...nestedKeys(v)]);
}

describe('metric table', () => {
  it('is consistent: spreads are spread rows, ranges ordered, parameters never metrics', () => {
    for (const key of METRIC_KEYS) {
      const m: MetricSpec = METRIC_TABLE[key];
      expect(m.range[0], key).toBeLessThanOrEqual(m.range[1]);
      expect(m.label.length, key).toBeGreaterThan(0);
      expect(key, 'JSON keys are snake_case').toMatch(/^[a-z][a-z0-9_]*$/);
      if (m.spread !== undefined) expect(metricSpec(m.spread)?.kind, `${key}'s spread`).toBe('spread');
      if (m.kind === 'spread') expect(m.direction, key).toBe('none');
      expect(METRIC[key]).toBe(key);
    }
    for (const p of PARAMETER_KEYS) expect(isMetric(p), p).toBe(false);
    for (const [group, { yields }] of Object.entries(METRIC_GROUPS)) for (const k of yields) expect(isMetric(k), `${group} yields ${k}`).toBe(true);
    expect(METRIC_NAMES).toEqual(['fid', 'kid', 'is', 'pr', 'prdc', 'cmmd']);
  });

  it('has every key evaluate returns, each group yielding exactly the keys the table lists', async () => {
    const real = features('real.npy', gaussian(1, 40, 3));
    const fake = features('fake.npy', gaussian(2, 40, 3, 0.5));
    const fakeLogits = gaussian(3, 40, 5);
    const opts = { kidSubsetSize: 20, kidSubsets: 3, isSplits: 2, fakeLogits };
    for (const group of METRIC_NAMES) {
      const { result } = await evaluateLoaded(real, fake, [group], opts);
      expect(Object.keys(result), group).toEqual(METRIC_GROUPS[group].yields);
      for (const [key, value] of Object.entries(result)) {
        const spec = metricSpec(key);
        expect(spec, `${key} is not in metric-table.ts`).toBeDefined();
        expect(value).toBeGreaterThanOrEqual(spec!.range[0]);
        expect(value).toBeLessThanOrEqual(spec!.range[1]);
      }
    }
    const { result, details } = await evaluateLoaded(real, fake, METRIC_NAMES, opts);
    expect(Object.keys(result).every(isMetric)).toBe(true);
    // details are JSON output (eval --json) too: snake_case, like every other key (was is.shuffleSeed).
    for (const k of nestedKeys(details)) expect(k, 'details keys are snake_case').toMatch(/^[a-z][a-z0-9_]*$/);
    expect(details.is?.shuffle_seed).toBeNull();
  });

  it('tells metrics from parameters', () => {
    expect([isMetric('prdc_precision'), isMetric('f_score'), isMetric('n_real'), isMetric('nonsense')]).toEqual([true, true, false, false]);
    expect([isParameter('n_real'), isParameter('seed'), isParameter('fid')]).toEqual([true, true, false]);
    expect(metricSpec('kid_mean')).toMatchObject({ key: 'kid_mean', direction: 'lower', spread: 'kid_std' });
    expect(metricSpec('nonsense')).toBeUndefined();
  });

  it('knows no model family: losses are declared by whoever reports them (registerMetrics), once, idempotently', () => {
    // The built-in table holds the evaluator's and training-time evaluations' keys only.
    for (const k of ['d_loss', 'g_loss', 'gp', 'w_estimate', 'loss', 'recon', 'cycle_loss', 'mi_loss']) expect(isKnownMetric(k), k).toBe(false);
    const spec: MetricSpec = { label: 'test loss', direction: 'lower', range: [0, Infinity], unit: '', kind: 'loss' };
    registerMetrics({ t_loss: spec });
    registerMetrics({ t_loss: { ...spec, range: [0, Infinity] } }); // the same again: nothing happens
    expect([isKnownMetric('t_loss'), isMetric('t_loss')]).toEqual([true, false]);
    expect(metricSpec('t_loss')).toEqual({ key: 't_loss', ...spec });
    expect(metricKeys()).toEqual([...METRIC_KEYS, 't_loss']);
    // A different spec for a known key (declared or built in), or a parameter's name, is refused whole.
    expect(() => registerMetrics({ u_loss: spec, t_loss: { ...spec, label: 'other' } })).toThrow(/metric "t_loss" is already declared as "test loss"/);
    expect(() => registerMetrics({ fid: { ...METRIC_TABLE.fid, direction: 'higher' } })).toThrow(/metric "fid"/);
    expect(() => registerMetrics({ seed: spec })).toThrow(/"seed" is a parameter key/);
    expect(isKnownMetric('u_loss')).toBe(false);
    registerMetrics({ fid: METRIC_TABLE.fid });
    expect(metricKeys()).toEqual([...METRIC_KEYS, 't_loss']);
  });
});
