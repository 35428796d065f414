/**
 * Fréchet Inception Distance between two Gaussians fitted to feature sets:
 *   FID = ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2·tr √(Σ₁Σ₂).
 *
 * The trace of the square root is computed exactly and never complex:
 * - from statistics: Σ₁ = L·Lᵀ (Cholesky), the eigenvalues of Σ₁Σ₂ are those of the symmetric
 *   PSD matrix Lᵀ·Σ₂·L, so tr √(Σ₁Σ₂) = Σ √max(λ, 0). If Σ₁ is singular we factor Σ₂ instead;
 *   if both are, ε·I is added to both (our rule; pytorch-fid adds it only when scipy's sqrtm returns
 *   non-finite values, which a singular product usually does not) and reported. Unlike pytorch-fid, the ε
 *   also enters tr Σ₁ + tr Σ₂ (the value is the FID of the two regularised Gaussians), so FID is
 *   never negative: identical singular inputs give 0, not −2·d·ε.
 * - from n ≤ d features (the usual CI case): with a factor Â of n − 1 rows, Σ = ÂᵀÂ (the centred
 *   rows (X − μ)/√(n−1) less their exact null direction), tr √(Σ₁Σ₂) is the nuclear norm of Â·B̂ᵀ
 *   (or tr √ of Â·Σ₂·Âᵀ against statistics) — an n×n problem that needs no ε.
 */
import { DEFAULTS } from './defaults.js';
import { GaussianAccumulator, type GaussianStats } from './gaussian-stats.js';
import type { Matrix } from './matrix.js';
import { cholesky, isCholeskyFailure } from './linalg/cholesky.js';
import { lowerCongruence } from './linalg/congruence.js';
import { symmetrize } from './linalg/dense.js';
import { gemmABt } from './linalg/gemm.js';
import { nuclearNorm, traceSqrtFromEigenvalues } from './linalg/nuclear-norm.js';
import { symmetricEigenvalues } from './linalg/symmetric-eigenvalues.js';
import { badInputError } from './errors.js';

/** Statistics as read from a `.npz` (n unknown when the file does not record it). */
export interface StatsInput {
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly n?: number;
}

/** A feature matrix (N×D rows) or precomputed statistics. */
export type FidInput = Matrix | StatsInput;

/** Options of `fid` / `fidFromStats`: ε for singular covariances, the small-sample warning threshold, input labels. */
export interface FidOptions {
  /** ε added to both diagonals when both covariances are singular (default DEFAULTS.fidEps). */
  eps?: number;
  /** Warn below this many samples (default DEFAULTS.fidMinSamples). */
  minSamples?: number;
  /** Names of the two inputs in warnings (e.g. file names). */
  labels?: readonly [string, string];
}

/** How tr √(Σ₁Σ₂) was computed. */
export type FidMethod = 'cholesky-eigh' | 'low-rank';

/** The Fréchet distance with how it was computed, its terms and any warnings. */
export interface FidResult {
  readonly fid: number;
  readonly method: FidMethod;
  /** ε added to both covariance diagonals (0 when none was needed). */
  readonly epsilonAdded: number;
  /** Sample counts (null when statistics did not record theirs). */
  readonly n1: number | null;
  readonly n2: number | null;
  readonly dims: number;
  /**
   * The four terms: FID = meanDistance + trace1 + trace2 − 2·traceSqrt. When ε·I was added
   * (`epsilonAdded` > 0), trace1 and trace2 are tr(Σᵢ + εI) = tr Σᵢ + d·ε, consistent with traceSqrt.
   */
  readonly terms: { readonly meanDistance: number; readonly trace1: number; readonly trace2: number; readonly traceSqrt: number };
  readonly warnings: string[];
}

/** One side, ready for the trace term: full statistics, or a low-rank covariance factor when n ≤ d. */
type Side =
  | { kind: 'stats'; mu: Float64Array; sigma: Float64Array; n: number | null; trace: number }
  | { kind: 'low-rank'; mu: Float64Array; factor: Float64Array; n: number; trace: number };

