/** The page's sections as HTML fragments: comparison table, metric charts, samples, provenance. */
import { colourOf, metricSpec, modeHistogramSpec, renderChart, scatterSpec } from './charts.js';
import type { Comparability } from './comparability.js';
import { escapeHtml } from './escape.js';
import { metricInfo, orderMetrics } from './metric-direction.js';
import type { Provenance, ReportEntry } from './model.js';
import { bestEntries, formatDuration, formatMetric, formatNumber, metricColumns } from './table.js';

/** A run's colour index: its position among the runs (the charts' legends count runs only). */
const runIndex = (entries: readonly ReportEntry[], e: ReportEntry) => entries.filter((x) => x.kind === 'run').indexOf(e);

const swatch = (i: number) => `<span class="swatch" style="background:${colourOf(i)}" aria-hidden="true"></span>`;

function header(col: number, label: string, type: 'num' | 'text', extra = ''): string {
  const cls = type === 'text' ? ' class="text"' : '';
  return `<th scope="col"${cls} data-col="${col}" data-type="${type}" aria-sort="none"${extra}><button type="button">${label}</button></th>`;
}

/** The sortable comparison table. */
export function comparisonTable(entries: readonly ReportEntry[]): string {
  const cols = metricColumns(entries);
  const heads = [
    header(0, 'run', 'text'),
    header(1, 'model', 'text'),
    header(2, 'data', 'text'),
    header(3, 'steps', 'num'),
    header(4, 'train time', 'num', ' title="training seconds, evaluation excluded"'),
    header(5, 'backend', 'text'),
  ];
  cols.forEach((c, j) => {
    const info = metricInfo(c);
    const dir =
      info.higherIsBetter === undefined
        ? ''
        : info.higherIsBetter
          ? '&nbsp;<span class="dir" title="higher is better">↑</span>'
          : '&nbsp;<span class="dir" title="lower is better">↓</span>';
    const first = info.higherIsBetter ? ' data-first="descending"' : '';
    const title = ` title="${escapeHtml(`${c}${info.unit ? ` (${info.unit})` : ''}: ${info.higherIsBetter === undefined ? 'not ranked' : info.higherIsBetter ? 'higher is better' : 'lower is better'}`)}"`;
    heads.push(header(6 + j, `${escapeHtml(info.label)}${dir}`, 'num', first + title));
  });
  const best = new Map(cols.map((c) => [c, new Set(bestEntries(entries, c))]));
  const rows = entries.map((e, i) => {
    const badge = e.kind === 'result' ? ' <span class="badge">result file</span>' : '';
    const cells = [
      `<th scope="row" data-sort="${escapeHtml(e.label)}">${e.kind === 'run' ? swatch(runIndex(entries, e)) : ''}${escapeHtml(e.label)}${badge}</th>`,
      `<td class="text">${escapeHtml(e.model ?? '—')}</td>`,
      `<td class="text">${escapeHtml(e.data ?? '—')}</td>`,
      e.steps === undefined ? '<td data-sort="">—</td>' : `<td data-sort="${e.steps}">${e.steps}</td>`,
      e.wallSeconds === undefined ? '<td data-sort="">—</td>' : `<td data-sort="${e.wallSeconds}">${formatDuration(e.wallSeconds)}</td>`,
      `<td class="text">${escapeHtml(e.backend ?? '—')}</td>`,
    ];
    for (const c of cols) {
      const v = e.metrics[c];
      const sort = typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
      const isBest = best.get(c)!.has(i);
      const text = escapeHtml(formatMetric(e, c));
      cells.push(
        isBest
          ? `<td class="best" data-sort="${sort}"><span class="star" aria-hidden="true">★</span>${text}<span class="sr-only"> (best)</span></td>`
          : `<td data-sort="${sort}">${text}</td>`,
      );
    }
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<div class="scroll"><table class="sortable" id="comparison-table"><thead><tr>${heads.join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table></div>`;
}

/** The metrics with a history, split into quality metrics and training losses. */
function seriesMetrics(entries: readonly ReportEntry[]): { quality: string[]; loss: string[] } {
  const keys = orderMetrics(entries.flatMap((e) => e.series.map((p) => p.metric)));
  return { quality: keys.filter((k) => metricInfo(k).group === 'quality'), loss: keys.filter((k) => metricInfo(k).group === 'loss') };
}

/** One chart per metric, value against step, one line per run. */
async function chartGrid(entries: readonly ReportEntry[], metrics: readonly string[]): Promise<string> {
  const runs = entries.filter((e) => e.kind === 'run');
  const labels = runs.map((r) => r.label);
  const figures: string[] = [];
  for (const m of metrics) {
    const rows = runs.flatMap((r) => r.series.filter((p) => p.metric === m).map((p) => ({ run: r.label, step: p.step, value: p.value })));
    const svg = await renderChart(metricSpec(m, rows, labels), `${metricInfo(m).label} against training step, one line per run`);
    figures.push(`<figure class="chart">${svg}</figure>`);
  }
  return `<div class="grid">${figures.join('\n')}</div>`;
}

/** "Metrics over training" and "Training losses" sections ('' when no run has a history). */
export async function chartSections(entries: readonly ReportEntry[]): Promise<{ quality: string; losses: string }> {
  const { quality, loss } = seriesMetrics(entries);
  const q =
    quality.length === 0
      ? ''
      : `<section id="metrics"><h2>Metrics over training</h2>
<p class="hint">Each evaluation of each run; the arrow under a title says which way is better.</p>
${await chartGrid(entries, quality)}</section>`;
  const l =
    loss.length === 0
      ? ''
      : `<section id="losses"><h2>Training losses</h2>
<p class="hint">Averaged since the previous evaluation. Losses are only comparable between runs of the same model family.</p>
${await chartGrid(entries, loss)}</section>`;
  return { quality: q, losses: l };
}

function coverageLine(e: ReportEntry): string {
  const parts: string[] = [];
  const m = e.metrics;
  const modes = e.points?.modes ? e.points.modes.centres.length / 2 : undefined;
  if (typeof m.modes_covered === 'number') parts.push(`modes covered <b>${m.modes_covered}${modes ? ` / ${modes}` : ''}</b>`);
  if (typeof m.high_quality === 'number') parts.push(`high quality <b>${(100 * m.high_quality).toFixed(1)} %</b>`);
  if (typeof m.reverse_kl === 'number') parts.push(`reverse KL <b>${formatNumber(m.reverse_kl)}</b> nats`);
  return parts.length ? `<p class="stats">${parts.join(' · ')}</p>` : '';
}

/** One card per run: the latest 2-D samples over the true modes, the mode histogram, image samples. */
export async function samplesSection(entries: readonly ReportEntry[]): Promise<string> {
  const cards: string[] = [];
  for (const e of entries) {
    if (e.kind !== 'run') continue;
    const i = runIndex(entries, e);
    const parts: string[] = [];
    const p = e.points;
    if (p) {
      const { spec, outside } = scatterSpec(p, colourOf(i));
      const shown = p.xy.length / 2;
      const extra = `${shown < p.total ? `${shown} of ${p.total} points shown` : `${p.total} points`}${outside ? `, ${outside} outside the view` : ''}`;
      const what = p.modes ? 'over the true modes' : '(no modes in this data set)';
      parts.push(
        `<figure class="chart">${await renderChart(spec, `generated points of ${e.label} at step ${p.step}`)}<figcaption>Generated points at step ${p.step} ${what} (${extra}).</figcaption></figure>`,
      );
      if (p.histogram.length) {
        const svg = await renderChart(modeHistogramSpec(p), `mode histogram of ${e.label} over training`);
        parts.push(`<figure class="chart">${svg}<figcaption>Mode histogram over training.</figcaption></figure>`);
      }
    }
    if (e.images.length) {
      const imgs = e.images.map((im) => `<img src="${im.dataUrl}" alt="${escapeHtml(im.name)}" title="${escapeHtml(im.name)}">`).join('');
      parts.push(`<figure class="images"><div class="image-grid">${imgs}</div><figcaption>Latest image samples (${e.images.length}).</figcaption></figure>`);
    }
    if (parts.length === 0) parts.push('<p class="hint">No samples saved yet.</p>');
    const notes = e.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('');
    cards.push(`<article class="card"><h3>${swatch(i)}${escapeHtml(e.label)}</h3>
<p class="meta">${escapeHtml(e.model ?? '')} on ${escapeHtml(e.data ?? '?')}${e.steps !== undefined ? ` · ${e.steps} steps` : ''}</p>${coverageLine(e)}${notes}
<div class="card-body">${parts.join('\n')}</div></article>`);
  }
  const hint = `<p class="hint">Left: each run's points at its last evaluation; circles are the data set's true modes, drawn with radius 3σ (a point inside one is
"high quality"). Right: of the points within 3σ of a mode, the share at each mode, per evaluation: a collapsed generator leaves rows empty,
even coverage is a uniform mid-blue, a blank column means no point was near any mode.</p>`;
  return cards.length === 0 ? '' : `<section id="samples"><h2>Latest samples</h2>\n${hint}<div class="cards">${cards.join('\n')}</div></section>`;
}

const PROVENANCE: readonly (readonly [keyof Provenance, string])[] = [
  ['data', 'data / reference'],
  ['evalSamples', 'eval samples'],
  ['extractor', 'extractor'],
  ['weights', 'weights'],
  ['profile', 'profile'],
  ['n', 'n'],
  ['seeds', 'seeds'],
];

/** "What was compared": the provenance of every entry, differing cells flagged. */
export function provenanceSection(entries: readonly ReportEntry[], comp: Comparability): string {
  const used = PROVENANCE.filter(([k]) => entries.some((e) => e.provenance[k] !== undefined));
  const head = `<tr><th scope="col">run</th>${used.map(([, l]) => `<th scope="col">${l}</th>`).join('')}</tr>`;
  const rows = entries.map((e) => {
    const cells = used.map(([k]) => {
      const v = e.provenance[k];
      const differs = comp.differing[e.kind].has(k);
      const text = v === undefined ? '—' : escapeHtml(String(v));
      return differs ? `<td class="differs" title="differs between ${e.kind}s">⚠ ${text}</td>` : `<td>${text}</td>`;
    });
    return `<tr><th scope="row">${escapeHtml(e.label)}</th>${cells.join('')}</tr>`;
  });
  const kinds = new Set(entries.map((e) => e.kind));
  const same = [
    ...(kinds.has('run') ? ['every run used the same data set and evaluation sample count'] : []),
    ...(kinds.has('result') ? ['every result file the same extractor, weights, profile and n'] : []),
  ].join('; ');
  const verdict = comp.warnings.length ? '<p class="bad">⚠ Not all numbers on this page are comparable: the flagged cells differ.</p>' : `<p class="ok">✓ Comparable: ${same}.</p>`;
  const mixed =
    kinds.size > 1
      ? '<p class="hint">Runs are scored by their training-time evaluations, result files by separate evaluations: where they share a column, compare them only if both measured the same samples the same way.</p>'
      : '';
  return `<section id="provenance"><h2>What was compared</h2>${verdict}${mixed}
<div class="scroll"><table class="plain">${head}${rows.join('\n')}</table></div></section>`;
}
