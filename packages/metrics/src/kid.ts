/**
 * Kernel Inception Distance (Bińkowski et al. 2018): the unbiased MMD² between real and
 * generated features under the polynomial kernel k(x, y) = (x·y/d + coef0)^degree, averaged
 * over random subsets.
 *
 * Conventions (torch-fidelity): `subsets` = 100 draws of `subsetSize` = 1000 rows without
 * replacement from each set; per subset the draws are `RandomState(seed).choice(n_real, m)` then
 * `choice(n_fake, m)`, so with the same seed our subsets are the same rows as torch-fidelity's.
 * Mean and population std (ddof 0) of the per-subset values. Where torch-fidelity stops when a
 * set is smaller than the subset size, we shrink the size to min(n_real, n_fake) (clean-fid,
 * dgm-eval) and say so in `warnings`. Kernels are computed in float64 (torch-fidelity keeps the
 * features' float32), and summed in row blocks: memory O(block × m), never m × m.
 */
import { DEFAULTS } from './defaults.js';
import { GenEvalError, usageError } from './errors.js';
import { meanStd } from './inception-score.js';
import { DISTANCE_BLOCK_BYTES } from './knn.js';
import { gemmABt } from './linalg/gemm.js';
import { selectRows, type Matrix } from './matrix.js';
import { RandomState } from './random.js';

/** The polynomial kernel (x·y·gamma + coef0)^degree; gamma defaults to 1/d. */
export interface PolynomialKernel {
  degree?: number;
  coef0?: number;
  gamma?: number;
}

/** Options of `kernelInceptionDistance` (torch-fidelity's defaults: 100 subsets of 1000, seed 2020, cubic kernel). */
export interface KidOptions extends PolynomialKernel {
  /** Number of subsets (default `DEFAULTS.kidSubsets` = 100). */
  subsets?: number;
  /** Rows per subset (default `DEFAULTS.kidSubsetSize` = 1000; shrunk to min(n_real, n_fake)). */
  subsetSize?: number;
  /** Seed of the numpy-compatible subset draw (default `DEFAULTS.kidSeed` = 2020). */
  seed?: number;
  /** Rows per kernel block (does not change results). */
  blockRows?: number;
}

/** KID: mean and std of the unbiased polynomial-kernel MMD² over random subsets, with the settings used. */
export interface KidResult {
  /** Mean of the per-subset unbiased MMD² values (may be slightly negative). */
  mean: number;
  /** Population std (ddof 0) of the per-subset values. */
  std: number;
  /** MMD² of every subset, in draw order. */
  values: Float64Array;
  /** The subset size used (after shrinking). */
  subsetSize: number;
  subsets: number;
  seed: number;
  degree: number;
  coef0: number;
  gamma: number;
  /** Human-readable notes, e.g. that the subset size was shrunk. */
  warnings: string[];
}

/** Sum of all kernel values over a × b, and of the diagonal when a and b are the same set. */
interface KernelSums {
  sum: number;
  trace: number;
}

/**
 * Σ_ij k(a_i, b_j) (and Σ_i k(a_i, a_i) when `same`), computed in blocks of rows of a against
 * all of b. Each row's sum runs over j in order and rows are added in order, so the result is
 * the same whatever the block size.
 */
async function kernelSums(a: Matrix, b: Matrix, same: boolean, k: Required<PolynomialKernel>, blockRows: number): Promise<KernelSums> {
  let sum = 0;
  let trace = 0;
  const n = b.rows;
  for (let start = 0; start < a.rows; start += blockRows) {
    const count = Math.min(blockRows, a.rows - start);
    const view = { rows: count, cols: a.cols, data: a.data.subarray(start * a.cols, (start + count) * a.cols) };
    const dots = await gemmABt(view, b);
    for (let i = 0; i < count; i++) {
      let rowSum = 0;
      for (let j = 0; j < n; j++) {
        const v = dots[i * n + j]! * k.gamma + k.coef0;
        const kv = k.degree === 3 ? v * v * v : v ** k.degree;
        rowSum += kv;
        if (same && j === start + i) trace += kv;
      }
      sum += rowSum;
    }
  }
  return { sum, trace };
}

