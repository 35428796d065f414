/**
 * Eigenvalues of a dense symmetric matrix: scale to unit size by a power of two (exact; no
 * intermediate can then overflow or underflow harmfully), Householder-reduce to tridiagonal
 * form, implicit QL.
 * Backward stable: each eigenvalue is exact for a matrix within ~n·ε·‖A‖ of the input.
 */
import { maxAbs } from './dense.js';
import { tridiagonalEigenvalues } from './tridiagonal-eigenvalues.js';
import { tridiagonalize, type TridiagonalizeOptions } from './tridiagonalize.js';
import { internalError } from '../errors.js';

/**
 * All eigenvalues of the symmetric n×n matrix `a` (row-major, both triangles read; symmetrise
 * first if it is only symmetric up to rounding), ascending. `a` is not modified.
 */
export async function symmetricEigenvalues(a: Float64Array, n: number, opts: TridiagonalizeOptions = {}): Promise<Float64Array> {
  if (a.length < n * n) throw internalError(`symmetricEigenvalues: ${a.length} values do not make ${n}×${n}`);
  const size = maxAbs(a.subarray(0, n * n));
  if (!Number.isFinite(size)) throw internalError('symmetricEigenvalues: the matrix has non-finite entries');
  if (size === 0) return new Float64Array(n);
  // A power of two near 1/size: scaling by it is exact.
  const scale = 2 ** Math.min(1000, Math.max(-1000, -Math.round(Math.log2(size))));
  const lambda = tridiagonalEigenvalues(await tridiagonalize(a, n, { ...opts, scale }));
  for (let i = 0; i < n; i++) lambda[i]! /= scale;
  return lambda;
}
