/**
 * Charts as Vega-Lite specs, rendered to SVG strings in Node (no browser, no canvas): the page
 * embeds them inline, so it needs no script to draw and no network to open.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { metricInfo } from './metric-direction.js';
import type { PointSamples } from './report-data.js';

/** Tableau 10: one colour per run, the same in every chart and on the sample cards. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

/**
 * Dash patterns for runs beyond the palette: runs 0–9 are solid, 10–19 the second pattern, and
 * so on, so 80 runs draw 80 different (colour, dash) lines.
 */
export const DASHES: readonly (readonly number[])[] = [[], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [12, 4], [4, 2, 1, 2, 1, 2], [10, 3, 3, 3]];

/** The colour of the i-th run. */
export const colourOf = (i: number): string => PALETTE[i % PALETTE.length]!;

/** The dash pattern of the i-th run's lines ([] solid). */
export const dashOf = (i: number): readonly number[] => DASHES[Math.floor(i / PALETTE.length) % DASHES.length]!;

const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  title: { anchor: 'start', fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 260 },
} as const;

let svgCount = 0;

/**
 * Gives the ids of one SVG (clip paths, legend gradients) a prefix of their own: inline SVGs
 * share the page's id space, and Vega numbers them from 1 in every chart.
 */
function scopeIds(svg: string): string {
  const prefix = `c${++svgCount}-`;
  const ids = new Set([...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!));
  let out = svg.replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`);
  out = out.replace(/url\(#([^)]+)\)/g, (m, id: string) => (ids.has(id) ? `url(#${prefix}${id})` : m));
  return out.replace(/href="#([^"]+)"/g, (m, id: string) => (ids.has(id) ? `href="#${prefix}${id}"` : m));
}

/** Compiles a Vega-Lite spec and renders it to an SVG string with an accessible name. */
export async function renderChart(spec: TopLevelSpec, label: string): Promise<string> {
  const view = new vega.View(vega.parse(compile({ config: CONFIG, ...spec }).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const named = svg.replace('<svg ', `<svg role="img" aria-label="${label.replace(/[&<>"]/g, '')}" `);
    return scopeIds(named);
  } finally {
    view.finalize();
  }
}

/** A run's baseline value of a metric (a super-resolution run's bicubic upsampling), drawn as a horizontal reference line. */
export interface ReferenceLine {
  readonly run: string;
  readonly name: string;
  readonly value: number;
}

/**
 * One line per run of a metric against the training step; each of `refs` a dashed horizontal
 * line in its run's colour, labelled with the baseline's name at the right edge.
 */
export function metricSpec(
  metric: string,
  rows: readonly { run: string; step: number; value: number | null }[],
  runs: readonly string[],
  refs: readonly ReferenceLine[] = [],
): TopLevelSpec {
  const info = metricInfo(metric);
  const values = rows.filter((r) => r.value !== null && Number.isFinite(r.value)).map((r) => ({ ...r }));
  const present = runs.flatMap((r, i) => (values.some((v) => v.run === r) ? [i] : []));
  const better = info.higherIsBetter === undefined ? 'not ranked' : info.higherIsBetter ? '↑ higher is better' : '↓ lower is better';
  const line = {
    data: { values },
    mark: { type: 'line', point: { size: 18 }, strokeWidth: 1.8 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'training step', axis: { format: '~s' } },
      y: {
        field: 'value',
        type: 'quantitative', // The chart's title names the metric; a short axis title keeps the plots aligned.
        title: info.unit || info.label,
        scale: { zero: false },
      },
      // The legend lists the runs that have this metric, each in its page-wide colour.
      color: {
        field: 'run',
        type: 'nominal',
        title: 'run',
        scale: { domain: present.map((i) => runs[i]!), range: present.map(colourOf) },
        legend: { orient: 'bottom', columns: 1 },
      },
      // Past the palette's 10 colours, dashes tell the runs apart (one legend shows both).
      ...(runs.length > PALETTE.length
        ? {
            strokeDash: {
              field: 'run',
              type: 'nominal',
              title: 'run',
              scale: { domain: present.map((i) => runs[i]!), range: present.map((i) => [...dashOf(i)]) },
              legend: { orient: 'bottom', columns: 1 },
            },
          }
        : {}),
    },
  };
  const frame = { width: 300, height: 170, title: { text: info.label === metric ? metric : `${info.label} (${metric})`, subtitle: better } };
  const drawn = refs.filter((r) => Number.isFinite(r.value));
  if (drawn.length === 0) return { ...frame, ...line } as TopLevelSpec;
  const ref = { data: { values: drawn.map((r) => ({ ...r })) } };
  const y = { field: 'value', type: 'quantitative' };
  const colour = line.encoding.color; // the lines' own encoding: one colour scale, one legend
  return {
    ...frame,
    layer: [
      line,
      { ...ref, mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 1.2 }, encoding: { y, color: colour } },
      { ...ref, mark: { type: 'text', align: 'right', dy: -5, fontSize: 10 }, encoding: { y, x: { value: 'width' }, text: { field: 'name' }, color: colour } },
    ],
  } as TopLevelSpec;
}