/** Rows of a low-rank side's factor. */
const factorRows = (s: { n: number }) => s.n - 1;

function isStats(x: FidInput): x is StatsInput {
  return 'mu' in x && 'sigma' in x;
}

/** FID between two inputs, each a feature matrix or statistics. */
export async function fid(a: FidInput, b: FidInput, opts: FidOptions = {}): Promise<FidResult> {
  const dims = dimsOf(a);
  if (dimsOf(b) !== dims) throw badInputError(`fid: dimensions differ (${dims} vs ${dimsOf(b)})`);
  const [s1, s2] = [await summarize(a), await summarize(b)];
  const { value: traceSqrt, method, epsilonAdded } = await traceSqrtProduct(s1, s2, dims, opts.eps ?? DEFAULTS.fidEps);
  let meanDistance = 0;
  for (let j = 0; j < dims; j++) meanDistance += (s1.mu[j]! - s2.mu[j]!) ** 2;
  // When ε·I was added to both covariances for the square root, it is added to the traces too:
  // the result is then the FID of N(μ₁, Σ₁ + εI) and N(μ₂, Σ₂ + εI), a true squared distance
  // (≥ 0, and exactly 0 for identical inputs). pytorch-fid adds ε only inside sqrtm, which gives
  // −2·d·ε for two identical singular inputs (a collapsed generator against itself).
  const [trace1, trace2] = [s1.trace + dims * epsilonAdded, s2.trace + dims * epsilonAdded];
  let value = meanDistance + trace1 + trace2 - 2 * traceSqrt;
  // FID is a squared distance (with ε in the traces, exactly so for the regularised Gaussians):
  // a negative value is rounding, and within its bound it is an exact 0. The bound: eigenvalues of
  // the d×d (or n×n) product matrix M are backward stable to ~d·u·‖M‖ with ‖M‖ ≤ tr₁·tr₂, so each
  // of the d square roots of a near-zero eigenvalue is resolved to ~√(d·u·tr₁·tr₂) absolutely,
  // plus 1e-10 relative for the sums of the traces themselves.
  const roundingBound = 1e-10 * (trace1 + trace2) + dims * Math.sqrt(dims * 2 ** -53 * trace1 * trace2);
  if (value < 0 && value >= -roundingBound) value = 0;
  return {
    fid: value,
    method,
    epsilonAdded,
    n1: s1.n,
    n2: s2.n,
    dims,
    terms: { meanDistance, trace1, trace2, traceSqrt },
    warnings: fidWarnings(s1.n, s2.n, dims, epsilonAdded, opts),
  };
}

/** FID from two sets of statistics (means and covariances). */
export function fidFromStats(a: StatsInput | GaussianStats, b: StatsInput | GaussianStats, opts: FidOptions = {}): Promise<FidResult> {
  return fid(a, b, opts);
}

function dimsOf(x: FidInput): number {
  if (!isStats(x)) return x.cols;
  const d = x.mu.length;
  if (x.sigma.length !== d * d) throw badInputError(`fid: sigma has ${x.sigma.length} values, expected ${d}×${d}`);
  return d;
}

/**
 * Features become statistics (n > d) or, when n ≤ d (covariance singular), the low-rank form:
 * Â with ÂᵀÂ = Σ, of n − 1 rows (see {@link lowRankFactor}).
 */
async function summarize(x: FidInput): Promise<Side> {
  if (isStats(x)) return { kind: 'stats', mu: x.mu, sigma: x.sigma, n: x.n ?? null, trace: trace(x.sigma, x.mu.length) };
  if (x.rows < 2) throw badInputError(`fid: a covariance needs at least 2 samples, got ${x.rows}`);
  if (x.rows > x.cols) {
    const s = (await new GaussianAccumulator(x.cols).add(x)).result();
    return { kind: 'stats', mu: s.mu, sigma: s.sigma, n: s.n, trace: trace(s.sigma, s.dims) };
  }
  const { mu, factor } = lowRankFactor(x);
  return { kind: 'low-rank', mu, factor, n: x.rows, trace: sumOfSquares(factor) };
}

