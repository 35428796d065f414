/**
 * A streaming feature accumulator (torchmetrics' `update`/`compute`): a training loop feeds image
 * batches from memory; the extractor runs on each, and its features stream into float64 Gaussian
 * statistics in the folder pipeline's fixed blocks of STATS_BLOCK_ROWS rows, so that the
 * statistics do not depend on how the images were batched and equal those of a folder of the same
 * images. Memory is O(d²) unless features (KID, precision/recall, PRDC) or logits (IS) are kept.
 *
 * Extractors load lazily (`createFeatureAccumulator` imports the pipeline when called), so the
 * package's main entry stays free of native addons.
 */
import { DEFAULTS } from '../defaults.js';
import { badInputError, usageError } from '../errors.js';
import type { FeatureExtractor } from '../extractors/extractor.js';
import { GaussianAccumulator, type GaussianStats } from '../gaussian-stats.js';
import type { PreprocessProfile, ProfileName } from '../image/profiles.js';
import type { Matrix } from '../matrix.js';
import type { InputOptions } from '../pipeline/load-input.js';
import type { ProgressListener } from '../pipeline/progress.js';
import type { ImageBatch } from './image-batch.js';

/** Rows per statistics update: the folder pipeline's STATS_BLOCK_ROWS (checked equal in a test). */
export const ACCUMULATOR_BLOCK_ROWS = 512;

/** Options of {@link createFeatureAccumulator}. */
export interface FeatureAccumulatorOptions {
  /** `inception` (default; pytorch-fid's weights), `mnist`, `fashion-mnist`, `mobilenet` or `onnx:PATH`. */
  extractor?: string;
  /** Preprocessing of byte images: `pytorch-fid` (default) or `clean`. */
  profile?: ProfileName;
  /** Images per network call (default 50). */
  batchSize?: number;
  /**
   * Keep every feature row (n × d float32): needed by KID, precision/recall and PRDC, and by FID's
   * exact low-rank route when n ≤ d. Default false: statistics only, O(d²) memory.
   */
  keepFeatures?: boolean;
  /** Keep the extractor's logits (n × classes): needed by the Inception Score. Default false. */
  keepLogits?: boolean;
  /** Inception weights file, or the mobilenet model folder (no download). */
  weights?: string;
  /** Inception feature block: 64, 192, 768 or 2048 (default 2048). */
  dims?: number;
  /** onnxruntime threads and device. */
  threads?: number;
  device?: 'cpu' | 'cuda';
  /** false: do not cache the built Inception model on disk. */
  cache?: boolean;
  /** Weights-download progress. */
  onProgress?: ProgressListener;
  /** Notes about the extractor (e.g. unofficial weights). */
  onWarning?: (message: string) => void;
}

/** How a {@link FeatureAccumulator} keeps rows: always, never, or while n ≤ d (FID's exact route). */
export type KeepRows = boolean | 'while-n-le-d';

/** Internal construction options (see {@link createFeatureAccumulator}). */
export interface AccumulatorSetup {
  readonly keepFeatures: KeepRows;
  readonly keepLogits: boolean;
  readonly batchSize: number;
  /** Names the accumulator in errors (e.g. `fake`). */
  readonly label: string;
  /** Frees the extractor when the accumulator owns it. */
  readonly release?: () => Promise<void>;
}

/**
 * Image batches in, float64 mean/covariance out; mergeable (Chan's formula) across accumulators of
 * the same extractor and profile. Create with {@link createFeatureAccumulator}; `dispose()` frees
 * the extractor.
 */
export class FeatureAccumulator {
  /** The extractor's identity (network, weights hash, output), as results record it. */
  readonly extractor: string;
  /** Feature dimension d. */
  readonly dims: number;
  readonly profile: PreprocessProfile;
  private readonly acc: GaussianAccumulator;
  private readonly block: Float32Array;
  private filled = 0;
  private featureChunks: Float32Array[] | null;
  private logitChunks: Float32Array[] | null;

