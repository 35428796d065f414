/**
 * Thresholds checked against the metric table (the metrics package's metric-table.ts): a name
 * that is surely a misspelt metric (`FID`, `kid-mean`) or a metric group rather than a key
 * (`kid`, `pr`) fails before anything is computed, and so does a bound no value of the metric can
 * meet (`precision: {min: 95}`, a percentage for a share). Names the table does not know are
 * still allowed: results of other tools may carry metrics of their own.
 */
import { isMetric, isParameter, METRIC_GROUPS, METRIC_KEYS, METRIC_TABLE, type MetricGroupName } from '@gen-eval/metrics';
import type { BoundKind } from './bounds.js';

const normalise = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[-\s.]+/g, '_');

/** Why `name` cannot be meant as written (e.g. `did you mean "fid"?`), or undefined when it may be. */
export function misnamedMetric(name: string): string | undefined {
  if (isMetric(name) || isParameter(name)) return undefined;
  const n = normalise(name);
  const key = METRIC_KEYS.find((k) => k === n);
  if (key !== undefined) return `unknown metric; did you mean "${key}"?`;
  if (Object.hasOwn(METRIC_GROUPS, n)) {
    const yields: readonly string[] = METRIC_GROUPS[n as MetricGroupName].yields;
    return `is a metric group, not a result key; bound ${yields.map((k) => `"${k}"`).join(' or ')}`;
  }
  return undefined;
}

/**
 * Why a bound on `metric` can never hold (its limit beyond the values the table says the metric
 * takes), or undefined. Limits at the range's edge are fine (`coverage: {min: 1}` asks for full coverage).
 */
export function impossibleBound(metric: string, kind: BoundKind, limit: number): string | undefined {
  if (!isMetric(metric)) return undefined;
  const [lo, hi] = METRIC_TABLE[metric].range;
  if (kind === 'min' && limit > hi) return `min ${limit} is above the largest value ${metric} can take (${hi}), so no value can pass`;
  if (kind === 'max' && limit < lo) return `max ${limit} is below the smallest value ${metric} can take (${lo}), so no value can pass`;
  return undefined;
}
