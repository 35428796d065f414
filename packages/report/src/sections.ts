/** The page's sections as HTML fragments: comparison table, metric charts, samples, provenance. */
import { isKnownMetric } from '@gen-eval/metrics';
import { colourOf, dashOf, metricSpec, modeHistogramSpec, renderChart, scatterSpec } from './charts.js';
import type { Comparability } from './comparability.js';
import { downsample } from './downsample.js';
import { escapeHtml } from './escape.js';
import { metricInfo, orderMetrics } from './metric-direction.js';
import type { ConditionGridImage, Provenance, ReportEntry } from './report-data.js';
import { bestEntries, formatDuration, formatMetric, formatNumber, metricColumns } from './table.js';

/** A run's colour index: its position among the runs (the charts' legends count runs only). */
const runIndex = (entries: readonly ReportEntry[], e: ReportEntry) => entries.filter((x) => x.kind === 'run').indexOf(e);

/** The run's colour, and past the palette its dash pattern, as its chart lines draw them. */
const swatch = (i: number) => {
  const dash = dashOf(i);
  if (dash.length === 0) return `<span class="swatch" style="background:${colourOf(i)}" aria-hidden="true"></span>`;
  return `<svg class="swatch-dash" width="22" height="8" aria-hidden="true"><line x1="0" y1="4" x2="22" y2="4" stroke="${colourOf(i)}" stroke-width="2.5" stroke-dasharray="${dash.join(' ')}"/></svg>`;
};

const divergedBadge = (e: ReportEntry) =>
  e.diverged ? ` <span class="badge diverged" title="${escapeHtml(`step ${e.diverged.step}: ${e.diverged.reason}`)}">diverged</span>` : '';

function header(col: number, label: string, type: 'num' | 'text', extra = ''): string {
  const cls = type === 'text' ? ' class="text"' : '';
  return `<th scope="col"${cls} data-col="${col}" data-type="${type}" aria-sort="none"${extra}><button type="button">${label}</button></th>`;
}

