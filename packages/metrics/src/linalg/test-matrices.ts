/** Matrices with a known spectrum, for the linear-algebra tests (exported from `@gen-eval/metrics/testing`). */
import { RandomState } from '../random.js';

/** A random n×n orthogonal matrix: the product of n Householder reflections of Gaussian vectors. */
export function randomOrthogonal(n: number, seed: number): Float64Array {
  const rs = new RandomState(seed);
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  for (let r = 0; r < n; r++) {
    const v = rs.normals(n);
    let nv = 0;
    for (const x of v) nv += x * x;
    const s = Math.sqrt(2 / nv);
    for (let i = 0; i < n; i++) v[i]! *= s;
    // Q ← Q·(I − v·vᵀ)
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += Q[i * n + j]! * v[j]!;
      for (let j = 0; j < n; j++) Q[i * n + j]! -= t * v[j]!;
    }
  }
  return Q;
}

/** Q·diag(λ)·Qᵀ for a random orthogonal Q: a symmetric matrix whose eigenvalues are exactly λ (up to rounding). */
export function withSpectrum(lambda: ArrayLike<number>, seed: number): Float64Array {
  const n = lambda.length;
  const Q = randomOrthogonal(n, seed);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += Q[i * n + k]! * lambda[k]! * Q[j * n + k]!;
      A[i * n + j] = s;
      A[j * n + i] = s;
    }
  }
  return A;
}

/** U·diag(σ)·Vᵀ (m×n) with random orthogonal U, V: singular values exactly σ (length min(m, n)). */
export function withSingularValues(m: number, n: number, sigma: ArrayLike<number>, seed: number): Float64Array {
  const U = randomOrthogonal(m, seed);
  const V = randomOrthogonal(n, seed + 1);
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < sigma.length; k++) s += U[i * m + k]! * sigma[k]! * V[j * n + k]!;
      C[i * n + j] = s;
    }
  }
  return C;
}

/** Largest |a − b| over two arrays of equal length. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`maxDiff: lengths ${a.length} and ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
