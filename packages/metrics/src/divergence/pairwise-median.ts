/**
 * Exact median of the pairwise Euclidean distances {‖z_i − z_j‖ : i < j} of one sample set, in
 * bounded memory. Small sets collect every distance; large ones narrow the range with value
 * histograms first (each pass recomputes the distances in row blocks), then collect only the
 * distances in the bins that hold the middle ranks. Even counts average the two middle values,
 * as `numpy.median` does.
 */
import { inputError } from '../errors.js';
import { forEachDistanceBlock } from '../knn.js';
import type { Matrix } from '../matrix.js';

/** Options of `medianPairwiseDistance` (memory caps; none changes the result). */
export interface PairwiseMedianOptions {
  /** Most distances held in memory at once (default 2²²). */
  maxCollect?: number;
  /** Bins per narrowing pass (default 4096). */
  bins?: number;
  /** Rows per distance block (default: knn's choice). */
  blockRows?: number;
  /** Name for error messages. */
  name?: string;
}

type PairVisitor = (v: number) => void;

/** Calls `visit` with every distance of a pair i < j, in a fixed order. */
async function forEachPair(z: Matrix, visit: PairVisitor, blockRows: number | undefined): Promise<void> {
  const n = z.rows;
  await forEachDistanceBlock(
    z,
    z,
    (start, count, dist) => {
      for (let r = 0; r < count; r++) {
        const i = start + r;
        for (let j = i + 1; j < n; j++) visit(dist[r * n + j]!);
      }
    },
    blockRows,
  );
}

/** Mean of the values at 0-based ranks r1 ≤ r2 of an unsorted array. */
function pickRanks(values: Float64Array, r1: number, r2: number): number {
  values.sort();
  return 0.5 * (values[r1]! + values[r2]!);
}

/** Median pairwise distance of the rows of `z` (needs at least 2 rows). */
export async function medianPairwiseDistance(z: Matrix, opts: PairwiseMedianOptions = {}): Promise<number> {
  const n = z.rows;
  if (n < 2) throw inputError(opts.name ?? 'samples', `the median heuristic needs at least 2 samples, found ${n}`);
  const maxCollect = opts.maxCollect ?? 1 << 22;
  const B = opts.bins ?? 4096;
  const total = (n * (n - 1)) / 2;
  const r1 = Math.floor((total - 1) / 2);
  const r2 = Math.floor(total / 2);
  let lo = -Infinity;
  let hi = Infinity;
  let below = 0; // pairs with distance < lo
  let inRange = total;
  while (inRange > maxCollect) {
    // One histogram pass over [lo, hi]: bin counts and each bin's min and max value.
    let vmin = Infinity;
    let vmax = -Infinity;
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      await forEachPair(
        z,
        (v) => {
          if (v < vmin) vmin = v;
          if (v > vmax) vmax = v;
        },
        opts.blockRows,
      );
      lo = vmin;
      hi = vmax;
    }
    if (lo === hi) return lo;
    const counts = new Float64Array(B);
    const mins = new Float64Array(B).fill(Infinity);
    const maxs = new Float64Array(B).fill(-Infinity);
    const scale = B / (hi - lo);
    const L = lo;
    const H = hi;
    await forEachPair(
      z,
      (v) => {
        if (v < L || v > H) return;
        const b = Math.min(B - 1, Math.floor((v - L) * scale));
        counts[b]!++;
        if (v < mins[b]!) mins[b] = v;
        if (v > maxs[b]!) maxs[b] = v;
      },
      opts.blockRows,
    );
    // Bins holding ranks r1 and r2; bin index is monotone in the value, so [min of b1, max of b2]
    // holds exactly the values of bins b1..b2.
    let acc = below;
    let b1 = -1;
    let b2 = -1;
    let belowB1 = below;
    for (let b = 0; b < B; b++) {
      const next = acc + counts[b]!;
      if (b1 < 0 && r1 < next) {
        b1 = b;
        belowB1 = acc;
      }
      if (r2 < next) {
        b2 = b;
        break;
      }
      acc = next;
    }
    // Ranks r1 and r2 = r1 + 1 in different bins: r1 is the largest value of its bin and r2 the
    // smallest of the next non-empty one.
    if (b1 !== b2) return 0.5 * (maxs[b1]! + mins[b2]!);
    const count = counts[b1]!;
    below = belowB1;
    lo = mins[b1]!;
    hi = maxs[b2]!;
    inRange = count;
    if (lo === hi) return lo;
  }
  const collected = new Float64Array(inRange);
  let k = 0;
  const L = lo;
  const H = hi;
  await forEachPair(
    z,
    (v) => {
      if (v >= L && v <= H) collected[k++] = v;
    },
    opts.blockRows,
  );
  return pickRanks(collected, r1 - below, r2 - below);
}
