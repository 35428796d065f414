/**
 * Reads one run directory (docs/run-format.md) into a report entry, through the run format's
 * readers in @gen-eval/metrics/runs: the report neither depends on @gen-eval/models nor loads
 * TensorFlow (package-boundaries.test.ts checks both).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { datasetMixture, mixtureModeCoverage, readNpy } from '@gen-eval/metrics';
import { inputError } from '@gen-eval/metrics/errors';
import {
  baselinesOf,
  conditionGridOf,
  listConditionGrids,
  listStepFiles,
  parseConditionGridFile,
  parseStepFile,
  readJson,
  readMetrics,
  readRunConfig,
  runPaths,
  type MetricRecord,
  type RunConfig,
  type RunSummary,
} from '@gen-eval/metrics/runs';
import type { ConditionGridImage, PointSamples, ReportEntry, SampleImage } from './report-data.js';
import { declareRunMetrics } from './run-metrics.js';

/** Points drawn per scatter: enough to see every mode, small enough to keep the page light. */
const MAX_POINTS = 1500;
/** Evaluations scored for the mode histogram (evenly spaced, the last always included). */
const MAX_HISTOGRAM_STEPS = 40;
/** Latest PNG samples embedded per run. */
const MAX_IMAGES = 16;

/** Evenly spaced picks of at most `max` items, always keeping the last. */
function spaced<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.round((i * (items.length - 1)) / (max - 1))]!);
  return out;
}

function readPoints(path: string): { xy: Float64Array; rows: number } | undefined {
  const arr = readNpy(path);
  if (arr.shape.length !== 2 || arr.shape[1] !== 2) return undefined;
  const xy = Float64Array.from(arr.data as ArrayLike<number>, Number);
  return { xy, rows: arr.shape[0]! };
}

async function readSamples(dir: string, dataName: string, image: boolean, notes: string[]): Promise<PointSamples | undefined> {
  const files = listStepFiles(runPaths(dir).samples, ['npy']);
  const last = files[files.length - 1];
  // Image runs' samples are shown as their grid PNG (readImages), not as a scatter.
  if (!last || image) return undefined;
  const latest = readPoints(last.path);
  if (!latest) {
    notes.push(`${basename(last.path)} is not an N×2 array of points: no scatter`);
    return undefined;
  }
  let nonFinite = 0;
  for (let i = 0; i < latest.rows; i++) if (!Number.isFinite(latest.xy[2 * i]!) || !Number.isFinite(latest.xy[2 * i + 1]!)) nonFinite++;
  const stride = Math.max(1, Math.ceil(latest.rows / MAX_POINTS));
  const kept = Math.ceil(latest.rows / stride);
  const xy = new Float32Array(2 * kept);
  for (let i = 0; i < kept; i++) {
    xy[2 * i] = latest.xy[2 * i * stride]!;
    xy[2 * i + 1] = latest.xy[2 * i * stride + 1]!;
  }
  // A built-in mixture data set's modes (a .npy or image data set has none).
  const mix = datasetMixture(dataName);
  if (!mix) return { step: last.step, xy, total: latest.rows, nonFinite, histogram: [] };
  const histogram: PointSamples['histogram'][number][] = [];
  for (const f of spaced(files, MAX_HISTOGRAM_STEPS)) {
    const pts = f === last ? latest : readPoints(f.path);
    if (!pts || pts.rows === 0) continue;
    // Non-finite points (a diverged model) have no nearest mode: they count in the total only.
    const finite: number[] = [];
    for (let i = 0; i < pts.rows; i++) {
      const x = pts.xy[2 * i]!;
      const y = pts.xy[2 * i + 1]!;
      if (Number.isFinite(x) && Number.isFinite(y)) finite.push(x, y);
    }
    const counts =
      finite.length === 0
        ? new Array<number>(mix.centres.rows).fill(0)
        : (await mixtureModeCoverage({ rows: finite.length / 2, cols: 2, data: Float64Array.from(finite) }, mix, { name: f.path })).counts;
    histogram.push({ step: f.step, counts, total: pts.rows });
  }
  return { step: last.step, xy, total: latest.rows, nonFinite, modes: { centres: Float64Array.from(mix.centres.data), sigma: mix.sigma }, histogram };
}

/**
 * The latest PNG samples (by name) under samples/, as data: URLs: for an image run, the grid of
 * its last evaluation (samples/step-N.png); otherwise the last MAX_IMAGES PNGs (condition grids
 * excepted: readConditionGrid shows those).
 */
function readImages(dir: string): SampleImage[] {
  const folder = runPaths(dir).samples;
  if (!existsSync(folder)) return [];
  const pngs = readdirSync(folder)
    .filter((n) => n.toLowerCase().endsWith('.png') && parseConditionGridFile(n) === undefined)
    .sort();
  const grids = pngs.filter((n) => parseStepFile(n, ['png']));
  return (grids.length ? grids.slice(-1) : pngs.slice(-MAX_IMAGES)).map((name) => ({ name, dataUrl: pngDataUrl(join(folder, name)) }));
}

const pngDataUrl = (path: string) => `data:image/png;base64,${readFileSync(path).toString('base64')}`;

/**
 * The latest condition grid (samples/step-N-condition.png) with what config.json's
 * `conditionGrid` says its rows and columns are; undefined when the run wrote none (unconditioned
 * families, 2-D data, runs of older versions).
 */
function readConditionGrid(dir: string, config: RunConfig): ConditionGridImage | undefined {
  const record = conditionGridOf(config, runPaths(dir).config);
  const last = listConditionGrids(runPaths(dir).samples).at(-1);
  if (!last) return undefined;
  return { step: last.step, name: last.name, dataUrl: pngDataUrl(last.path), ...(record ? { rows: record.rows, columns: record.columns } : {}) };
}

