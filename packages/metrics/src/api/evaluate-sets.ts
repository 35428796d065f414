/**
 * The one-call API: `await evaluate({ real, fake, metrics })` over image folders, feature matrices,
 * statistics, in-memory image batches or accumulators. It reuses the CLI's pipeline (ExtractorSession,
 * loadInput, the metric code of `gen-eval eval`), so a folder gives the numbers the CLI gives;
 * every requested metric shares one feature pass per input. Nothing is written to stdout/stderr:
 * progress and warnings go to the callbacks. The pipeline is imported when called, so the main
 * entry loads no native addon.
 */
import { DEFAULTS } from '../defaults.js';
import { badInputError, usageError } from '../errors.js';
import type { EvaluateDetails, EvaluateMetrics, MetricName } from '../evaluate.js';
import type { GaussianStatsFile } from '../io/npz.js';
import type { AnyProfileName } from '../image/profiles.js';
import type { Matrix } from '../matrix.js';
import type { ExtractorSession, LoadedInput } from '../pipeline/load-input.js';
import type { ProgressListener } from '../pipeline/progress.js';
import { FeatureAccumulator, extractorOptions } from './feature-accumulator.js';
import type { ImageBatch } from './image-batch.js';

/** n × d features as a typed array (row-major). */
export interface FeatureArray {
  readonly features: Float32Array | Float64Array;
  readonly n: number;
  readonly d: number;
}

/** Precomputed statistics (pytorch-fid's mu/sigma): enough for FID only. */
export interface StatisticsInput {
  readonly mu: Float64Array | Float32Array;
  /** d × d, row-major, symmetric positive semi-definite. */
  readonly sigma: Float64Array | Float32Array;
  /** Samples they came from, when known (for the sample-size warning). */
  readonly n?: number;
}

/** Image batches from memory, e.g. a generator's samples, one batch at a time. */
export type ImageBatches = Iterable<ImageBatch> | AsyncIterable<ImageBatch>;

/**
 * One side of an evaluation: a path (image folder, `.npy` features or images, `.npz` statistics —
 * what the CLI reads), features ({@link FeatureArray} or a {@link Matrix}), statistics, image
 * batches, or a {@link FeatureAccumulator} already fed.
 */
export type EvaluateInput = string | FeatureArray | Matrix | StatisticsInput | ImageBatches | FeatureAccumulator;

/** What {@link evaluate} takes. */
export interface EvaluateRequest {
  readonly real: EvaluateInput;
  readonly fake: EvaluateInput;
  /** Metric groups: `fid`, `kid`, `is` (from fake's logits), `pr`, `prdc`, `cmmd` (CLIP embeddings) (METRIC_GROUPS). */
  readonly metrics: readonly MetricName[];
  /** Extractor for folders and batches: `inception` (default), `mnist`, `fashion-mnist`, `mobilenet`, `onnx:PATH`. */
  readonly extractor?: string;
  /** Preprocessing of images: `pytorch-fid` (default) or `clean` (an extractor's own variants when it declares them), or a network profile such as `cmmd`. */
  readonly profile?: AnyProfileName;
  /** Images per network call (default 50); results do not depend on it. */
  readonly batchSize?: number;
  /** Inception weights file, or the mobilenet model folder (no download). */
  readonly weights?: string;
  /** Inception feature block: 64, 192, 768 or 2048 (default 2048). */
  readonly dims?: number;
  /** Decode threads for folders (0 = this thread), onnxruntime threads and device. */
  readonly workers?: number;
  readonly threads?: number;
  readonly device?: 'cpu' | 'cuda';
  /** false: neither read nor write the feature cache (default true, as the CLI). */
  readonly cache?: boolean;
  /** Skip images of a folder that cannot be decoded (reported in the warnings). */
  readonly skipBad?: boolean;
  /** Metric parameters (defaults: DEFAULTS). */
  readonly kid?: { readonly subsets?: number; readonly subsetSize?: number; readonly seed?: number };
  readonly is?: { readonly splits?: number; readonly shuffleSeed?: number | null };
  readonly prK?: number;
  readonly prdcK?: number;
  /** Progress of downloads, cache hashing and feature extraction. */
  readonly onProgress?: ProgressListener;
  /** Every warning, as it arises (they are also returned in `warnings`). */
  readonly onWarning?: (message: string) => void;
  /**
   * Stops between batches: the promise rejects with `signal.reason` (by the platform's convention a
   * DOMException named "AbortError" unless the caller gave another reason), never a partial result.
   */
  readonly signal?: AbortSignal;
}

/** What {@link evaluate} returns: values by the METRIC keys, how each was computed, warnings. */
export interface EvaluateSetsResult {
  /** e.g. `{ fid, kid_mean, kid_std, prdc_precision, prdc_recall, density, coverage }`. */
  readonly result: EvaluateMetrics;
  /** Conventions used per group (snake_case, as in `gen-eval eval --json`). */
  readonly details: EvaluateDetails;
  readonly warnings: readonly string[];
  /** How each input was read: its kind and sample count (null for statistics without n). */
  readonly inputs: { readonly real: InputSummary; readonly fake: InputSummary };
}

