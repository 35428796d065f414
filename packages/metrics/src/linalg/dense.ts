/** Small helpers on dense row-major float64 matrices. */

/** Copies the rows×cols block at (r0, c0) of the n-wide matrix M into a compact buffer. */
export function copyBlock(M: Float64Array, n: number, r0: number, c0: number, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) out.set(M.subarray((r0 + i) * n + c0, (r0 + i) * n + c0 + cols), i * cols);
  return out;
}

/** The transpose of a rows×cols matrix (cols×rows), in 32×32 tiles so both sides stay in cache. */
export function transpose(M: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(rows, i0 + T);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(cols, j0 + T);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = M[i * cols + j]!;
    }
  }
  return out;
}

/** Replaces the n×n matrix M by (M + Mᵀ)/2 in place: products meant to be symmetric are only so up to rounding. */
export function symmetrize(M: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (M[i * n + j]! + M[j * n + i]!);
      M[i * n + j] = v;
      M[j * n + i] = v;
    }
  }
  return M;
}

/** Largest absolute value (0 for an empty array; NaN propagates). */
export function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > m || a !== a) m = a;
  }
  return m;
}
