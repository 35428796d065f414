/** Dense row-major matrices of float32 or float64 values. */
import { badInputError } from './errors.js';

/** Storage of a `Matrix`: float32 (features as extracted) or float64. */
export type FloatArray = Float32Array | Float64Array;

/** An N×D row-major matrix: row i is `data[i*cols .. (i+1)*cols)`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: FloatArray;
}

/** Wraps a flat array as a matrix, checking that the sizes agree. */
export function matrix(data: FloatArray, rows: number, cols: number): Matrix {
  if (data.length !== rows * cols) {
    throw badInputError(`matrix: ${data.length} values do not make ${rows}×${cols}`);
  }
  return { rows, cols, data };
}

/** Builds a float64 matrix from nested arrays (tests and small inputs). */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const n = rows.length;
  const d = n === 0 ? 0 : rows[0]!.length;
  const data = new Float64Array(n * d);
  rows.forEach((r, i) => {
    if (r.length !== d) throw badInputError(`fromRows: row ${i} has ${r.length} values, expected ${d}`);
    data.set(r, i * d);
  });
  return { rows: n, cols: d, data };
}

/** Row i as a subarray view (no copy). */
export function row(m: Matrix, i: number): FloatArray {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** The rows with the given indices, copied into a new float64 matrix. */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float64Array(indices.length * m.cols);
  for (let i = 0; i < indices.length; i++) out.set(row(m, indices[i]!), i * m.cols);
  return { rows: indices.length, cols: m.cols, data: out };
}
