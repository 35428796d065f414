/**
 * A self-contained HTML page comparing evaluation runs: one row per run, one column per metric,
 * the best value of each ranked metric in bold. No scripts and no external assets, so the file
 * can be archived as a CI artifact and opened anywhere.
 */
import { higherIsBetter } from './metric-direction.js';

/** One evaluation run: a label and the flat JSON object `gen-eval … --json` printed. */
export interface RunResult {
  readonly label: string;
  readonly metrics: Readonly<Record<string, unknown>>;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element and attribute content. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(6);
  if (v === undefined || v === null) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Numeric metric columns in first-seen order across runs. */
export function metricColumns(runs: readonly RunResult[]): string[] {
  const cols: string[] = [];
  for (const r of runs) {
    for (const [k, v] of Object.entries(r.metrics)) if (typeof v === 'number' && !cols.includes(k)) cols.push(k);
  }
  return cols;
}

/** Index of the best run for a metric, or -1 when the metric is not ranked or has no values. */
export function bestRun(runs: readonly RunResult[], metric: string): number {
  const dir = higherIsBetter(metric);
  if (dir === undefined) return -1;
  let best = -1;
  runs.forEach((r, i) => {
    const v = r.metrics[metric];
    if (typeof v !== 'number' || Number.isNaN(v)) return;
    const b = best < 0 ? undefined : (runs[best]!.metrics[metric] as number);
    if (b === undefined || (dir ? v > b : v < b)) best = i;
  });
  return best;
}

/** Renders the comparison page. */
export function renderReport(runs: readonly RunResult[], title = 'gen-eval report'): string {
  const cols = metricColumns(runs);
  const best = new Map(cols.map((c) => [c, bestRun(runs, c)]));
  const head = cols.map((c) => {
    const dir = higherIsBetter(c);
    const arrow = dir === undefined ? '' : dir ? ' ↑' : ' ↓';
    return `<th>${escapeHtml(c)}${arrow}</th>`;
  });
  const rows = runs.map((r, i) => {
    const cells = cols.map((c) => {
      const text = escapeHtml(formatValue(r.metrics[c]));
      return best.get(c) === i ? `<td><b>${text}</b></td>` : `<td>${text}</td>`;
    });
    return `<tr><th scope="row">${escapeHtml(r.label)}</th>${cells.join('')}</tr>`;
  });
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>`,
    '<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}',
    'th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}th[scope=row]{text-align:left}</style>',
    `</head><body><h1>${escapeHtml(title)}</h1>`,
    `<table><thead><tr><th>run</th>${head.join('')}</tr></thead>`,
    `<tbody>${rows.join('')}</tbody></table>`,
    '<p>↓ lower is better, ↑ higher is better; the best value of each column is bold.</p>',
    '</body></html>',
    '',
  ].join('\n');
}
