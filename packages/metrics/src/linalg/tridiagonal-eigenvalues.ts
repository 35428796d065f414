/**
 * Eigenvalues of a symmetric tridiagonal matrix by the implicit QL algorithm with Wilkinson
 * shifts (eigenvalues only: O(n²) in total, a few sweeps per eigenvalue).
 */
import type { Tridiagonal } from './tridiagonalize.js';
import { internalError } from '../errors.js';

const EPS = 2 ** -52;
const MAX_SWEEPS_PER_VALUE = 60;

/** √(a² + b²) without overflow or harmful underflow. */
function hypot2(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/**
 * All eigenvalues of the tridiagonal matrix (d, e), in ascending order. The inputs are not
 * modified. Throws if an eigenvalue fails to converge (does not happen for finite input).
 */
export function tridiagonalEigenvalues(t: Tridiagonal): Float64Array {
  const n = t.d.length;
  const d = Float64Array.from(t.d);
  // e[i] couples rows i and i+1; e[n−1] = 0 is a sentinel.
  const e = new Float64Array(n);
  e.set(t.e.subarray(0, Math.max(0, n - 1)));
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(d[i]!) || !Number.isFinite(e[i]!)) throw internalError('tridiagonalEigenvalues: non-finite input');
  }
  for (let l = 0; l < n; l++) {
    for (let sweep = 0; ; sweep++) {
      // Find the first negligible off-diagonal at or after l: the block l..m is unreduced.
      let m = l;
      for (; m < n - 1; m++) {
        if (Math.abs(e[m]!) <= EPS * (Math.abs(d[m]!) + Math.abs(d[m + 1]!))) break;
      }
      if (m === l) break; // d[l] has converged
      if (sweep >= MAX_SWEEPS_PER_VALUE) throw internalError(`tridiagonalEigenvalues: no convergence at index ${l}`);
      qlSweep(d, e, l, m);
    }
  }
  return d.sort();
}

/**
 * One implicit QL sweep on the unreduced block l..m, shifted by the eigenvalue of the leading
 * 2×2 block closer to d[l] (Wilkinson), chasing the bulge upwards with Givens rotations.
 */
function qlSweep(d: Float64Array, e: Float64Array, l: number, m: number): void {
  let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
  let r = hypot2(g, 1);
  g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
  let s = 1;
  let c = 1;
  let p = 0;
  for (let i = m - 1; i >= l; i--) {
    const f = s * e[i]!;
    const b = c * e[i]!;
    // Plain √(f² + g²) unless it may have overflowed or underflowed (the input is scaled to ~1).
    r = Math.sqrt(f * f + g * g);
    if (!(r > 1e-150 && r < 1e150)) r = hypot2(f, g);
    e[i + 1] = r;
    if (r === 0) {
      // The rotation underflowed: the block splits at i+1; undo the partial shift and restart.
      d[i + 1]! -= p;
      e[m] = 0;
      return;
    }
    s = f / r;
    c = g / r;
    g = d[i + 1]! - p;
    r = (d[i]! - g) * s + 2 * c * b;
    p = s * r;
    d[i + 1] = g + p;
    g = c * r - b;
  }
  d[l]! -= p;
  e[l] = g;
  e[m] = 0;
}
