/** Class labels as the conditional metrics take them: one non-negative integer per row. */
import { inputError } from '../errors.js';

/**
 * `labels` as an Int32Array after checking there is one per row and each is an integer ≥ 0
 * (integer-valued floats are accepted: a label saved as 7.0 means class 7). Errors name `name`.
 */
export function checkClassLabels(labels: ArrayLike<number | bigint>, rows: number, name: string, rowsName: string): Int32Array {
  if (labels.length !== rows) throw inputError(name, `has ${labels.length} labels but ${rowsName} has ${rows} rows (one label per row)`);
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const raw = labels[i]!;
    const v = typeof raw === 'bigint' ? Number(raw) : raw;
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw inputError(name, `label ${String(raw)} at row ${i} is not a non-negative integer`);
    out[i] = v;
  }
  return out;
}
