/**
 * Class labels from a `.npy` file (`gen-eval modes classes`): integer or bool arrays in any byte
 * order, or unicode strings (`<U1`, `<Uk`).
 *
 * Strings: when every label is a decimal integer ("7", "03") the labels are those integers, as
 * `labels.astype(int)` would give in numpy, so `<U1` digit files mean what an int file would.
 * Otherwise each distinct string is a class, numbered in sorted (code point) order, like
 * `np.unique(labels, return_inverse=True)`. Mode coverage and the KL against uniform do not depend on
 * which number a class gets, only on the classes being distinct and at most `--classes` of them.
 */
import { parseNpyAny } from './npy.js';
import { readInputFile } from './read-input-file.js';

/**
 * Class labels read from a `.npy` file: the values, their shape ([N] or [N, C]) and, for string
 * labels, the class names.
 */
export interface ClassLabels {
  readonly labels: ArrayLike<number | bigint>;
  readonly shape: readonly number[];
  /** For string labels that are not all integers: the string of each class number (sorted). */
  readonly classNames?: readonly string[];
}

/** Labels of a decoded string array (see the module comment for the rule). */
export function stringLabels(data: readonly string[]): { labels: Float64Array; classNames?: string[] } {
  if (data.every((s) => /^[+-]?\d+$/.test(s))) return { labels: Float64Array.from(data, Number) };
  const classNames = [...new Set(data)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classNames.map((s, i) => [s, i]));
  return { labels: Float64Array.from(data, (s) => index.get(s)!), classNames };
}

/** Reads class labels (integers, bools, strings; floats are range-checked as before) from a `.npy` file; errors name the file. */
export function readClassLabels(path: string): ClassLabels {
  const arr = parseNpyAny(readInputFile(path, 'a .npy file'), path);
  if (Array.isArray(arr.data)) return { shape: arr.shape, ...stringLabels(arr.data as readonly string[]) };
  return { labels: arr.data as ArrayLike<number | bigint>, shape: arr.shape };
}