/**
 * Mean and an (n−1)×d factor Â of the covariance (ÂᵀÂ = Σ, ddof 1). The centred rows
 * Ã = (X − μ)/√(n−1) all lie orthogonal to the all-ones vector; a Householder reflection H that
 * maps 1 to −√n·e₁ turns Ã into H·Ã whose first row is 0, and the other n − 1 rows are Â. Dropping
 * that exact null direction keeps a rounding-level eigenvalue out of tr √, where √(1e-16) would
 * cost ~1e-8 of accuracy.
 */
export function lowRankFactor(x: Matrix): { mu: Float64Array; factor: Float64Array } {
  const { rows: n, cols: d, data } = x;
  const mu = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mu[j]! += data[i * d + j]!;
  for (let j = 0; j < d; j++) mu[j]! /= n;
  const scale = 1 / Math.sqrt(n - 1);
  // w = 1 + √n·e₁, H = I − 2wwᵀ/(wᵀw), wᵀw = 2(n + √n). Row 0 of H·Ã is dropped.
  const w0 = 1 + Math.sqrt(n);
  const f = 2 / (2 * (n + Math.sqrt(n)));
  const s = new Float64Array(d); // wᵀÃ per column
  for (let i = 0; i < n; i++) {
    const wi = i === 0 ? w0 : 1;
    for (let j = 0; j < d; j++) s[j]! += wi * (data[i * d + j]! - mu[j]!) * scale;
  }
  const factor = new Float64Array((n - 1) * d);
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < d; j++) factor[(i - 1) * d + j] = (data[i * d + j]! - mu[j]!) * scale - f * s[j]!;
  }
  return { mu, factor };
}

/**
 * Σ v² by index, outside the async caller: on Node 24 (V8 13.6) a `for…of` over the factor inside
 * `summarize` returned, about once in 750 fresh processes, the sum of the other side's factor
 * (bench/fid-determinism.mjs).
 */
function sumOfSquares(a: Float64Array): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i]! * a[i]!;
  return t;
}

function trace(sigma: Float64Array, d: number): number {
  let t = 0;
  for (let i = 0; i < d; i++) t += sigma[i * d + i]!;
  return t;
}

/** tr √(Σ₁Σ₂) by the cheapest exact route for the two sides. */
async function traceSqrtProduct(s1: Side, s2: Side, d: number, eps: number): Promise<{ value: number; method: FidMethod; epsilonAdded: number }> {
  if (s1.kind === 'low-rank' && s2.kind === 'low-rank') {
    // Σ₁Σ₂ = Âᵀ(Â·B̂ᵀ)B̂: its non-zero eigenvalues are the squared singular values of Â·B̂ᵀ.
    const [r1, r2] = [factorRows(s1), factorRows(s2)];
    const c = await gemmABt({ data: s1.factor, rows: r1, cols: d }, { data: s2.factor, rows: r2, cols: d });
    return { value: await nuclearNorm({ data: c, rows: r1, cols: r2 }), method: 'low-rank', epsilonAdded: 0 };
  }
  if (s1.kind === 'low-rank' || s2.kind === 'low-rank') {
    const [lr, st] = (s1.kind === 'low-rank' ? [s1, s2] : [s2, s1]) as [Extract<Side, { kind: 'low-rank' }>, Extract<Side, { kind: 'stats' }>];
    return { value: await lowRankAgainstStats(lr.factor, factorRows(lr), st.sigma, d), method: 'low-rank', epsilonAdded: 0 };
  }
  return choleskyTraceSqrt(s1.sigma, s2.sigma, d, eps);
}

/** tr √(ÂᵀÂ·Σ) = tr √(Â·Σ·Âᵀ), a small PSD matrix (Σ symmetric, so Â·Σ = Â·Σᵀ). */
async function lowRankAgainstStats(factor: Float64Array, n: number, sigma: Float64Array, d: number): Promise<number> {
  const left = { data: factor, rows: n, cols: d };
  const as = await gemmABt(left, { data: sigma, rows: d, cols: d });
  const m = symmetrize(await gemmABt({ data: as, rows: n, cols: d }, left), n);
  return traceSqrtFromEigenvalues(await symmetricEigenvalues(m, n));
}