/** The sortable comparison table; columns in `unranked` (measured differently) get no ★. */
export function comparisonTable(entries: readonly ReportEntry[], unranked: ReadonlySet<string> = new Set()): string {
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
    const warn = unranked.has(c) ? '&nbsp;<span class="warn" title="not ranked: measured differently (see What was compared)">⚠</span>' : '';
    heads.push(header(6 + j, `${escapeHtml(info.label)}${dir}${warn}`, 'num', first + title));
  });
  const best = new Map(cols.map((c) => [c, new Set(unranked.has(c) ? [] : bestEntries(entries, c))]));
  const rows = entries.map((e, i) => {
    const badge = (e.kind === 'result' ? ' <span class="badge">result file</span>' : '') + divergedBadge(e);
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

/**
 * The metrics with a history, split into quality metrics and training losses (with the keys the
 * table does not know: a run's evaluations all are, so those are an older run's undeclared losses).
 */
function seriesMetrics(entries: readonly ReportEntry[]): { quality: string[]; loss: string[] } {
  const keys = orderMetrics(entries.flatMap((e) => e.series.map((p) => p.metric)));
  const isLoss = (k: string) => !isKnownMetric(k) || metricInfo(k).group === 'loss';
  return { quality: keys.filter((k) => !isLoss(k)), loss: keys.filter(isLoss) };
}

/** One chart per metric, value against step, one line per run. */
async function chartGrid(entries: readonly ReportEntry[], metrics: readonly string[]): Promise<string> {
  const runs = entries.filter((e) => e.kind === 'run');
  const labels = runs.map((r) => r.label);
  const figures: string[] = [];
  for (const m of metrics) {
    const rows: { run: string; step: number; value: number }[] = [];
    const undrawn: string[] = [];
    for (const r of runs) {
      const all = r.series.filter((p) => p.metric === m);
      const finite = all.flatMap((p) => (p.value !== null && Number.isFinite(p.value) ? [{ run: r.label, step: p.step, value: p.value }] : []));
      rows.push(...downsample(finite));
      if (finite.length < all.length) undrawn.push(`${r.label} (${all.length - finite.length})`);
    }
    // A run's baselines (bicubic upsampling) as reference lines: the gain is the gap to them.
    const refs = runs.flatMap((r) => (r.baselines ?? []).flatMap((b) => (typeof b.metrics[m] === 'number' ? [{ run: r.label, name: b.name, value: b.metrics[m] }] : [])));
    const svg = await renderChart(metricSpec(m, rows, labels, refs), `${metricInfo(m).label} against training step, one line per run`);
    // Non-finite values (NaN, ±∞, n/a) have no place on the axis: say whose are missing.
    const caption = undrawn.length ? `<figcaption class="note">Not drawn, not a finite number: ${escapeHtml(undrawn.join(', '))}.</figcaption>` : '';
    figures.push(`<figure class="chart">${svg}${caption}</figure>`);
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

/** One line per baseline of a run (config.json `baselines`): what it is and its values, to set the run's own against. */
function baselineLines(e: ReportEntry): string {
  return (e.baselines ?? [])
    .map((b) => {
      const spreads = new Set(Object.keys(b.metrics).map((k) => metricInfo(k).spread));
      const shown = Object.keys(b.metrics).filter((k) => !spreads.has(k) && typeof b.metrics[k] === 'number');
      const values = shown.map((k) => `${escapeHtml(k)} <b>${formatMetric(b, k)}</b>`);
      return `<p class="stats baseline">baseline ${escapeHtml(b.name)} — ${escapeHtml(b.label)}: ${values.join(' · ')}</p>`;
    })
    .join('');
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

/**
 * A run's latest condition grid, captioned with what config.json records of its rows and
 * columns (text the run folder supplies: escaped). Two or three rows read top / (middle /) bottom
 * (a paired run's input | output | target), more first … last (every row in the tooltip).
 */
function conditionGridFigure(g: ConditionGridImage): string {
  const rows = g.rows;
  const what = !rows
    ? 'rows and columns not recorded in config.json'
    : rows.length === 1
      ? `row: ${rows[0]}`
      : rows.length === 2
        ? `top: ${rows[0]}, bottom: ${rows[1]}`
        : rows.length === 3
          ? `top: ${rows[0]}, middle: ${rows[1]}, bottom: ${rows[2]}`
          : `rows: ${rows[0]} … ${rows[rows.length - 1]}`;
  const caption = `Condition grid at step ${g.step}: ${what}${g.columns ? `; columns: ${g.columns}` : ''}.`;
  const title = rows ? `${g.name}: ${rows.join(', ')}` : g.name;
  return `<figure class="condition-grid"><img src="${g.dataUrl}" alt="${escapeHtml(caption)}" title="${escapeHtml(title)}"><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/** One card per run: the latest 2-D samples over the true modes, the mode histogram, image samples and condition grid. */
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
      const count =
        p.nonFinite === p.total
          ? `none of the ${p.total} points is finite (all NaN or ±∞), nothing to draw`
          : shown < p.total
            ? `${shown} of ${p.total} points shown`
            : `${p.total} points`;
      const nonFinite = p.nonFinite && p.nonFinite < p.total ? `, ${p.nonFinite} not finite (NaN or ±∞), not drawn` : '';
      const extra = `${count}${nonFinite}${outside ? `, ${outside} outside the view` : ''}`;
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
    if (e.conditionGrid) parts.push(conditionGridFigure(e.conditionGrid));
    if (parts.length === 0) parts.push('<p class="hint">No samples saved yet.</p>');
    const notes = e.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('');
    cards.push(`<article class="card"><h3>${swatch(i)}${escapeHtml(e.label)}${divergedBadge(e)}</h3>
<p class="meta">${escapeHtml(e.model ?? '')} on ${escapeHtml(e.data ?? '?')}${e.steps !== undefined ? ` · ${e.steps} steps` : ''}</p>${coverageLine(e)}${baselineLines(e)}${notes}
<div class="card-body">${parts.join('\n')}</div></article>`);
  }
  const hint = `<p class="hint">Left: each run's points at its last evaluation; circles are the data set's true modes, drawn with radius 3σ (a point inside one is
"high quality"). Right: of the points within 3σ of a mode, the share at each mode, per evaluation: a collapsed generator leaves rows empty,
even coverage is a uniform mid-blue, a blank column means no point was near any mode.</p>`;
  return cards.length === 0 ? '' : `<section id="samples"><h2>Latest samples</h2>\n${hint}<div class="cards">${cards.join('\n')}</div></section>`;
}

const PROVENANCE: readonly (readonly [keyof Provenance, string])[] = [
  ['data', 'data / reference'],
  ['extractor', 'extractor'],
  ['weights', 'weights'],
  ['dims', 'dims'],
  ['profile', 'profile'],
  ['n', 'n'],
  ['seeds', 'seeds'],
];

/** "What was compared": the provenance of every entry, differing cells flagged. */
export function provenanceSection(entries: readonly ReportEntry[], comp: Comparability): string {
  const used = PROVENANCE.filter(([k]) => entries.some((e) => e.provenance[k] !== undefined));
  const head = `<tr><th scope="col">run</th>${used.map(([, l]) => `<th scope="col">${l}</th>`).join('')}</tr>`;
  const rows = entries.map((e, i) => {
    const cells = used.map(([k]) => {
      const v = e.provenance[k];
      const differs = comp.differing[i]!.has(k);
      const text = v === undefined ? '—' : escapeHtml(String(v));
      return differs ? `<td class="differs" title="differs from an entry it shares a metric with">⚠ ${text}</td>` : `<td>${text}</td>`;
    });
    return `<tr><th scope="row">${escapeHtml(e.label)}${divergedBadge(e)}</th>${cells.join('')}</tr>`;
  });
  const kinds = new Set(entries.map((e) => e.kind));
  const verdict = comp.warnings.length
    ? '<p class="bad">⚠ Not all numbers on this page are comparable: the flagged cells differ, and the columns they share are not ranked.</p>'
    : '<p class="ok">✓ Comparable: wherever two entries share a metric, they used the same data or reference set, extractor, weights, feature dimensions, profile and sample counts (as far as recorded).</p>';
  const diverged = entries.filter((e) => e.diverged).map((e) => escapeHtml(e.label));
  const divergedLine = diverged.length ? `<p class="bad">⚠ Diverged (never ranked): ${diverged.join(', ')}.</p>` : '';
  const mixed =
    kinds.size > 1
      ? '<p class="hint">Runs are scored by their training-time evaluations, result files by separate evaluations: where they share a column, compare them only if both measured the same samples the same way.</p>'
      : '';
  return `<section id="provenance"><h2>What was compared</h2>${verdict}${divergedLine}${mixed}
<div class="scroll"><table class="plain">${head}${rows.join('\n')}</table></div></section>`;
}
