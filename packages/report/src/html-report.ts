/**
 * The report page: one self-contained HTML file. Charts are inline SVG rendered in Node, images
 * and CSV downloads are data: URLs, and the Content-Security-Policy forbids every fetch, so the
 * file opens offline, from a CI artifact or an e-mail, and can never leak a request.
 */
import { checkComparability } from './comparability.js';
import { rowsCsv, tableCsv } from './csv.js';
import { escapeHtml } from './escape.js';
import type { ReportEntry } from './report-data.js';
import { PAGE_STYLE } from './page-style.js';
import { chartSections, comparisonTable, provenanceSection, samplesSection } from './sections.js';
import { SORT_SCRIPT, SORT_SCRIPT_HASH } from './sort-script.js';
import { bestEntries, metricColumns } from './table.js';

export interface RenderOptions {
  /** Page title (default "gen-eval report"). */
  readonly title?: string;
  /** Lines to show in the page's warning box too (e.g. inputs left out by --skip-bad). */
  readonly warnings?: readonly string[];
}

export interface RenderedReport {
  readonly html: string;
  /** The comparison table as CSV (also offered on the page). */
  readonly tableCsv: string;
  /** Every (run, step, metric, value) as CSV (also offered on the page). */
  readonly rowsCsv: string;
  /** Comparability warnings (also shown on the page). */
  readonly warnings: string[];
}

/** No fetch of any kind; only data: images, inline styles and the one hashed script. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src ${SORT_SCRIPT_HASH}; base-uri 'none'; form-action 'none'`;

/** Largest CSV offered as a data: link: a 1e5-line history must not make the page tens of MB. */
const MAX_EMBEDDED_CSV = 1_000_000;

const csvLink = (csv: string, file: string, text: string, option: string) =>
  csv.length > MAX_EMBEDDED_CSV
    ? `${text}: ${(csv.length / 1e6).toFixed(1)} MB, too large to embed — write it with <code>gen-eval report … ${option} FILE</code>`
    : `<a class="download" download="${file}" href="data:text/csv;charset=utf-8;base64,${Buffer.from(csv).toString('base64')}">${text}</a>`;

function countLine(entries: readonly ReportEntry[]): string {
  const runs = entries.filter((e) => e.kind === 'run').length;
  const results = entries.length - runs;
  const parts = [];
  if (runs) parts.push(`${runs} training run${runs === 1 ? '' : 's'}`);
  if (results) parts.push(`${results} result file${results === 1 ? '' : 's'}`);
  return parts.join(' and ');
}

/** "gan-a has the best value of 4 of the 5 ranked metrics": the table's verdict in one line. */
function leaderLine(entries: readonly ReportEntry[], unranked: ReadonlySet<string>): string {
  const ranked = metricColumns(entries).filter((c) => !unranked.has(c) && bestEntries(entries, c).length > 0);
  if (ranked.length === 0 || entries.length < 2) return '';
  const wins = entries.map((_, i) => ranked.filter((c) => bestEntries(entries, c).includes(i)).length);
  const top = Math.max(...wins);
  const leaders = entries.filter((_, i) => wins[i] === top).map((e) => `<b>${escapeHtml(e.label)}</b>`);
  return `<p class="lead">★ ${leaders.join(', ')} ${leaders.length > 1 ? 'have' : 'has'} the best value of ${top} of the ${ranked.length} ranked metrics.</p>`;
}

/** Renders the page and its two CSV files from loaded entries. */
export async function renderReport(entries: readonly ReportEntry[], opts: RenderOptions = {}): Promise<RenderedReport> {
  const title = opts.title ?? 'gen-eval report';
  const comp = checkComparability(entries);
  const table = tableCsv(entries);
  const rows = rowsCsv(entries);
  const charts = await chartSections(entries);
  const samples = await samplesSection(entries);
  const diverged = entries.flatMap((e) => (e.diverged ? [`${e.label} diverged at step ${e.diverged.step} (${e.diverged.reason}): its values are never ranked.`] : []));
  const alerts = [...comp.warnings.map((w) => `Not comparable: ${w}.`), ...diverged, ...(opts.warnings ?? [])];
  const alertBox = alerts.length
    ? `<div class="alert" role="alert"><strong>⚠ Read with care</strong><ul>${alerts.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul></div>`
    : '';
  const nav = [
    ['comparison', 'Comparison'],
    charts.quality && ['metrics', 'Metrics over training'],
    samples && ['samples', 'Samples'],
    charts.losses && ['losses', 'Losses'],
    ['provenance', 'What was compared'],
  ]
    .filter((x): x is string[] => Array.isArray(x))
    .map(([id, text]) => `<a href="#${id}">${text}</a>`)
    .join(' · ');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head><body>
<header><h1>${escapeHtml(title)}</h1>
<p class="sub">${countLine(entries)}</p>${leaderLine(entries, comp.unranked)}<nav aria-label="sections">${nav}</nav></header>
${alertBox}
<section id="comparison"><h2>Comparison</h2>
<p class="hint"><span class="dir">↑</span> higher is better · <span class="dir">↓</span> lower is better · <span class="best legend">★ best</span> in each column · ± one standard deviation. Click a column header (or focus it and press Enter) to sort.</p>
${comparisonTable(entries, comp.unranked)}
<p class="downloads">Download: ${csvLink(table, 'comparison.csv', 'comparison table (CSV)', '--csv')} · ${csvLink(rows, 'metrics-rows.csv', 'every value by run, step and metric (CSV)', '--csv-rows')}</p>
</section>
${charts.quality}
${samples}
${charts.losses}
${provenanceSection(entries, comp)}
<footer>Made by <code>gen-eval report</code>. Self-contained: opens offline, makes no network request.</footer>
<script>${SORT_SCRIPT}</script>
</body></html>
`;
  return { html, tableCsv: table, rowsCsv: rows, warnings: comp.warnings };
}