function resolveKernel(d: number, k: PolynomialKernel): Required<PolynomialKernel> {
  return { degree: k.degree ?? DEFAULTS.kidDegree, coef0: k.coef0 ?? DEFAULTS.kidCoef0, gamma: k.gamma ?? 1 / d };
}

function defaultBlockRows(n: number): number {
  return Math.max(1, Math.min(DEFAULTS.distanceBlockRows, Math.floor(DISTANCE_BLOCK_BYTES / (8 * Math.max(n, 1)))));
}

/**
 * Unbiased MMD² of x (m rows) and y (n rows) under the polynomial kernel:
 * (ΣK_XX − tr K_XX)/(m(m−1)) + (ΣK_YY − tr K_YY)/(n(n−1)) − 2·ΣK_XY/(m·n).
 * For m = n this is torch-fidelity's `mmd2(..., mmd_est='unbiased')` (K_XY keeps its diagonal).
 */
export async function polynomialMmd2(x: Matrix, y: Matrix, kernel: PolynomialKernel = {}, blockRows?: number): Promise<number> {
  if (x.cols !== y.cols) throw new GenEvalError(`MMD: the sets have ${x.cols} and ${y.cols} dims`);
  if (x.rows < 2 || y.rows < 2) throw new GenEvalError(`MMD: each set needs at least 2 samples, found ${x.rows} and ${y.rows}`);
  const k = resolveKernel(x.cols, kernel);
  const block = blockRows ?? defaultBlockRows(Math.max(x.rows, y.rows));
  const xx = await kernelSums(x, x, true, k, block);
  const yy = await kernelSums(y, y, true, k, block);
  const xy = await kernelSums(x, y, false, k, block);
  const m = x.rows;
  const n = y.rows;
  return (xx.sum - xx.trace) / (m * (m - 1)) + (yy.sum - yy.trace) / (n * (n - 1)) - (2 * xy.sum) / (m * n);
}

/**
 * KID between real and generated feature matrices (N × D each, same D).
 * @throws GenEvalError on a dimension mismatch or fewer than 2 samples in a set.
 */
export async function kernelInceptionDistance(real: Matrix, fake: Matrix, opts: KidOptions = {}): Promise<KidResult> {
  const subsets = opts.subsets ?? DEFAULTS.kidSubsets;
  const requested = opts.subsetSize ?? DEFAULTS.kidSubsetSize;
  const seed = opts.seed ?? DEFAULTS.kidSeed;
  if (!Number.isInteger(subsets) || subsets < 1) throw usageError(`subsets must be a positive integer, got ${subsets}`);
  if (!Number.isInteger(requested) || requested < 2) throw usageError(`subsetSize must be an integer ≥ 2, got ${requested}`);
  if (real.cols !== fake.cols) throw new GenEvalError(`KID: real features have ${real.cols} dims but generated ones have ${fake.cols}`);
  if (real.rows < 2 || fake.rows < 2) throw new GenEvalError(`KID: each set needs at least 2 samples, found ${real.rows} real and ${fake.rows} generated`);
  const m = Math.min(requested, real.rows, fake.rows);
  const warnings: string[] = [];
  if (m < requested) {
    warnings.push(`KID subset size shrunk from ${requested} to ${m} (${real.rows} real, ${fake.rows} generated samples); values from smaller subsets are noisier`);
  }
  const kernel = resolveKernel(real.cols, opts);
  const rng = new RandomState(seed);
  const values = new Float64Array(subsets);
  for (let s = 0; s < subsets; s++) {
    // Draw order matters for reproducing torch-fidelity: real subset first, then generated.
    const x = selectRows(real, rng.choiceWithoutReplacement(real.rows, m));
    const y = selectRows(fake, rng.choiceWithoutReplacement(fake.rows, m));
    values[s] = await polynomialMmd2(x, y, kernel, opts.blockRows);
  }
  return { ...meanStd(values), values, subsetSize: m, subsets, seed, ...kernel, warnings };
}