  /** Use {@link createFeatureAccumulator}; this wraps an extractor already open. */
  constructor(
    private readonly net: FeatureExtractor,
    profile: PreprocessProfile,
    private readonly setup: AccumulatorSetup,
  ) {
    if (setup.keepLogits && net.outputs.logits === undefined) throw usageError(`extractor ${net.name} has no logits output (keepLogits)`);
    this.extractor = net.name;
    this.dims = net.outputs.features;
    this.profile = profile;
    this.acc = new GaussianAccumulator(this.dims);
    this.block = new Float32Array(ACCUMULATOR_BLOCK_ROWS * this.dims);
    this.featureChunks = setup.keepFeatures === false ? null : [];
    this.logitChunks = setup.keepLogits ? [] : null;
  }

  /** Images (feature rows) seen so far. */
  get count(): number {
    return this.acc.count + this.filled;
  }

  /** Whether every feature row is kept (KID, precision/recall and PRDC need them). */
  get keepsFeatures(): boolean {
    return this.featureChunks !== null;
  }

  /** Whether logits are kept (the Inception Score needs them). */
  get keepsLogits(): boolean {
    return this.logitChunks !== null;
  }

  /**
   * Runs the extractor on a batch of images (NHWC bytes or [0, 1] floats, see {@link ImageBatch})
   * and adds their features. `signal` stops between network calls with its reason.
   */
  async update(batch: ImageBatch, signal?: AbortSignal): Promise<void> {
    const { batchInput, checkImageBatch } = await import('./image-batch.js');
    const { assertFinite } = await import('../io/features.js');
    checkImageBatch(batch, this.setup.label);
    for (let start = 0; start < batch.n; start += this.setup.batchSize) {
      signal?.throwIfAborted();
      const m = Math.min(this.setup.batchSize, batch.n - start);
      const out = await this.net.run(batchInput(batch, start, m, this.net, this.profile, this.setup.label), m);
      assertFinite({ rows: m, cols: this.dims, data: out.features }, `${this.setup.label} (features of images ${this.count}–${this.count + m - 1})`);
      await this.add(out.features, out.logits);
    }
  }

  /**
   * Adds feature rows computed elsewhere by the same extractor (n × d, row-major; and the logits
   * when they are kept).
   */
  async updateFeatures(features: Matrix, logits?: Matrix): Promise<void> {
    if (features.cols !== this.dims) throw badInputError(`${this.setup.label}: features have ${features.cols} columns, the extractor gives ${this.dims}`);
    if (this.logitChunks !== null && (logits === undefined || logits.rows !== features.rows))
      throw badInputError(`${this.setup.label}: logits are kept, so every feature row needs its logits`);
    await this.add(Float32Array.from(features.data), logits ? Float32Array.from(logits.data) : undefined);
  }

  private async add(features: Float32Array, logits: Float32Array | undefined): Promise<void> {
    const d = this.dims;
    const rows = features.length / d;
    if (this.featureChunks !== null) {
      this.featureChunks.push(features.slice()); // the extractor may reuse its buffer
      // FID alone keeps rows only while they allow its exact low-rank route (n ≤ d).
      if (this.setup.keepFeatures === 'while-n-le-d' && this.count + rows > d) this.featureChunks = null;
    }
    if (this.logitChunks !== null && logits) this.logitChunks.push(logits.slice());
    for (let o = 0; o < features.length;) {
      const take = Math.min(features.length - o, (ACCUMULATOR_BLOCK_ROWS - this.filled) * d);
      this.block.set(features.subarray(o, o + take), this.filled * d);
      this.filled += take / d;
      o += take;
      if (this.filled === ACCUMULATOR_BLOCK_ROWS) await this.flush();
    }
  }

  private async flush(): Promise<void> {
    if (this.filled > 0) await this.acc.add({ rows: this.filled, cols: this.dims, data: this.block.subarray(0, this.filled * this.dims) });
    this.filled = 0;
  }