/** Kind and size of an evaluated input. */
export interface InputSummary {
  readonly kind: 'images' | 'features' | 'stats';
  readonly n: number | null;
  /** The extractor, for images. */
  readonly extractor?: string;
}

const NEEDS_FEATURES: readonly MetricName[] = ['kid', 'pr', 'prdc', 'cmmd'];

/** Every requested metric between `real` and `fake`, from one feature pass per input. */
export async function evaluate(request: EvaluateRequest): Promise<EvaluateSetsResult> {
  const { METRIC_NAMES, evaluateLoaded } = await import('../evaluate.js');
  const metrics = checkMetrics(request.metrics, METRIC_NAMES);
  request.signal?.throwIfAborted();
  const { ExtractorSession } = await import('../pipeline/load-input.js');
  const warnings: string[] = [];
  const warn = (w: string) => {
    warnings.push(w);
    request.onWarning?.(w);
  };
  const session = new ExtractorSession({
    ...extractorOptions({ ...request, onWarning: warn }),
    skipBad: request.skipBad ?? false,
    onProgress: request.onProgress ?? (() => {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  try {
    const real = await load(request.real, 'real', metrics, session, request);
    const fake = await load(request.fake, 'fake', metrics, session, request);
    for (const input of [real, fake]) if (input.kind === 'images') input.warnings.forEach(warn);
    request.signal?.throwIfAborted();
    const r = await evaluateLoaded(real, fake, metrics, {
      ...(request.kid?.subsets !== undefined ? { kidSubsets: request.kid.subsets } : {}),
      ...(request.kid?.subsetSize !== undefined ? { kidSubsetSize: request.kid.subsetSize } : {}),
      ...(request.kid?.seed !== undefined ? { kidSeed: request.kid.seed } : {}),
      ...(request.is?.splits !== undefined ? { isSplits: request.is.splits } : {}),
      ...(request.is?.shuffleSeed !== undefined ? { isShuffleSeed: request.is.shuffleSeed } : {}),
      ...(request.prK !== undefined ? { prK: request.prK } : {}),
      ...(request.prdcK !== undefined ? { prdcK: request.prdcK } : {}),
    });
    r.warnings.forEach(warn);
    return { result: r.result, details: r.details, warnings, inputs: { real: summary(real), fake: summary(fake) } };
  } finally {
    await session.dispose();
  }
}

function checkMetrics(metrics: readonly MetricName[], known: readonly MetricName[]): MetricName[] {
  if (!Array.isArray(metrics) || metrics.length === 0) throw usageError(`metrics: give at least one of ${known.join(', ')}`);
  for (const m of metrics as readonly MetricName[]) if (!known.includes(m)) throw usageError(`unknown metric "${String(m)}"; choose from ${known.join(', ')}`);
  return [...new Set<MetricName>(metrics)];
}

function summary(input: LoadedInput): InputSummary {
  if (input.kind === 'images') return { kind: 'images', n: input.set.n, extractor: input.set.extractor };
  if (input.kind === 'features') return { kind: 'features', n: input.features.rows };
  return { kind: 'stats', n: input.stats.n ?? null };
}

const isObject = (x: unknown): x is Record<string | symbol, unknown> => typeof x === 'object' && x !== null;

/** Reads one side into the pipeline's LoadedInput; `label` (real/fake) names in-memory inputs in errors. */
async function load(input: EvaluateInput, label: string, metrics: readonly MetricName[], session: ExtractorSession, request: EvaluateRequest): Promise<LoadedInput> {
  const needFeatures = metrics.filter((m) => NEEDS_FEATURES.includes(m));
  const needLogits = label === 'fake' && metrics.includes('is');
  const lacking = (what: string, hint: string) => {
    const wanted = [...needFeatures, ...(needLogits ? ['is'] : [])];
    if (wanted.length > 0) throw usageError(`${label}: ${wanted.join(', ')} need${wanted.length === 1 ? 's' : ''} per-sample features or logits, but ${what}; ${hint}`);
  };
  if (typeof input === 'string') {
    const { loadInput } = await import('../pipeline/load-input.js');
    return loadInput(input, session);
  }
  if (input instanceof FeatureAccumulator) {
    if (needFeatures.length > 0 && !input.keepsFeatures) lacking('this accumulator keeps statistics only', 'create it with keepFeatures: true');
    if (needLogits && !input.keepsLogits) throw usageError(`${label}: is needs logits, but this accumulator does not keep them; create it with keepLogits: true`);
    return fromAccumulator(input, label);
  }
  if (!isObject(input)) throw badInputError(`${label}: expected a path, features, statistics, image batches or a FeatureAccumulator, got ${typeof input}`);
  if ('mu' in input && 'sigma' in input) {
    lacking('statistics (mu, sigma) are enough for FID only', 'give features or images');
    return { kind: 'stats', path: label, stats: await checkStats(input as unknown as StatisticsInput, label) };
  }
  if ('rows' in input && 'cols' in input && 'data' in input) return features(input as unknown as Matrix, label, needLogits);
  if ('features' in input && 'n' in input && 'd' in input) {
    const f = input as unknown as FeatureArray;
    return features({ rows: f.n, cols: f.d, data: f.features }, label, needLogits);
  }
  if (Symbol.asyncIterator in input || Symbol.iterator in input) {
    const { extractor } = await session.get();
    const { resolveProfile } = await import('../image/profiles.js');
    const profile = resolveProfile(request.profile ?? DEFAULTS.imageProfile, extractor.input);
    const acc = new FeatureAccumulator(extractor, profile, {
      // FID alone needs rows only while n ≤ d (its exact route, as for a folder); memory stays O(d²).
      keepFeatures: needFeatures.length > 0 ? true : 'while-n-le-d',
      keepLogits: needLogits && extractor.outputs.logits !== undefined,
      batchSize: request.batchSize ?? DEFAULTS.batchSize,
      label,
    });
    for await (const batch of input as ImageBatches) {
      request.signal?.throwIfAborted();
      await acc.update(batch, request.signal);
    }
    return fromAccumulator(acc, label);
  }
  throw badInputError(`${label}: expected a path, { features, n, d }, a Matrix, { mu, sigma }, image batches or a FeatureAccumulator`);
}

async function features(m: Matrix, label: string, needLogits: boolean): Promise<LoadedInput> {
  const { assertFinite } = await import('../io/features.js');
  if (needLogits) throw usageError(`${label}: is needs the logits of images; give images (a folder, batches) rather than features`);
  if (!(m.data instanceof Float32Array || m.data instanceof Float64Array)) throw badInputError(`${label}: features must be a Float32Array or Float64Array`);
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.cols < 1 || m.data.length !== m.rows * m.cols) {
    throw badInputError(`${label}: features have ${m.data.length} values, expected n·d = ${m.rows}·${m.cols}`);
  }
  if (m.rows < 2) throw badInputError(`${label}: needs at least 2 samples, found ${m.rows}`);
  assertFinite(m, label);
  return { kind: 'features', path: label, features: m };
}

async function checkStats(s: StatisticsInput, label: string): Promise<GaussianStatsFile> {
  const { assertCovariancePsd, SIGMA_TOLERANCE } = await import('../io/npz.js');
  const d = s.mu?.length ?? 0;
  if (d < 1 || s.sigma?.length !== d * d) throw badInputError(`${label}: sigma must be d × d = ${d}×${d} for a mu of ${d}, got ${s.sigma?.length ?? 0} values`);
  const mu = Float64Array.from(s.mu);
  const sigma = Float64Array.from(s.sigma);
  for (const v of [...mu, ...sigma]) if (!Number.isFinite(v)) throw badInputError(`${label}: statistics contain NaN or Inf`);
  const tol = s.sigma instanceof Float32Array ? SIGMA_TOLERANCE.float32 : SIGMA_TOLERANCE.float64;
  let max = 0;
  for (const v of sigma) max = Math.max(max, Math.abs(v));
  for (let i = 0; i < d; i++)
    for (let j = 0; j < i; j++) {
      if (Math.abs(sigma[i * d + j]! - sigma[j * d + i]!) > tol * max) throw badInputError(`${label}: sigma is not symmetric at (${i}, ${j})`);
    }
  if (s.n !== undefined && !(Number.isInteger(s.n) && s.n >= 2)) throw badInputError(`${label}: n must be an integer ≥ 2, got ${s.n}`);
  await assertCovariancePsd(sigma, d, label, tol);
  return { mu, sigma, dims: d, ...(s.n !== undefined ? { n: s.n } : {}), sigmaTolerance: tol };
}

/** An accumulator as the pipeline's image set: statistics, and features/logits when kept. */
async function fromAccumulator(acc: FeatureAccumulator, label: string): Promise<LoadedInput> {
  const stats = await acc.statistics();
  const feats = acc.features();
  if (feats === undefined) {
    // FID only: the statistics (n > d, or an accumulator without features).
    return { kind: 'stats', path: label, stats: { mu: stats.mu, sigma: stats.sigma, dims: stats.dims, n: stats.n } };
  }
  const logits = acc.logits();
  return {
    kind: 'images',
    path: label,
    warnings: [],
    set: {
      source: label,
      n: stats.n,
      dims: stats.dims,
      stats,
      features: feats,
      ...(logits ? { logits } : {}),
      fromCache: false,
      skipped: [],
      ignored: 0,
      extractor: acc.extractor,
      profile: acc.profile,
    },
  };
}
