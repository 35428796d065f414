/**
 * How well an InfoGAN's categorical code captures a labelled factor (digit identity on MNIST):
 * generate images per code value, classify them (the embedded `mnist` classifier), and count a
 * confusion matrix code × class. Codes are unordered, so the score is the accuracy under the best
 * one-to-one code → class mapping (the paper's "5 % error" on MNIST is this measure, with the
 * mapping chosen by hand), found exactly by dynamic programming over subsets of classes.
 */
import { badInputError, usageError } from '@gen-eval/metrics/errors';

/** The best one-to-one mapping of codes (rows) to classes (columns) and the accuracy it gives. */
export interface CodeMapping {
  /** mapping[code] = the class assigned to it (−1 when there are more codes than classes). */
  readonly mapping: number[];
  /** Samples whose class is their code's class, over all samples. */
  readonly accuracy: number;
  /** Many-to-one purity: each code mapped to its most frequent class (an upper bound of accuracy). */
  readonly purity: number;
}

/**
 * Best assignment on a confusion matrix `counts[code][class]` (at most 20 classes: the search
 * visits 2^classes subsets).
 */
export function bestCodeMapping(counts: readonly (readonly number[])[]): CodeMapping {
  const codes = counts.length;
  const classes = counts[0]?.length ?? 0;
  if (classes > 20) throw usageError(`at most 20 classes, got ${classes}`);
  if (counts.some((r) => r.length !== classes)) throw badInputError('every row of the confusion matrix needs the same length');
  const total = counts.reduce((s, r) => s + r.reduce((a, b) => a + b, 0), 0);
  // best[i][mask]: the most correct samples of codes i… given the classes in `mask` are taken.
  const full = 1 << classes;
  const best: Float64Array[] = Array.from({ length: codes + 1 }, () => new Float64Array(full));
  const choice: Int8Array[] = Array.from({ length: codes }, () => new Int8Array(full).fill(-1));
  for (let i = codes - 1; i >= 0; i--) {
    for (let mask = 0; mask < full; mask++) {
      // Code i takes a free class while there is one (even one with no samples); else none.
      let b = -1;
      let c = -1;
      for (let k = 0; k < classes; k++) {
        if (mask & (1 << k)) continue;
        const v = counts[i]![k]! + best[i + 1]![mask | (1 << k)]!;
        if (v > b) {
          b = v;
          c = k;
        }
      }
      best[i]![mask] = c < 0 ? best[i + 1]![mask]! : b;
      choice[i]![mask] = c;
    }
  }
  const mapping: number[] = [];
  let mask = 0;
  for (let i = 0; i < codes; i++) {
    const c = choice[i]![mask]!;
    mapping.push(c);
    if (c >= 0) mask |= 1 << c;
  }
  const purity = counts.reduce((s, r) => s + Math.max(0, ...r), 0);
  return { mapping, accuracy: total > 0 ? best[0]![0]! / total : 0, purity: total > 0 ? purity / total : 0 };
}

/** The confusion matrix code × class from each sample's code and predicted class. */
export function confusion(codes: ArrayLike<number>, predicted: ArrayLike<number>, nCodes: number, nClasses: number): number[][] {
  if (codes.length !== predicted.length) throw badInputError('codes and predictions differ in length');
  const m = Array.from({ length: nCodes }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < codes.length; i++) m[codes[i]!]![predicted[i]!]!++;
  return m;
}
