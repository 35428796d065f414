/**
 * Input checks shared by the divergence estimators. Errors are one line naming the input (a file
 * path when the CLI passes one, else "P" / "Q") and the problem, with exit code 2.
 */
import { inputError, usageError } from '../errors.js';
import type { Matrix } from '../matrix.js';

/** How the two inputs are named in error messages: file paths from the CLI, "P"/"Q" otherwise. */
export type InputNames = readonly [string, string];
export const DEFAULT_NAMES: InputNames = ['P', 'Q'];

/** Both sample sets have at least `minRows` rows and the same number of columns. */
export function checkSamplePair(p: Matrix, q: Matrix, names: InputNames = DEFAULT_NAMES, minRows = 1): void {
  for (const [m, name] of [
    [p, names[0]],
    [q, names[1]],
  ] as const) {
    if (m.rows < minRows) {
      throw inputError(name, m.rows === 0 ? 'is empty (no samples)' : `needs at least ${minRows} samples, found ${m.rows}`);
    }
    if (m.cols < 1) throw inputError(name, 'has zero feature dimensions');
  }
  if (p.cols !== q.cols) {
    throw inputError(names[1], `has ${q.cols} dimensions but ${names[0]} has ${p.cols} (mismatched dimensions)`);
  }
}

/** Every value finite; the error names the first bad index. */
export function checkFinite(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) throw inputError(name, `${Number.isNaN(v) ? 'NaN' : 'Inf'} at index ${i}`);
  }
}

/** A positive finite option value (RangeError: a programming error, not bad input). */
export function checkPositive(value: number, what: string): void {
  if (!(value > 0) || !Number.isFinite(value)) throw usageError(`${what} must be a positive finite number, got ${value}`);
}

/** A positive integer option value. */
export function checkPositiveInt(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw usageError(`${what} must be a positive integer, got ${value}`);
}
