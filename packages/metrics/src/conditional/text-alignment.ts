/**
 * Text alignment: the CLIP-score analogue with the judge encoder (Hessel et al. 2021, CLIPScore;
 * torchmetrics' `CLIPScore` with weight 100): the mean over (image, caption) pairs of
 * 100·max(cos(E_I, E_T), 0). Per pair, as the CLIPScore paper defines it; torchmetrics' code
 * clamps the mean instead, which agrees whenever no pair has a negative cosine.
 */
import { inputError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { checkPair, rowDot, unitRows } from './embeddings.js';

/** The mean score, its count and every pair's own 100·max(cos, 0). */
export interface TextAlignmentResult {
  /** Mean of 100·max(cos, 0) over pairs, in [0, 100]. */
  readonly textAlignment: number;
  readonly n: number;
  readonly perPair: Float64Array;
}

/**
 * Row i of `images` against row i of `captions` (its own caption's embedding), both of the judge's
 * joint space. `names` label the two inputs in errors.
 */
export function textAlignment(images: Matrix, captions: Matrix, names: readonly [string, string] = ['images', 'captions']): TextAlignmentResult {
  checkPair(images, captions, names);
  if (captions.rows !== images.rows) throw inputError(names[1], `has ${captions.rows} rows but ${names[0]} has ${images.rows} (one caption per image)`);
  const [a, b] = [unitRows(images, names[0]), unitRows(captions, names[1])];
  const n = images.rows;
  const perPair = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    perPair[i] = 100 * Math.max(rowDot(a, i, b, i, images.cols), 0);
    sum += perPair[i]!;
  }
  return { textAlignment: sum / n, n, perPair };
}