/**
 * The `diverged` record training writes into summary.json when losses or samples became
 * non-finite (`{"step": N, "reason": "…"}`); undefined when the key is absent.
 */
function divergedOf(summary: object, file: string): ReportEntry['diverged'] {
  const d = (summary as { diverged?: unknown }).diverged;
  if (d === undefined || d === null) return undefined;
  const { step, reason } = (typeof d === 'object' ? d : {}) as { step?: unknown; reason?: unknown };
  if (!Number.isInteger(step) || typeof reason !== 'string') throw inputError(file, '"diverged" must be {"step": <integer>, "reason": "<text>"}');
  return { step: step as number, reason };
}

/**
 * One note per metric with values that are not finite numbers (NaN or ±∞ written as null or
 * 1e999): the charts cannot draw them, so the page says how many and from which step.
 */
function nonFiniteNotes(records: readonly MetricRecord[]): string[] {
  const bad = new Map<string, { count: number; total: number; first: number }>();
  for (const r of records) {
    const b = bad.get(r.metric) ?? { count: 0, total: 0, first: r.step };
    b.total++;
    if (r.value === null || !Number.isFinite(r.value)) {
      if (b.count === 0) b.first = r.step;
      b.count++;
    }
    bad.set(r.metric, b);
  }
  return [...bad].filter(([, b]) => b.count > 0).map(([metric, b]) => `${metric}: ${b.count} of ${b.total} values not finite (NaN, ±∞ or n/a), from step ${b.first}: not drawn`);
}

/** Reads a run directory; throws a one-line input error naming the bad file (and line). */
export async function readRun(dir: string, label: string): Promise<ReportEntry> {
  const config = readRunConfig(dir);
  const records = readMetrics(dir);
  const paths = runPaths(dir);
  declareRunMetrics(config.metrics, paths.config);
  const notes: string[] = [];
  let summary: Partial<RunSummary> | undefined;
  let diverged: ReportEntry['diverged'];
  if (existsSync(paths.summary)) {
    summary = readJson<Partial<RunSummary>>(paths.summary);
    if (typeof summary !== 'object' || summary === null) throw inputError(paths.summary, 'expected a JSON object');
    if (summary.interrupted) notes.push('stopped by a signal before its target');
    diverged = divergedOf(summary, paths.summary);
    if (diverged) notes.push(`diverged at step ${diverged.step}: ${diverged.reason}`);
  } else notes.push('no summary.json yet (still training, or killed): the last evaluation is shown');

  // Final values: summary.json's last evaluation, else the last value of each metric.
  const metrics: Record<string, number | null> = {};
  for (const r of records) metrics[r.metric] = r.value;
  if (summary?.metrics && typeof summary.metrics === 'object') Object.assign(metrics, summary.metrics);

  notes.push(...nonFiniteNotes(records));
  const lastStep = records.reduce((m, r) => Math.max(m, r.step), 0);
  const lastElapsed = records.reduce((m, r) => Math.max(m, r.elapsed ?? 0), 0);
  const steps = typeof summary?.steps === 'number' ? summary.steps : records.length ? lastStep : undefined;
  const wallSeconds = typeof summary?.wall_seconds === 'number' ? summary.wall_seconds : records.length ? lastElapsed : undefined;
  const backend = summary?.backend ?? config.backend?.choice;
  const dataName = config.data?.name ?? String(summary?.data ?? '');
  // Image runs at different sizes are different problems: the size is part of the data's name.
  const image = config.data?.imageSize !== undefined;
  const px = image ? ` (${config.data.imageSize} px)` : '';
  const data = `${config.dataB ? `${dataName} → ${config.dataB.name}` : dataName}${px}`;
  // A translation run's samples are domain-A inputs translated into domain B (its dataB): scored against B's modes.
  const points = await readSamples(dir, config.dataB?.name ?? dataName, image, notes);
  const conditionGrid = readConditionGrid(dir, config);
  const baselines = Object.entries(baselinesOf(config, paths.config)).map(([name, b]) => ({ name, label: b.label, metrics: b.metrics }));
  return {
    kind: 'run',
    label,
    path: dir,
    model: config.model,
    data,
    ...(steps !== undefined ? { steps } : {}),
    ...(wallSeconds !== undefined ? { wallSeconds } : {}),
    ...(backend ? { backend } : {}),
    metrics,
    series: records.map((r) => ({ step: r.step, metric: r.metric, value: r.value })),
    provenance: {
      // A file data set is named by its hash too: two files of one name are different data.
      data: config.data?.sha256 ? `${data} (sha256 ${config.data.sha256.slice(0, 8)})` : data,
      // A two-domain run's data is both sets: one hash cannot stand for it.
      ...(config.data?.sha256 && !config.dataB ? { dataSha256: String(config.data.sha256) } : {}),
      // Image runs score with the data set's embedded classifier (image-eval.ts), 2-D runs on the points themselves.
      extractor: image ? 'embedded classifier of the data set' : 'none (raw samples)',
      // Reference / generated per evaluation: image runs compare with evalReal held-out images.
      n: `${(image ? config.evalReal : undefined) ?? config.evalSamples} / ${config.evalSamples}`,
      seeds: `training ${config.seed}`,
    },
    ...(points ? { points } : {}),
    images: readImages(dir),
    ...(conditionGrid ? { conditionGrid } : {}),
    ...(baselines.length ? { baselines } : {}),
    notes,
    ...(diverged ? { diverged } : {}),
  };
}
