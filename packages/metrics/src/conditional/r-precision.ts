/**
 * R-precision (Xu et al. 2018, AttnGAN): for each generated image, its own caption is ranked
 * among `candidates` captions — itself and `candidates − 1` drawn at random from the pool's
 * captions that MEAN something else — by cosine similarity in the judge's joint space; R-precision
 * is the share of images whose own caption is among the top `r`. With AttnGAN's 100 candidates
 * and r = 1, chance is 1 %. A caption that means the same as the true one (another phrasing of
 * "a thick seven") is not a wrong answer, so it is never drawn as a mismatch.
 *
 * Ties count against the true caption: its rank is 1 + the number of mismatched captions scoring
 * at least as high, so a judge that scores everything alike gets 0, not 1.
 */
import { inputError, usageError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import type { RandomState } from '../random.js';
import type { CaptionMeaning } from './types.js';
import { checkPair, rowDot, unitRows } from './embeddings.js';

/** Caption embeddings (one row per caption) with a key per row saying what it means. */
export interface CaptionSet {
  readonly embeddings: Matrix;
  /** Equal keys: the same meaning (e.g. {@link meaningKey} of each caption's `CaptionMeaning`). */
  readonly meanings: ArrayLike<string | number>;
}

/** Options of {@link rPrecision}. */
export interface RPrecisionOptions {
  /** Captions each image is ranked among, its own included (default 100, AttnGAN's). */
  readonly candidates?: number;
  /** A hit is a rank ≤ r (default 1). */
  readonly r?: number;
  /** Names of images, true captions and pool in errors. */
  readonly names?: readonly [string, string, string];
}

/** The share of hits, each image's rank (1 = first), and the chance level r / candidates. */
export interface RPrecisionResult {
  readonly rPrecision: number;
  readonly n: number;
  readonly candidates: number;
  readonly r: number;
  readonly chance: number;
  readonly ranks: Uint32Array;
}

/**
 * A caption meaning as a key: the class and the named attributes in name order, e.g.
 * `7|slant=2|thickness=0`; two captions with the same key ask for the same image.
 */
export function meaningKey(m: CaptionMeaning): string {
  const attrs = Object.entries(m.attributes)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `|${k}=${v}`);
  return `${m.label}${attrs.join('')}`;
}

/**
 * R-precision of `images` (row i generated for caption row i of `captions`) against mismatches
 * drawn from `pool`. Draws, in image order: the pool rows whose meaning differs from image i's
 * caption, in row order, and `rng.choiceWithoutReplacement(count, candidates − 1)` of them
 * (numpy's `RandomState.choice(count, candidates − 1, replace=False)`), so a seeded numpy
 * script draws the same candidates.
 */
export function rPrecision(images: Matrix, captions: CaptionSet, pool: CaptionSet, rng: RandomState, opts: RPrecisionOptions = {}): RPrecisionResult {
  const candidates = opts.candidates ?? 100;
  const r = opts.r ?? 1;
  const [imgName, capName, poolName] = opts.names ?? ['images', 'captions', 'pool'];
  if (!Number.isInteger(candidates) || candidates < 2) throw usageError(`R-precision: candidates must be an integer ≥ 2, got ${candidates}`);
  if (!Number.isInteger(r) || r < 1 || r > candidates) throw usageError(`R-precision: r must be an integer in [1, ${candidates}], got ${r}`);
  checkPair(images, captions.embeddings, [imgName, capName]);
  checkPair(images, pool.embeddings, [imgName, poolName]);
  const n = images.rows;
  if (captions.embeddings.rows !== n) throw inputError(capName, `has ${captions.embeddings.rows} rows but ${imgName} has ${n} (one caption per image)`);
  if (captions.meanings.length !== n) throw inputError(capName, `has ${captions.meanings.length} meaning keys for ${n} captions`);
  const m = pool.embeddings.rows;
  if (pool.meanings.length !== m) throw inputError(poolName, `has ${pool.meanings.length} meaning keys for ${m} captions`);
  const d = images.cols;
  const [img, cap, cand] = [unitRows(images, imgName), unitRows(captions.embeddings, capName), unitRows(pool.embeddings, poolName)];
  const ranks = new Uint32Array(n);
  const eligible = new Uint32Array(m);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const key = captions.meanings[i];
    let count = 0;
    for (let j = 0; j < m; j++) if (pool.meanings[j] !== key) eligible[count++] = j;
    if (count < candidates - 1) {
      throw inputError(poolName, `has ${count} captions whose meaning differs from caption ${i}'s (${String(key)}); R-precision needs ${candidates - 1} mismatches per image`);
    }
    const own = rowDot(img, i, cap, i, d);
    let rank = 1;
    for (const t of rng.choiceWithoutReplacement(count, candidates - 1)) if (rowDot(img, i, cand, eligible[t]!, d) >= own) rank++;
    ranks[i] = rank;
    if (rank <= r) hits++;
  }
  return { rPrecision: hits / n, n, candidates, r, chance: r / candidates, ranks };
}
