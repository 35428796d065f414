/**
 * k-nearest-neighbour estimate of KL(P ‖ Q) from samples (Wang, Kulkarni & Verdú 2009):
 *   D̂ = (d/n) Σ_i log(ν_k(i)/ρ_k(i)) + log(m/(n−1)),
 * ρ_k(i) = distance from x_i to its k-th nearest neighbour among the other x's, ν_k(i) = to its
 * k-th nearest y (n = |P|, m = |Q|, d = dimension).
 *
 * Duplicates: the estimator assumes continuous distributions, and an exact copy of x_i at
 * distance 0 would make the log infinite. We skip neighbours that are exactly equal to x_i (in
 * P and in Q alike), i.e. ρ and ν are the k-th nearest *distinct* points. With that rule
 * D̂(P ‖ P) = log(n/(n−1)) exactly, for any k. Points whose k-th distinct neighbour still comes
 * out at distance 0 (rows that differ below floating-point resolution) are left out of the
 * average and counted in `skipped`.
 */
import { DEFAULTS } from '../defaults.js';
import { inputError, usageError } from '../errors.js';
import { kNearestNeighbours } from '../knn.js';
import { selectRows, type Matrix } from '../matrix.js';
import { checkSamplePair, DEFAULT_NAMES, type InputNames } from './validate.js';

/** Options of `knnKl` (the k-nearest-neighbour KL estimator of Wang, Kulkarni and Verdú 2009). */
export interface KnnKlOptions {
  /** Neighbour order k ≥ 1 (default `DEFAULTS.knnKlK`). */
  k?: number;
  /** Rows per distance block; does not change results. */
  blockRows?: number;
  names?: InputNames;
}

/** The kNN estimate of KL(P ‖ Q) in nats, with the k used and the samples left out. */
export interface KnnKlResult {
  /** The estimate of KL(P ‖ Q) in nats. */
  readonly value: number;
  readonly k: number;
  /** Samples left out because a k-th distinct-neighbour distance was 0 (see the module notes). */
  readonly skipped: number;
  /** Rows of P with at least one exact duplicate in P or in Q. */
  readonly duplicates: number;
}

function rowsEqual(a: Matrix, i: number, b: Matrix, j: number): boolean {
  const d = a.cols;
  for (let t = 0; t < d; t++) if (a.data[i * d + t] !== b.data[j * d + t]) return false;
  return true;
}

/**
 * For every row of `queries`, the distance to its k-th nearest row of `refs` that is not exactly
 * equal to it (NaN where `refs` has fewer than k such rows), and whether it had an exact copy.
 */
async function kthDistinct(queries: Matrix, refs: Matrix, k: number, blockRows: number | undefined, same: boolean): Promise<{ dist: Float64Array; dup: Uint8Array }> {
  const n = queries.rows;
  const dist = new Float64Array(n).fill(NaN);
  const dup = new Uint8Array(n);
  let pending: number[] = Array.from({ length: n }, (_, i) => i);
  let K = Math.min(k + 1, refs.rows);
  // Ask for a few more neighbours than k; rows with many exact copies retry with twice as many.
  for (;;) {
    const q = pending.length === n ? queries : selectRows(queries, pending);
    const nn = await kNearestNeighbours(q, refs, K, { blockRows });
    const retry: number[] = [];
    pending.forEach((qi, r) => {
      let found = 0;
      for (let t = 0; t < K; t++) {
        const j = nn.indices[r * K + t]!;
        if (rowsEqual(queries, qi, refs, j)) {
          if (!same || j !== qi) dup[qi] = 1; // a copy other than the sample itself
          continue;
        }
        if (++found === k) {
          dist[qi] = nn.distances[r * K + t]!;
          return;
        }
      }
      if (K < refs.rows) retry.push(qi);
    });
    if (retry.length === 0 || K === refs.rows) break;
    pending = retry;
    K = Math.min(2 * K, refs.rows);
  }
  return { dist, dup };
}

/** kNN estimate of KL(P ‖ Q) in nats, from the rows of `p` and `q` (see the module notes). */
export async function knnKl(p: Matrix, q: Matrix, opts: KnnKlOptions = {}): Promise<KnnKlResult> {
  const names = opts.names ?? DEFAULT_NAMES;
  const k = opts.k ?? DEFAULTS.knnKlK;
  if (!Number.isInteger(k) || k < 1) throw usageError(`k must be a positive integer, got ${k}`);
  checkSamplePair(p, q, names);
  const n = p.rows;
  const m = q.rows;
  if (k >= n) throw inputError(names[0], `k = ${k} needs more than k samples (k < n), found ${n}`);
  if (k > m) throw inputError(names[1], `k = ${k} needs at least k samples, found ${m}`);
  // Self is an exact copy of itself, so searching P among P with copies skipped excludes it too.
  const rho = await kthDistinct(p, p, k, opts.blockRows, true);
  const nu = await kthDistinct(p, q, k, opts.blockRows, false);
  let sum = 0;
  let used = 0;
  let duplicates = 0;
  for (let i = 0; i < n; i++) {
    if (rho.dup[i] || nu.dup[i]) duplicates++;
    const r = rho.dist[i]!;
    const v = nu.dist[i]!;
    if (Number.isNaN(r)) throw inputError(names[0], `has fewer than k = ${k} distinct samples other than row ${i} (too many duplicates)`);
    if (Number.isNaN(v)) throw inputError(names[1], `has fewer than k = ${k} samples distinct from row ${i} of ${names[0]} (too many duplicates)`);
    if (!(r > 0) || !(v > 0)) continue;
    sum += Math.log(v / r);
    used++;
  }
  if (used === 0) throw inputError(names[0], 'every sample has a k-th neighbour at distance 0; the kNN estimate is undefined');
  const value = (p.cols / used) * sum + Math.log(m / (n - 1));
  return { value, k, skipped: n - used, duplicates };
}
