/**
 * Singular values and the nuclear norm of a dense matrix, from the eigenvalues of its Gram
 * matrix on the smaller side (min(m, n)² work after one product).
 *
 * Accuracy: σᵢ = √λᵢ(CᵀC) with λ backward stable, so large singular values are accurate to
 * working precision and those below √ε·σ_max are resolved only to about √ε·σ_max absolutely —
 * ample for a trace of a square root, where such values contribute next to nothing.
 */
import type { Matrix } from '../matrix.js';
import { symmetrize, transpose } from './dense.js';
import { gemmABt } from './gemm.js';
import { symmetricEigenvalues } from './symmetric-eigenvalues.js';

/** Singular values of the m×n matrix `c`, descending, min(m, n) of them. */
export async function singularValues(c: Matrix): Promise<Float64Array> {
  const data = c.data instanceof Float64Array ? c.data : Float64Array.from(c.data);
  // Gram on the smaller side: rows·rowsᵀ if m ≤ n, else (cᵀ)(cᵀ)ᵀ.
  const side = c.rows <= c.cols ? { data, rows: c.rows, cols: c.cols } : { data: transpose(data, c.rows, c.cols), rows: c.cols, cols: c.rows };
  const k = side.rows;
  const gram = symmetrize(await gemmABt(side, side), k);
  const lambda = await symmetricEigenvalues(gram, k);
  const sigma = new Float64Array(k);
  for (let i = 0; i < k; i++) sigma[i] = Math.sqrt(Math.max(0, lambda[k - 1 - i]!));
  return sigma;
}

/** Sum of the singular values of `c` (the trace norm ‖c‖_*). */
export async function nuclearNorm(c: Matrix): Promise<number> {
  return sumAscending(await singularValues(c));
}

/** Σ √max(λᵢ, 0): tr √S from the eigenvalues of a PSD matrix S, whose zero eigenvalues rounding can leave slightly negative. */
export function traceSqrtFromEigenvalues(lambda: Float64Array): number {
  return sumAscending(Float64Array.from(lambda, (v) => Math.sqrt(Math.max(0, v))));
}

/** Sum of non-negative terms in ascending order, so many small terms are not lost against large ones. */
function sumAscending(terms: Float64Array): number {
  const sorted = Float64Array.from(terms).sort();
  let s = 0;
  for (let i = 0; i < sorted.length; i++) s += sorted[i]!;
  return s;
}
