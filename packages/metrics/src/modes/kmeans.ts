/**
 * k-means (Lloyd's iterations) with seeded k-means++ initialisation (Arthur & Vassilvitskii 2007):
 * the first centre uniformly, each next one with probability ∝ D(x)², the squared distance to the
 * nearest chosen centre, all draws from our numpy-compatible RandomState. Assignment steps use the
 * blocked exact nearest-neighbour search (ties → lower centre index); centres are float64 means
 * accumulated in row order, so results depend on the seed only, not on block sizes.
 * An emptied cluster keeps its previous centre.
 */
import { DEFAULTS } from '../defaults.js';
import { inputError, usageError } from '../errors.js';
import { nearestNeighbour } from '../knn.js';
import type { Matrix } from '../matrix.js';
import { RandomState } from '../random.js';

/** Options of `kMeans`: k (required), seed of k-means++, iteration cap. */
export interface KMeansOptions {
  k: number;
  seed?: number;
  /** Lloyd iteration cap (default `DEFAULTS.kmeansMaxIterations`). */
  maxIterations?: number;
  /** Rows per distance block; does not change results. */
  blockRows?: number;
  name?: string;
}

/** k-means centres, assignments and convergence. */
export interface KMeansResult {
  /** k × d centres (float64). */
  readonly centres: Matrix;
  /** Nearest centre of each row under the final centres. */
  readonly assignments: Uint32Array;
  readonly iterations: number;
  /** True when an iteration left every assignment unchanged. */
  readonly converged: boolean;
  /** Σ squared distance of each row to its centre. */
  readonly inertia: number;
}

function sqDist(x: Matrix, i: number, c: Float64Array, j: number): number {
  const d = x.cols;
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = x.data[i * d + t]! - c[j * d + t]!;
    s += v * v;
  }
  return s;
}

/** k-means++ seeding: k row indices of `x`, as centres. */
export function kMeansPlusPlus(x: Matrix, k: number, rs: RandomState, name = 'samples'): Float64Array {
  const n = x.rows;
  const d = x.cols;
  const centres = new Float64Array(k * d);
  const first = rs.interval(n - 1);
  centres.set(x.data.subarray(first * d, (first + 1) * d), 0);
  const best = new Float64Array(n);
  for (let i = 0; i < n; i++) best[i] = sqDist(x, i, centres, 0);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += best[i]!;
    if (!(total > 0)) throw inputError(name, `has fewer than k = ${k} distinct samples; k-means needs k distinct points`);
    // Inverse-CDF draw over D²; the last positive row absorbs rounding at the top end.
    const r = rs.random() * total;
    let acc = 0;
    let pick = -1;
    for (let i = 0; i < n; i++) {
      if (best[i]! <= 0) continue;
      pick = i;
      acc += best[i]!;
      if (r < acc) break;
    }
    centres.set(x.data.subarray(pick * d, (pick + 1) * d), c * d);
    for (let i = 0; i < n; i++) {
      const v = sqDist(x, i, centres, c);
      if (v < best[i]!) best[i] = v;
    }
  }
  return centres;
}

/** Seeded k-means++ then Lloyd iterations until no assignment changes (or the cap). */
export async function kMeans(x: Matrix, opts: KMeansOptions): Promise<KMeansResult> {
  const { k } = opts;
  const name = opts.name ?? 'samples';
  if (!Number.isInteger(k) || k < 1) throw usageError(`k must be a positive integer, got ${k}`);
  if (x.rows < k) throw inputError(name, `has ${x.rows} samples, fewer than the k = ${k} clusters`);
  const maxIterations = opts.maxIterations ?? DEFAULTS.kmeansMaxIterations;
  const rs = new RandomState(opts.seed ?? DEFAULTS.ndbSeed);
  const d = x.cols;
  const centres: Matrix = { rows: k, cols: d, data: kMeansPlusPlus(x, k, rs, name) };
  let assignments: Uint32Array = new Uint32Array(x.rows).fill(k); // k = "none yet", so the first pass always changes
  let iterations = 0;
  let converged = false;
  for (;;) {
    const { index } = await nearestNeighbour(x, centres, { blockRows: opts.blockRows });
    let changed = false;
    for (let i = 0; i < x.rows; i++)
      if (index[i] !== assignments[i]) {
        changed = true;
        break;
      }
    assignments = index;
    if (!changed) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;
    iterations++;
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < x.rows; i++) {
      const c = assignments[i]!;
      counts[c]!++;
      for (let t = 0; t < d; t++) sums[c * d + t]! += x.data[i * d + t]!;
    }
    const data = centres.data as Float64Array;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue;
      for (let t = 0; t < d; t++) data[c * d + t] = sums[c * d + t]! / counts[c]!;
    }
  }
  let inertia = 0;
  for (let i = 0; i < x.rows; i++) inertia += sqDist(x, i, centres.data as Float64Array, assignments[i]!);
  return { centres, assignments, iterations, converged, inertia };
}
