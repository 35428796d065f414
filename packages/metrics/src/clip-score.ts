/**
 * CLIP score (Hessel et al. 2021, "CLIPScore"; torchmetrics' `CLIPScore` scaling): how well each
 * image matches its caption in CLIP space, 100·cos(E_I, E_T) per pair.
 */
import { badInputError } from './errors.js';
import type { Matrix } from './matrix.js';

/** Result of `clipScore`. */
export interface ClipScoreResult {
  /**
   * max(mean over pairs of 100·cos, 0) — torchmetrics' `clip_score` clamps the mean (its docs
   * write the clamp per pair; the two differ only when some pair has a negative cosine).
   */
  value: number;
  /** Per pair max(100·cos(E_I, E_T), 0), in input order. */
  perPair: Float64Array;
  /** Number of pairs. */
  count: number;
}

/**
 * CLIP score of paired image and text embeddings (row i of each is one pair). Embeddings need not
 * be normalised: each row is divided by its L2 norm in float64, as torchmetrics does.
 */
export function clipScore(image: Matrix, text: Matrix): ClipScoreResult {
  if (image.rows !== text.rows) {
    throw badInputError(`clip score: ${image.rows} image embeddings but ${text.rows} text embeddings`);
  }
  if (image.cols !== text.cols) {
    throw badInputError(`clip score: image embeddings have ${image.cols} dimensions, text embeddings ${text.cols}`);
  }
  if (image.rows === 0) throw badInputError('clip score: no image–caption pairs');
  const d = image.cols;
  const perPair = new Float64Array(image.rows);
  let sum = 0;
  for (let i = 0; i < image.rows; i++) {
    let dot = 0;
    let ni = 0;
    let nt = 0;
    for (let k = 0; k < d; k++) {
      const a = image.data[i * d + k]!;
      const b = text.data[i * d + k]!;
      dot += a * b;
      ni += a * a;
      nt += b * b;
    }
    if (ni === 0 || nt === 0) throw badInputError(`clip score: pair ${i} has a zero embedding`);
    const score = (100 * dot) / (Math.sqrt(ni) * Math.sqrt(nt));
    sum += score;
    perPair[i] = Math.max(score, 0);
  }
  return { value: Math.max(sum / image.rows, 0), perPair, count: image.rows };
}
