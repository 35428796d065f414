/**
 * Streaming, mergeable Gaussian statistics of feature vectors: count, mean and covariance
 * (ddof = 1), all in float64.
 *
 * Each block of rows is centred on its own mean and the lower half of its scatter (X−x̄)ᵀ(X−x̄)
 * is computed as products of column blocks (onnxruntime for large blocks); blocks and shards are
 * combined with Chan et al.'s pairwise formula. Nothing subtracts two large nearly equal sums,
 * so there is no catastrophic cancellation even when the mean is large against the spread (the
 * textbook Σx² − n·x̄² loses every digit there).
 */
import type { Matrix } from './matrix.js';
import { gemmAtB } from './linalg/gemm.js';
import { badInputError, usageError } from './errors.js';

/** Mean and covariance (ddof = 1) of n samples of dimension `dims`; sigma is dims×dims row-major. */
export interface GaussianStats {
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly n: number;
  readonly dims: number;
}

/**
 * The mergeable state of a {@link GaussianAccumulator}: n samples, their mean and their scatter
 * matrix M = Σ (x − mean)(x − mean)ᵀ (dims×dims, row-major, symmetric); sigma = M / (n − 1).
 */
export interface GaussianState {
  readonly n: number;
  readonly dims: number;
  readonly mean: Float64Array;
  readonly scatter: Float64Array;
}

/** Block sizes of `GaussianAccumulator` (memory and speed only; results change by rounding at most). */
export interface GaussianAccumulatorOptions {
  /**
   * Rows centred and multiplied at once (default: as many as fit in 32 MiB of float64, ≥ 64;
   * longer products run more efficiently — 2048 rows at d = 2048).
   */
  blockRows?: number;
  /**
   * Columns per block of the scatter products (default 512): only blocks on or below the
   * diagonal are computed, 1/2 + 1/(2k) of the full product for k blocks.
   */
  columnBlock?: number;
}

/**
 * Accumulates mean and scatter over batches of rows; `merge` combines accumulators of disjoint
 * shards. Batch boundaries change results only by rounding (~1e-15 relative).
 */
export class GaussianAccumulator {
  readonly dims: number;
  private n = 0;
  /**
   * A fixed reference point (the first row seen) subtracted from every row: means of the shifted
   * data are small, so their differences in Chan's merge keep their digits even when the data
   * sit far from 0 (a mean near 1e8 can only be stored to ±7e-9).
   */
  private shift: Float64Array | null = null;
  /** Mean of (x − shift). */
  private readonly mean: Float64Array;
  /** Σ (x − mean)(x − mean)ᵀ over the rows seen; only the lower triangle (i ≥ j) is kept. */
  private readonly scatter: Float64Array;
  private readonly blockRows: number;
  /** Column blocks [start, end) of the scatter products: only blocks on or below the diagonal are computed. */
  private readonly colBlocks: readonly (readonly [number, number])[];

  constructor(dims: number, opts: GaussianAccumulatorOptions = {}) {
    if (!Number.isInteger(dims) || dims < 1) throw usageError(`GaussianAccumulator: dims must be a positive integer, got ${dims}`);
    this.dims = dims;
    this.mean = new Float64Array(dims);
    this.scatter = new Float64Array(dims * dims);
    this.blockRows = Math.max(1, opts.blockRows ?? Math.max(64, Math.floor(2 ** 25 / (8 * dims))));
    const k = Math.ceil(dims / Math.max(1, opts.columnBlock ?? 512));
    this.colBlocks = Array.from({ length: k }, (_, i) => [Math.floor((i * dims) / k), Math.floor(((i + 1) * dims) / k)] as const);
  }

  /** Number of samples seen. */
  get count(): number {
    return this.n;
  }

