/**
 * Feature matrices from `.npy` files, validated: 2-D, float32/float64, every value finite.
 */
import { inputError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { readNpy, type NpyArray } from './npy.js';

/**
 * The largest feature magnitude accepted. The metrics raise features to high powers: squared
 * distances (4·d·M²), KID's cubic kernel (xᵀy/d + 1)³ ~ M⁶ summed over up to n² ≈ 1e10 pairs, and
 * the variance of its subset values ~ M¹². Keeping M¹²·1e12 below float64's 1.8e308 needs
 * M ≲ 1e24; 1e20 leaves a margin and is ~18 orders of magnitude above any network's features.
 * Larger finite values used to give NaN, ±Inf or a wrong 0 (PR/PRDC/NDB) with exit 0.
 */
export const FEATURE_MAX_ABS = 1e20;

/**
 * Checks that every value is finite and at most {@link FEATURE_MAX_ABS} in magnitude; errors name
 * the file and the first bad row. `what` names the values in the advice (training data: points).
 */
export function assertFinite(m: Matrix, file: string, what = 'features'): void {
  const { data, cols } = m;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      const r = Math.floor(i / Math.max(cols, 1));
      throw inputError(file, `${Number.isNaN(v) ? 'NaN' : 'Inf'} at row ${r}, column ${i - r * cols} (first non-finite value)`);
    }
    if (v > FEATURE_MAX_ABS || v < -FEATURE_MAX_ABS) {
      const r = Math.floor(i / Math.max(cols, 1));
      throw inputError(
        file,
        `values overflow: |x| = ${Math.abs(v).toExponential(3)} at row ${r}, column ${i - r * cols} exceeds ${FEATURE_MAX_ABS.toExponential()} (squared distances and KID's cubic kernel would overflow float64); rescale the ${what}`,
      );
    }
  }
}

/** Interprets a decoded `.npy` array as an N×D float feature matrix (1-D arrays become N×1 when `allow1d`). */
export function toFeatureMatrix(arr: NpyArray, file: string, opts: { allow1d?: boolean } = {}): Matrix {
  if (arr.dtype !== '<f4' && arr.dtype !== '<f8') {
    throw inputError(file, `features must be float32 or float64, found dtype ${arr.dtype}`);
  }
  const data = arr.data as Float32Array | Float64Array;
  let m: Matrix;
  if (arr.shape.length === 2) m = { rows: arr.shape[0]!, cols: arr.shape[1]!, data };
  else if (arr.shape.length === 1 && opts.allow1d) m = { rows: arr.shape[0]!, cols: 1, data };
  else throw inputError(file, `expected a 2-D feature matrix (samples × dims), found shape (${arr.shape.join(', ')})`);
  assertFinite(m, file);
  return m;
}

/**
 * Reads an N×D feature matrix from a `.npy` file.
 * @param minRows fewer rows than this is an error naming the file (default 2: covariances need two).
 */
export function readFeatureMatrix(path: string, opts: { minRows?: number; allow1d?: boolean } = {}): Matrix {
  const m = toFeatureMatrix(readNpy(path), path, opts);
  const minRows = opts.minRows ?? 2;
  if (m.rows < minRows) throw inputError(path, `needs at least ${minRows} samples, found ${m.rows}`);
  if (m.cols < 1) throw inputError(path, 'has zero feature dimensions');
  return m;
}
