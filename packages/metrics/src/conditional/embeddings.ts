/** Row-wise cosine similarity of embeddings, shared by R-precision and text alignment. */
import { inputError } from '../errors.js';
import type { Matrix } from '../matrix.js';

/**
 * The rows of `m` divided by their L2 norm, in float64. Encoders already give unit rows; dividing
 * again makes the metrics cosines for any embedding. A zero or non-finite row is refused (`name`).
 */
export function unitRows(m: Matrix, name: string): Float64Array {
  const { rows, cols, data } = m;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let ss = 0;
    for (let j = 0; j < cols; j++) ss += data[i * cols + j]! ** 2;
    const norm = Math.sqrt(ss);
    if (!(norm > 0) || !Number.isFinite(norm)) throw inputError(name, `row ${i} has norm ${norm}; a cosine needs a finite, non-zero embedding`);
    for (let j = 0; j < cols; j++) out[i * cols + j] = data[i * cols + j]! / norm;
  }
  return out;
}

/** Dot product of row i of `a` and row j of `b` (both `d` wide). */
export function rowDot(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[i * d + k]! * b[j * d + k]!;
  return s;
}

/** Refuses two embedding sets of different widths, or an empty one. */
export function checkPair(a: Matrix, b: Matrix, names: readonly [string, string]): void {
  if (a.rows === 0) throw inputError(names[0], 'is empty (no embeddings)');
  if (b.rows === 0) throw inputError(names[1], 'is empty (no embeddings)');
  if (a.cols !== b.cols) throw inputError(names[1], `has ${b.cols} dims but ${names[0]} has ${a.cols}`);
}
