/**
 * The DDPM noise schedule and forward process (Ho et al. 2020, §2 and §4), as pure float64
 * functions so that they can be tested against closed forms. Timesteps are 1-based as in the
 * paper: t ∈ {1, …, T}, and every array here holds t = 1 at index 0.
 *
 *   β_t   linear from β_1 = 1e-4 to β_T = 0.02          (§4: "β_1 = 10⁻⁴ to β_T = 0.02")
 *   α_t   = 1 − β_t
 *   ᾱ_t   = Π_{s ≤ t} α_s
 *   q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I)             (eq. 4)
 */
import { internalError, usageError } from '@gen-eval/metrics/errors';

/** The schedule's arrays, index t − 1 for timestep t. */
export interface DdpmSchedule {
  readonly T: number;
  readonly betas: Float64Array;
  readonly alphas: Float64Array;
  readonly alphaBars: Float64Array;
  /** √ᾱ_t: the mean coefficient of q(x_t | x_0). */
  readonly sqrtAlphaBars: Float64Array;
  /** √(1 − ᾱ_t): the standard deviation of q(x_t | x_0). */
  readonly sqrtOneMinusAlphaBars: Float64Array;
}

/** β_t linearly spaced from `start` (t = 1) to `end` (t = T), inclusive (T = 1 gives `start`). */
export function linearBetas(T: number, start = 1e-4, end = 0.02): Float64Array {
  if (!Number.isInteger(T) || T < 1) throw usageError(`timesteps must be an integer ≥ 1, got ${T}`);
  const b = new Float64Array(T);
  for (let i = 0; i < T; i++) b[i] = T === 1 ? start : start + ((end - start) * i) / (T - 1);
  return b;
}

/** The full schedule for T steps with linear β (Ho et al.'s defaults unless given). */
export function ddpmSchedule(T: number, betaStart = 1e-4, betaEnd = 0.02): DdpmSchedule {
  const betas = linearBetas(T, betaStart, betaEnd);
  const alphas = new Float64Array(T);
  const alphaBars = new Float64Array(T);
  const sqrtAlphaBars = new Float64Array(T);
  const sqrtOneMinusAlphaBars = new Float64Array(T);
  let prod = 1;
  for (let i = 0; i < T; i++) {
    alphas[i] = 1 - betas[i]!;
    prod *= alphas[i]!;
    alphaBars[i] = prod;
    sqrtAlphaBars[i] = Math.sqrt(prod);
    sqrtOneMinusAlphaBars[i] = Math.sqrt(1 - prod);
  }
  return { T, betas, alphas, alphaBars, sqrtAlphaBars, sqrtOneMinusAlphaBars };
}

/** Mean coefficient √ᾱ_t and variance 1 − ᾱ_t of q(x_t | x_0) at timestep t (1-based). */
export function qCoefficients(s: DdpmSchedule, t: number): { meanCoef: number; variance: number } {
  const ab = s.alphaBars[t - 1];
  if (ab === undefined || !Number.isInteger(t)) throw usageError(`timestep must be an integer in 1…${s.T}, got ${t}`);
  return { meanCoef: Math.sqrt(ab), variance: 1 - ab };
}

/**
 * The forward (noising) process: x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε for each row, computed in float64
 * and stored as float32. `x0` and `eps` are n × dims row-major, `t` holds each row's timestep.
 */
export function qSample(s: DdpmSchedule, x0: Float32Array, t: Int32Array, eps: Float32Array, dims: number): Float32Array {
  const n = t.length;
  if (x0.length !== n * dims || eps.length !== n * dims) throw internalError('qSample: x0, eps and t disagree in size');
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const a = s.sqrtAlphaBars[t[i]! - 1];
    const b = s.sqrtOneMinusAlphaBars[t[i]! - 1];
    if (a === undefined || b === undefined) throw usageError(`timestep ${t[i]} outside 1…${s.T}`);
    for (let d = 0; d < dims; d++) out[i * dims + d] = a * x0[i * dims + d]! + b * eps[i * dims + d]!;
  }
  return out;
}

/**
 * Sinusoidal timestep features (the Transformer position encoding Ho et al. use, §B): for
 * k = 0 … dim/2 − 1, sin(t·ω_k) and cos(t·ω_k) with ω_k = 10000^(−k/(dim/2 − 1)), written into
 * row `row` of `out` (row-major, `stride` columns) from column `col`. `dim` must be even.
 */
export function timeEmbedding(t: number, dim: number, out: Float32Array, row: number, stride: number, col: number): void {
  const half = dim / 2;
  const denom = Math.max(half - 1, 1);
  for (let k = 0; k < half; k++) {
    const w = Math.exp((-Math.log(10000) * k) / denom);
    out[row * stride + col + k] = Math.sin(t * w);
    out[row * stride + col + half + k] = Math.cos(t * w);
  }
}
