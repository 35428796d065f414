/**
 * Matrix products in float64. `gemmABt` is the one shape the metrics need (Gram and cross
 * products of row-major feature blocks): C = A·Bᵀ, where A is m×k and B is n×k.
 */
import type { Matrix } from '../matrix.js';

/**
 * C = A·Bᵀ (m×n, row-major, float64). Each entry is a dot product of two contiguous rows,
 * accumulated in float64 whatever the input precision.
 */
export async function gemmABt(a: Matrix, b: Matrix): Promise<Float64Array> {
  return gemmABtSync(a, b);
}

/** Synchronous plain-JS A·Bᵀ (reference kernel; small inputs). */
export function gemmABtSync(a: Matrix, b: Matrix): Float64Array {
  if (a.cols !== b.cols) throw new RangeError(`gemmABt: inner dimensions differ (${a.cols} vs ${b.cols})`);
  const m = a.rows;
  const n = b.rows;
  const k = a.cols;
  const A = a.data;
  const B = b.data;
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t = 0;
      for (; t + 3 < k; t += 4) {
        s0 += A[ai + t]! * B[bj + t]!;
        s1 += A[ai + t + 1]! * B[bj + t + 1]!;
        s2 += A[ai + t + 2]! * B[bj + t + 2]!;
        s3 += A[ai + t + 3]! * B[bj + t + 3]!;
      }
      for (; t < k; t++) s0 += A[ai + t]! * B[bj + t]!;
      C[i * n + j] = s0 + s1 + (s2 + s3);
    }
  }
  return C;
}