/**
 * tr √(Σ₁Σ₂) via the Cholesky factor of whichever covariance is positive definite; when
 * neither is, of Σ₁ + ε·I against Σ₂ + ε·I (see {@link fidWarnings} for why).
 */
export async function choleskyTraceSqrt(
  sigma1: Float64Array,
  sigma2: Float64Array,
  d: number,
  eps: number,
): Promise<{ value: number; method: 'cholesky-eigh'; epsilonAdded: number }> {
  for (const [f, other] of [
    [sigma1, sigma2],
    [sigma2, sigma1],
  ] as const) {
    const L = await cholesky(f, d);
    if (!isCholeskyFailure(L)) return { value: await traceSqrtCongruence(L, other, d), method: 'cholesky-eigh', epsilonAdded: 0 };
  }
  const [r1, r2] = [addDiagonal(sigma1, d, eps), addDiagonal(sigma2, d, eps)];
  const L = await cholesky(r1, d);
  if (isCholeskyFailure(L)) {
    throw badInputError(`fid: the covariances are not positive semi-definite (Cholesky fails at column ${L.failedAt} even after adding ${eps}·I)`);
  }
  return { value: await traceSqrtCongruence(L, r2, d), method: 'cholesky-eigh', epsilonAdded: eps };
}

async function traceSqrtCongruence(L: Float64Array, sigma: Float64Array, d: number): Promise<number> {
  return traceSqrtFromEigenvalues(await symmetricEigenvalues(await lowerCongruence(L, sigma, d), d));
}

function addDiagonal(s: Float64Array, d: number, eps: number): Float64Array {
  const r = Float64Array.from(s);
  for (let i = 0; i < d; i++) r[i * d + i]! += eps;
  return r;
}

function fidWarnings(n1: number | null, n2: number | null, d: number, eps: number, opts: FidOptions): string[] {
  const labels = opts.labels ?? ['first input', 'second input'];
  const out = [...sampleSizeWarnings(n1, d, labels[0], opts.minSamples), ...sampleSizeWarnings(n2, d, labels[1], opts.minSamples)];
  // Why ε here but not for n ≤ d features: statistics carry only Σ, whose null space cannot be told
  // from rounding without a rank-revealing factorisation; .npy features with n ≤ d give us an exact
  // factor of n − 1 rows (no ε). So the same data as .npz stats and as .npy features can differ by
  // O(√ε·tr Σ) here; the message says so, and which value is exact.
  if (eps > 0) {
    // The hint only where it applies: a side with n ≤ d (or of unknown n); n > d singular data
    // (duplicate or collinear rows) take the ε route from features too.
    const hint = [n1, n2].some((n) => n === null || n <= d) ? '; from the .npy features instead of .npz statistics, n ≤ d sets get the exact value with no ε' : '';
    out.push(
      `both covariances are singular: gen-eval added ${eps}·I to each, in the square root and in the traces (the FID of the two regularised Gaussians, never negative; pytorch-fid adds ε only when scipy's sqrtm fails)${hint}`,
    );
  }
  return out;
}

/**
 * Warnings about a feature set's size for FID: singular covariance (n ≤ d) or fewer samples than
 * `minSamples` (default DEFAULTS.fidMinSamples, TTUR's advice). None when n is unknown.
 */
export function sampleSizeWarnings(n: number | null, d: number, label: string, minSamples: number = DEFAULTS.fidMinSamples): string[] {
  if (n === null) return [];
  if (n <= d) return [`${label}: ${n} samples for ${d} dims — the covariance is singular (rank < ${d}); FID is strongly biased upwards at this sample size`];
  if (n < minSamples) return [`${label}: ${n} samples — FID is biased upwards below ${minSamples} samples (TTUR recommends at least ${minSamples}, ideally 10 000)`];
  return [];
}