  /** Adds the rows of `batch` (float32 or float64; every value must be finite). */
  async add(batch: Matrix): Promise<this> {
    if (batch.cols !== this.dims) throw badInputError(`GaussianAccumulator: batch has ${batch.cols} columns, expected ${this.dims}`);
    for (let r0 = 0; r0 < batch.rows; r0 += this.blockRows) {
      const rows = Math.min(this.blockRows, batch.rows - r0);
      this.shift ??= Float64Array.from(batch.data.subarray(r0 * this.dims, (r0 + 1) * this.dims));
      const { mean, parts } = centreBlock(batch, r0, rows, this.shift, this.colBlocks);
      await this.addScatter(parts, rows);
      this.combine(rows, mean, null);
    }
    return this;
  }

  /** Adds another accumulator's samples (a disjoint shard); `other` is unchanged. */
  merge(other: GaussianAccumulator): this {
    if (other.dims !== this.dims) throw badInputError(`GaussianAccumulator: cannot merge ${other.dims} dims into ${this.dims}`);
    if (other.n === 0 || other.shift === null) return this;
    this.shift ??= Float64Array.from(other.shift);
    // other's mean in this accumulator's frame: (other.shift − shift) + other.mean.
    const mean = new Float64Array(this.dims);
    for (let j = 0; j < this.dims; j++) mean[j] = other.shift[j]! - this.shift[j]! + other.mean[j]!;
    this.combine(other.n, mean, other.scatter);
    return this;
  }

  /**
   * The accumulator's mergeable state: count, mean and full symmetric scatter matrix
   * Σ (x − mean)(x − mean)ᵀ, all float64 — what a shard file stores so that shards computed on
   * different machines merge exactly ({@link GaussianAccumulator.fromState}, then `merge`).
   * The scatter is kept rather than a sum of outer products, which would cancel catastrophically.
   */
  state(): GaussianState {
    const d = this.dims;
    const scatter = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        const v = this.scatter[i * d + j]!;
        scatter[i * d + j] = v;
        scatter[j * d + i] = v;
      }
    }
    const mean = this.shift === null ? new Float64Array(d) : Float64Array.from(this.mean, (m, j) => this.shift![j]! + m);
    return { n: this.n, dims: d, mean, scatter };
  }

  /**
   * An accumulator holding a saved {@link GaussianState} (e.g. read from a shard file): merging
   * such accumulators equals accumulating all their rows at once, up to rounding (~1e-15).
   * Only the lower triangle of `scatter` is read.
   */
  static fromState(state: GaussianState, opts: GaussianAccumulatorOptions = {}): GaussianAccumulator {
    const { n, dims: d, mean, scatter } = state;
    if (!Number.isInteger(n) || n < 0) throw badInputError(`GaussianAccumulator.fromState: n must be an integer ≥ 0, got ${n}`);
    if (mean.length !== d || scatter.length !== d * d) throw badInputError(`GaussianAccumulator.fromState: expected a mean of ${d} and a ${d}×${d} scatter`);
    const acc = new GaussianAccumulator(d, opts);
    if (n === 0) return acc;
    // The mean becomes the reference point: the state's own frame, with a zero offset.
    acc.shift = Float64Array.from(mean);
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) acc.scatter[i * d + j] = scatter[i * d + j]!;
    acc.n = n;
    return acc;
  }

  /** Mean and covariance with ddof = 1 (needs at least two samples). */
  result(): GaussianStats {
    if (this.n < 2) throw badInputError(`GaussianAccumulator: a covariance needs at least 2 samples, have ${this.n}`);
    const d = this.dims;
    const sigma = new Float64Array(d * d);
    const inv = 1 / (this.n - 1);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        const v = this.scatter[i * d + j]! * inv;
        sigma[i * d + j] = v;
        sigma[j * d + i] = v;
      }
    }
    const mu = Float64Array.from(this.mean, (m, j) => this.shift![j]! + m);
    return { mu, sigma, n: this.n, dims: d };
  }

  /** Adds the lower triangle of XᵀX for a centred block given as column blocks, one pair at a time. */
  private async addScatter(parts: Float64Array[], rows: number): Promise<void> {
    const d = this.dims;
    const S = this.scatter;
    for (let bi = 0; bi < parts.length; bi++) {
      const [i0, i1] = this.colBlocks[bi]!;
      for (let bj = 0; bj <= bi; bj++) {
        const [j0, j1] = this.colBlocks[bj]!;
        const wi = i1 - i0;
        const wj = j1 - j0;
        const p = await gemmAtB({ data: parts[bi]!, rows, cols: wi }, { data: parts[bj]!, rows, cols: wj });
        for (let i = 0; i < wi; i++) {
          const row = (i0 + i) * d + j0;
          const end = bi === bj ? i + 1 : wj;
          for (let j = 0; j < end; j++) S[row + j]! += p[i * wj + j]!;
        }
      }
    }
  }

  /**
   * Chan et al.: with δ = mean_b − mean_a, n = n_a + n_b,
   * mean = mean_a + δ·n_b/n and M = M_a + M_b + δδᵀ·n_a·n_b/n (M_b already added when null).
   */
  private combine(nb: number, meanB: Float64Array, scatterB: Float64Array | null): void {
    const d = this.dims;
    const na = this.n;
    const n = na + nb;
    const delta = new Float64Array(d);
    for (let j = 0; j < d; j++) delta[j] = meanB[j]! - this.mean[j]!;
    const w = (na * nb) / n;
    const S = this.scatter;
    for (let i = 0; i < d; i++) {
      const row = i * d;
      const di = delta[i]! * w;
      if (scatterB === null) for (let j = 0; j <= i; j++) S[row + j]! += di * delta[j]!;
      else for (let j = 0; j <= i; j++) S[row + j]! += scatterB[row + j]! + di * delta[j]!;
    }
    const f = nb / n;
    for (let j = 0; j < d; j++) this.mean[j]! += delta[j]! * f;
    this.n = n;
  }
}