  /**
   * Mean and covariance (ddof = 1, float64) of every row so far; needs two. Called at the end it
   * equals, bit for bit, the statistics of a folder of the same images; called mid-stream, later
   * blocks start elsewhere and results move by rounding only (~1e-15 relative).
   */
  async statistics(): Promise<GaussianStats> {
    await this.flush();
    if (this.acc.count < 2) throw badInputError(`${this.setup.label}: ${this.acc.count} image${this.acc.count === 1 ? '' : 's'} accumulated; statistics need at least 2`);
    return this.acc.result();
  }

  /** The kept feature rows (n × d float32), or undefined when they are not kept. */
  features(): Matrix | undefined {
    return this.featureChunks === null ? undefined : concat(this.featureChunks, this.dims);
  }

  /** The kept logits (n × classes float32), or undefined when they are not kept. */
  logits(): Matrix | undefined {
    return this.logitChunks === null ? undefined : concat(this.logitChunks, this.net.outputs.logits!);
  }

  /**
   * Adds the samples of another accumulator (a disjoint part, e.g. another worker's batches) of the
   * same extractor and profile; `other` keeps its samples. Equals one accumulator over the union up
   * to rounding (~1e-15 relative).
   */
  async merge(other: FeatureAccumulator): Promise<this> {
    if (other.extractor !== this.extractor || other.profile.name !== this.profile.name) {
      throw usageError(`cannot merge features of ${other.extractor} (${other.profile.name}) into ${this.extractor} (${this.profile.name})`);
    }
    if (this.featureChunks !== null && other.featureChunks === null) this.featureChunks = null;
    if (this.logitChunks !== null && other.logitChunks === null) this.logitChunks = null;
    await this.flush();
    await other.flush();
    this.acc.merge(other.acc);
    this.featureChunks?.push(...other.featureChunks!);
    this.logitChunks?.push(...other.logitChunks!);
    return this;
  }

  /** Frees the extractor (when this accumulator opened it). */
  async dispose(): Promise<void> {
    await this.setup.release?.();
  }
}

function concat(chunks: readonly Float32Array[], cols: number): Matrix {
  const data = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
  chunks.reduce((o, c) => (data.set(c, o), o + c.length), 0);
  return { rows: data.length / cols, cols, data };
}

/** The pipeline's input options for an extractor spec (shared with `evaluate`). */
export function extractorOptions(o: FeatureAccumulatorOptions & { workers?: number }): InputOptions {
  const keys = ['extractor', 'profile', 'batchSize', 'weights', 'dims', 'threads', 'device', 'cache', 'workers', 'onProgress', 'onWarning'] as const;
  const out: Record<string, unknown> = { quiet: false };
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/**
 * Opens the extractor (building or loading it: Inception needs its weights, cached or downloaded
 * once) and returns an empty accumulator. Which metrics need what: FID the statistics alone
 * (plus `keepFeatures` for its exact route when n ≤ d), KID / PR / PRDC `keepFeatures`, IS
 * `keepLogits`.
 */
export async function createFeatureAccumulator(options: FeatureAccumulatorOptions = {}): Promise<FeatureAccumulator> {
  const { ExtractorSession } = await import('../pipeline/load-input.js');
  const { resolveProfile } = await import('../image/profiles.js');
  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw usageError(`batchSize must be a positive integer, got ${batchSize}`);
  const session = new ExtractorSession(extractorOptions(options));
  try {
    const { extractor, warnings } = await session.get();
    for (const w of [...warnings, ...session.takeCacheWarnings()]) options.onWarning?.(w);
    const profile = resolveProfile(options.profile ?? DEFAULTS.imageProfile, extractor.input);
    return new FeatureAccumulator(extractor, profile, {
      keepFeatures: options.keepFeatures ?? false,
      keepLogits: options.keepLogits ?? false,
      batchSize,
      label: 'accumulator',
      release: () => session.dispose(),
    });
  } catch (err) {
    await session.dispose();
    throw err;
  }
}
