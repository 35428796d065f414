/**
 * The report's view of the metrics package's metric table (metric-table.ts, the one source of
 * every metric's direction, label and unit, with the losses runs declare in their config.json):
 * which way is better, how to label and measure a metric, and which key holds its spread. A key
 * missing there is still shown, unranked, under its own name; numeric keys the table calls
 * parameters (n, seed, bins…) are provenance.
 */
import { isParameter, metricKeys, metricSpec, type MetricSpec } from '@gen-eval/metrics';

/** What the report knows about a metric key. */
export interface MetricInfo {
  /** The key as it appears in results, summary.json and metrics.jsonl. */
  readonly key: string;
  /** Short human label for headers and chart titles. */
  readonly label: string;
  /** `true` higher is better, `false` lower is better, `undefined` not ranked. */
  readonly higherIsBetter: boolean | undefined;
  /** Unit shown on chart axes ('' when dimensionless). */
  readonly unit: string;
  /** Key of the spread printed as ± (e.g. kid_std for kid_mean). */
  readonly spread?: string;
  /**
   * `quality`: comparable across models, a comparison-table column; `loss`: a training loss, only
   * meaningful within one model family, charted but never ranked against other families.
   */
  readonly group: 'quality' | 'loss';
}

const infoOf = (key: string, m: MetricSpec): MetricInfo => {
  const higherIsBetter = m.direction === 'none' ? undefined : m.direction === 'higher';
  return { key, label: m.label, higherIsBetter, unit: m.unit, group: m.kind === 'loss' ? 'loss' : 'quality', ...(m.spread ? { spread: m.spread } : {}) };
};

// Read from the table on each call: runs add their declared losses while a report is read.
const known = (key: string): MetricInfo | undefined => {
  const m = metricSpec(key);
  return m === undefined ? undefined : infoOf(key, m);
};

/** Metadata of a metric; unknown keys get their own name as label and no direction. */
export function metricInfo(key: string): MetricInfo {
  return known(key) ?? { key, label: key, higherIsBetter: undefined, unit: '', group: 'quality' };
}

/** `true` if higher is better, `false` if lower is better, `undefined` if the key is not ranked. */
export function higherIsBetter(metric: string): boolean | undefined {
  return known(metric)?.higherIsBetter;
}

/** Whether a numeric top-level key of a result file is a metric (not a spread or a parameter). */
export function isMetricKey(key: string): boolean {
  return !isSpreadKey(key) && !isParameter(key);
}

/** Whether a key is the spread (± value) of another metric (kid_std, is_std): shown as ±, never as a column. */
export function isSpreadKey(key: string): boolean {
  return metricSpec(key)?.kind === 'spread';
}

/** Every known metric, in table order (quality metrics first, then declared losses). */
export function knownMetrics(): readonly MetricInfo[] {
  return metricKeys().map((k) => known(k)!);
}

/** Sorts metric keys: known ones in table order, then unknown ones alphabetically. */
export function orderMetrics(keys: Iterable<string>): string[] {
  const order = new Map<string, number>(metricKeys().map((k, i) => [k, i]));
  return [...new Set(keys)].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || a.localeCompare(b));
}