/** Half-width of the square view of a scatter: the modes with room for 3σ, else the points' spread. */
function viewRadius(p: PointSamples): number {
  let r = 0;
  if (p.modes) {
    for (const v of p.modes.centres) r = Math.max(r, Math.abs(v));
    return r + 6 * p.modes.sigma + 0.25 * r;
  }
  const abs = [...p.xy]
    .filter(Number.isFinite)
    .map(Math.abs)
    .sort((a, b) => a - b);
  // The 99th percentile: one diverged point should not shrink everything else to a dot.
  return 1.1 * (abs[Math.floor(0.99 * (abs.length - 1))] ?? 1) || 1;
}

/** Generated points of the latest evaluation over the true modes (circles of radius 3σ); `outside`: finite points beyond the view. */
export function scatterSpec(p: PointSamples, colour: string): { spec: TopLevelSpec; outside: number } {
  const size = 190;
  const r = viewRadius(p);
  const domain = [-r, r];
  const points: { x: number; y: number }[] = [];
  let outside = 0;
  for (let i = 0; i < p.xy.length; i += 2) {
    const x = p.xy[i]!;
    const y = p.xy[i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue; // counted in p.nonFinite
    if (Math.abs(x) > r || Math.abs(y) > r) outside++;
    else points.push({ x, y });
  }
  const xEnc = { field: 'x', type: 'quantitative', scale: { domain, nice: false }, title: 'x' } as const;
  const yEnc = { field: 'y', type: 'quantitative', scale: { domain, nice: false }, title: 'y' } as const;
  const layers: unknown[] = [{ data: { values: points }, mark: { type: 'circle', size: 7, opacity: 0.45, color: colour }, encoding: { x: xEnc, y: yEnc } }];
  if (p.modes) {
    const centres = [];
    for (let i = 0; i < p.modes.centres.length; i += 2) centres.push({ x: p.modes.centres[i]!, y: p.modes.centres[i + 1]! });
    // Vega's circle symbol of area `size` has diameter √size: the ring drawn is the 3σ boundary.
    const diameter = (2 * 3 * p.modes.sigma * size) / (2 * r);
    layers.push({
      data: { values: centres },
      mark: { type: 'point', shape: 'circle', filled: false, color: '#222', strokeWidth: 1.2, size: Math.max(30, diameter * diameter) },
      encoding: { x: xEnc, y: yEnc },
    });
  }
  const spec = { width: size, height: size, layer: layers } as TopLevelSpec;
  return { spec, outside };
}

/**
 * The mode histogram over training: of the points within 3σ of a mode, the share at each mode,
 * per evaluation (step × mode). Normalising by the high-quality points (not all points) makes
 * collapse read at a glance whatever the sample quality: one dark row, the others empty.
 */
export function modeHistogramSpec(p: PointSamples): TopLevelSpec {
  const modes = p.modes ? p.modes.centres.length / 2 : 0;
  const values = p.histogram.flatMap((h) => {
    const near = h.counts.reduce((a, c) => a + c, 0);
    return h.counts.map((c, mode) => ({ step: h.step, mode, share: near ? c / near : 0 }));
  });
  return {
    width: 140,
    height: Math.max(100, Math.min(250, 14 * modes)),
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'step', type: 'ordinal', title: 'training step', axis: { labelAngle: -45, labelOverlap: true } },
      y: { field: 'mode', type: 'ordinal', title: 'mode', axis: { labelOverlap: true } },
      // Even coverage is 1/K per mode: the scale tops out at twice that, so balance reads as mid-blue.
      color: {
        field: 'share',
        type: 'quantitative',
        title: ['share of', 'near points'],
        scale: { scheme: 'blues', domain: [0, modes ? 2 / modes : 1], clamp: true },
        legend: { format: '.0%', gradientLength: 90 },
      },
    },
  };
}