/**
 * Block mean of (x − shift) and the block centred on it, as one rows×width float64 array per
 * column block (contiguous operands for the products). The mean gets one refinement pass
 * (mean += mean of the residuals), as Chan's merge uses differences of block means to first order.
 */
function centreBlock(x: Matrix, r0: number, rows: number, shift: Float64Array, blocks: readonly (readonly [number, number])[]): { mean: Float64Array; parts: Float64Array[] } {
  const d = x.cols;
  const src = x.data;
  const mean = new Float64Array(d);
  for (let i = 0; i < rows; i++) {
    const o = (r0 + i) * d;
    for (let j = 0; j < d; j++) mean[j]! += src[o + j]! - shift[j]!;
  }
  for (let j = 0; j < d; j++) mean[j]! /= rows;
  const residual = new Float64Array(d);
  const parts = blocks.map(([c0, c1]) => {
    const w = c1 - c0;
    const part = new Float64Array(rows * w);
    for (let i = 0; i < rows; i++) {
      const o = (r0 + i) * d + c0;
      const c = i * w;
      for (let j = 0; j < w; j++) {
        const v = src[o + j]! - shift[c0 + j]! - mean[c0 + j]!;
        part[c + j] = v;
        residual[c0 + j]! += v;
      }
    }
    return part;
  });
  for (let j = 0; j < d; j++) {
    const r = residual[j]! / rows;
    residual[j] = r;
    mean[j]! += r;
  }
  blocks.forEach(([c0, c1], b) => {
    const w = c1 - c0;
    const part = parts[b]!;
    for (let i = 0; i < rows; i++) for (let j = 0; j < w; j++) part[i * w + j]! -= residual[c0 + j]!;
  });
  return { mean, parts };
}

/** Mean and covariance (ddof = 1) of the rows of `x` in one call. */
export async function gaussianStats(x: Matrix, opts: GaussianAccumulatorOptions = {}): Promise<GaussianStats> {
  const acc = new GaussianAccumulator(x.cols, opts);
  await acc.add(x);
  return acc.result();
}
