/**
 * The comparison table: one row per entry, the descriptive columns, then one column per
 * comparable metric (the quality metrics of runs, every metric of result files). Shared by the
 * page and the CSV so both always list the same columns.
 */
import { isKnownMetric } from '@gen-eval/metrics';
import { isMetricKey, metricInfo, orderMetrics } from './metric-direction.js';
import type { ReportEntry } from './report-data.js';

/** The metric columns of the table, known metrics in table order first. */
export function metricColumns(entries: readonly ReportEntry[]): string[] {
  const keys: string[] = [];
  for (const e of entries) {
    for (const [k, v] of Object.entries(e.metrics)) {
      if (!isMetricKey(k)) continue;
      // A run's losses stay out: a GAN's g_loss says nothing about a diffusion model's. So do keys
      // the table does not know (an older run's undeclared losses): a run's evaluations all are.
      if (e.kind === 'run' && (metricInfo(k).group === 'loss' || !isKnownMetric(k))) continue;
      if (typeof v === 'number' || v === null) keys.push(k);
    }
  }
  return orderMetrics(keys);
}

/**
 * Indices of the best entries for a metric (ties all win); empty when the metric is not ranked.
 * A diverged run is never best: its numbers come from a model that produced NaN.
 */
export function bestEntries(entries: readonly ReportEntry[], metric: string): number[] {
  const higher = metricInfo(metric).higherIsBetter;
  if (higher === undefined) return [];
  let best: number | undefined;
  for (const e of entries) {
    if (e.diverged) continue;
    const v = e.metrics[metric];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (best === undefined || (higher ? v > best : v < best)) best = v;
  }
  if (best === undefined) return [];
  return entries.flatMap((e, i) => (!e.diverged && e.metrics[metric] === best ? [i] : []));
}

/** A number for a table cell: integers as they are, others with 4 significant digits. */
export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

/** Seconds as "42 s", "3 min 05 s" or "1 h 02 min". */
export function formatDuration(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s - 60 * m)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** The metric's value with its spread, e.g. "0.0123 ± 0.0011"; "—" when absent. */
export function formatMetric(e: Pick<ReportEntry, 'metrics'>, metric: string): string {
  const v = e.metrics[metric];
  if (v === undefined) return '—';
  if (v === null) return 'n/a';
  const spreadKey = metricInfo(metric).spread;
  const s = spreadKey === undefined ? undefined : e.metrics[spreadKey];
  return typeof s === 'number' ? `${formatNumber(v)} ± ${formatNumber(s)}` : formatNumber(v);
}

/** Header and rows of the comparison table as plain values (the CSV's content). */
export function tableRecords(entries: readonly ReportEntry[]): { header: string[]; rows: (string | number)[][] } {
  const cols = metricColumns(entries);
  const header = ['run', 'kind', 'path', 'model', 'data', 'steps', 'wall_seconds', 'backend'];
  for (const c of cols) {
    header.push(c);
    const spread = metricInfo(c).spread;
    if (spread && entries.some((e) => typeof e.metrics[spread] === 'number')) header.push(spread);
  }
  const rows = entries.map((e) => {
    const row: (string | number)[] = [e.label, e.kind, e.path, e.model ?? '', e.data ?? '', e.steps ?? '', e.wallSeconds ?? '', e.backend ?? ''];
    for (const key of header.slice(8)) {
      const v = e.metrics[key];
      row.push(typeof v === 'number' ? v : '');
    }
    return row;
  });
  return { header, rows };
}
