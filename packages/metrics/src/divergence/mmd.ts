/**
 * Unbiased MMD² (Gretton et al. 2012) between two sample sets:
 *   MMD²_u = Σ_{i≠j} k(x_i,x_j)/(m(m−1)) + Σ_{i≠j} k(y_i,y_j)/(n(n−1)) − 2 Σ_{i,j} k(x_i,y_j)/(mn).
 * Kernels: Gaussian exp(−‖x−y‖²/(2σ²)) with a fixed σ or the median heuristic (σ = median pairwise
 * distance of the pooled sample, recorded in the result), and KID's polynomial (γ x·y + c₀)^degree
 * with γ = 1/d. Slightly negative values are valid (the estimator is unbiased).
 *
 * Kernel sums run over full-width row blocks of A·Bᵀ (memory O(block × N)); each row's sum is
 * accumulated over all columns in order and rows are added in order, so the result does not
 * depend on the block size.
 */
import { DEFAULTS } from '../defaults.js';
import { inputError, usageError } from '../errors.js';
import { DISTANCE_BLOCK_BYTES, squaredNorms } from '../knn.js';
import { gemmABt } from '../linalg/gemm.js';
import type { Matrix } from '../matrix.js';
import { medianPairwiseDistance } from './pairwise-median.js';
import { checkPositive, checkSamplePair, DEFAULT_NAMES, type InputNames } from './validate.js';

/** Kernel of `mmdUnbiased`: Gaussian exp(−‖x−y‖²/(2σ²)) or KID's polynomial (γ x·y + coef0)^degree. */
export type MmdKernel = 'gaussian' | 'polynomial';

/** Options of `mmdUnbiased` (defaults: Gaussian kernel, median-heuristic σ). */
export interface MmdOptions {
  /** Kernel (default `DEFAULTS.mmdKernel`). */
  kernel?: MmdKernel;
  /** Gaussian bandwidth σ > 0, or 'median' for the median heuristic (default `DEFAULTS.mmdSigma`). */
  sigma?: number | 'median';
  /** Polynomial kernel: degree (default 3), coef0 (default 1), gamma (default 1/d) — KID's kernel. */
  degree?: number;
  coef0?: number;
  gamma?: number;
  /** Rows per block (default: a 64 MiB cap); does not change results. */
  blockRows?: number;
  names?: InputNames;
}

/** Unbiased MMD² between two samples, with the kernel parameters actually used. */
export interface MmdResult {
  /** Unbiased MMD² (may be slightly negative). */
  readonly value: number;
  readonly kernel: MmdKernel;
  /** Gaussian: the σ used, and whether it was given ('fixed') or the median heuristic. */
  readonly sigma?: number;
  readonly sigmaRule?: 'fixed' | 'median';
  /** Polynomial: the kernel's parameters. */
  readonly degree?: number;
  readonly coef0?: number;
  readonly gamma?: number;
}

/** k(x, y) from x·y and the two squared norms. */
type KernelFn = (dot: number, na: number, nb: number) => number;

function gaussianKernel(sigma: number): KernelFn {
  const c = 1 / (2 * sigma * sigma);
  return (dot, na, nb) => {
    const s = na + nb - 2 * dot;
    return Math.exp(-(s > 0 ? s : 0) * c);
  };
}

function polynomialKernel(gamma: number, coef0: number, degree: number): KernelFn {
  if (degree === 3)
    return (dot) => {
      const t = gamma * dot + coef0;
      return t * t * t;
    };
  return (dot) => (gamma * dot + coef0) ** degree;
}

/** Σ_{i,j} k(a_i, b_j), or Σ_{i≠j} when `a` and `b` are the same set (diagonal skipped by index). */
export async function kernelSum(a: Matrix, b: Matrix, k: KernelFn, same: boolean, blockRows?: number): Promise<number> {
  const na = squaredNorms(a);
  const nb = same ? na : squaredNorms(b);
  const block = blockRows ?? Math.max(1, Math.min(DEFAULTS.distanceBlockRows, Math.floor(DISTANCE_BLOCK_BYTES / (8 * b.rows))));
  let total = 0;
  for (let start = 0; start < a.rows; start += block) {
    const count = Math.min(block, a.rows - start);
    const view: Matrix = { rows: count, cols: a.cols, data: a.data.subarray(start * a.cols, (start + count) * a.cols) };
    const dots = await gemmABt(view, b);
    for (let r = 0; r < count; r++) {
      const i = start + r;
      const ai = na[i]!;
      const o = r * b.rows;
      let s = 0;
      for (let j = 0; j < b.rows; j++) if (!same || j !== i) s += k(dots[o + j]!, ai, nb[j]!);
      total += s;
    }
  }
  return total;
}

/** Rows of `x` then rows of `y` as one float64 matrix (the pooled sample of the median heuristic). */
function pool(x: Matrix, y: Matrix): Matrix {
  const data = new Float64Array((x.rows + y.rows) * x.cols);
  data.set(x.data);
  data.set(y.data, x.data.length);
  return { rows: x.rows + y.rows, cols: x.cols, data };
}

/** Unbiased MMD² between the rows of `x` and of `y` (each set needs at least 2 samples). */
export async function mmdUnbiased(x: Matrix, y: Matrix, opts: MmdOptions = {}): Promise<MmdResult> {
  const names = opts.names ?? DEFAULT_NAMES;
  checkSamplePair(x, y, names, 2);
  const kernel = opts.kernel ?? DEFAULTS.mmdKernel;
  let k: KernelFn;
  let params: Omit<MmdResult, 'value'>;
  if (kernel === 'gaussian') {
    const given = opts.sigma ?? DEFAULTS.mmdSigma;
    const sigma = given === 'median' ? await medianPairwiseDistance(pool(x, y), { name: `${names[0]} ∪ ${names[1]}` }) : given;
    if (given === 'median' && !(sigma > 0)) {
      throw inputError(`${names[0]} ∪ ${names[1]}`, 'the median pairwise distance is 0 (more than half of the pooled pairs coincide); pass a fixed sigma');
    }
    checkPositive(sigma, 'sigma');
    k = gaussianKernel(sigma);
    params = { kernel, sigma, sigmaRule: given === 'median' ? 'median' : 'fixed' };
  } else if (kernel === 'polynomial') {
    const degree = opts.degree ?? DEFAULTS.kidDegree;
    const coef0 = opts.coef0 ?? DEFAULTS.kidCoef0;
    const gamma = opts.gamma ?? 1 / x.cols;
    k = polynomialKernel(gamma, coef0, degree);
    params = { kernel, degree, coef0, gamma };
  } else {
    throw usageError(`unknown MMD kernel "${String(kernel)}" (expected gaussian or polynomial)`);
  }
  const m = x.rows;
  const n = y.rows;
  const kxx = await kernelSum(x, x, k, true, opts.blockRows);
  const kyy = await kernelSum(y, y, k, true, opts.blockRows);
  const kxy = await kernelSum(x, y, k, false, opts.blockRows);
  const value = kxx / (m * (m - 1)) + kyy / (n * (n - 1)) - (2 * kxy) / (m * n);
  return { value, ...params };
}
