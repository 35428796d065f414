/**
 * Sliced Wasserstein distance between point clouds: the 1-D Wasserstein distance of the two
 * sets projected on random unit directions, averaged over directions:
 *   SW_p = ( mean_θ W_p^p(θ·P, θ·Q) )^{1/p}.
 * Directions follow POT's `sliced_wasserstein_distance`: a d × L standard-normal matrix drawn from
 * `RandomState(seed)` with each column normalised, so with the same seed our directions are POT's.
 */
import { DEFAULTS } from '../defaults.js';
import { gemmABt } from '../linalg/gemm.js';
import type { Matrix } from '../matrix.js';
import { RandomState } from '../random.js';
import { checkPositiveInt, checkSamplePair, DEFAULT_NAMES, type InputNames } from './validate.js';
import { wassersteinPowSorted } from './wasserstein-1d.js';
import { usageError } from '../errors.js';

/** Options of `slicedWasserstein` (POT's defaults: 50 directions, p = 2). */
export interface SlicedWassersteinOptions {
  /** Number of random directions L (default `DEFAULTS.slicedProjections`). */
  projections?: number;
  /** Order p, 1 or 2 (default `DEFAULTS.slicedP`, POT's 2). */
  p?: 1 | 2;
  /** Seed of the directions (numpy RandomState stream; default `DEFAULTS.slicedSeed`). */
  seed?: number;
  /** Cap on the projected values held at once (default 2²⁴); does not change results. */
  maxValues?: number;
  names?: InputNames;
}

/** Sliced Wasserstein distance SW_p (not raised to p) with the projections and seed used. */
export interface SlicedWassersteinResult {
  readonly value: number;
  readonly p: 1 | 2;
  readonly projections: number;
  readonly seed: number;
}

/**
 * `count` random unit directions in `dims` dimensions as a count × dims matrix (row j = direction j),
 * drawn as numpy's `rs.randn(dims, count)` (C order) with each column normalised.
 */
export function randomDirections(rs: RandomState, dims: number, count: number): Matrix {
  const g = rs.normals(dims * count); // g[t·count + j] = component t of direction j
  const data = new Float64Array(count * dims);
  for (let j = 0; j < count; j++) {
    let s = 0;
    for (let t = 0; t < dims; t++) s += g[t * count + j]! ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let t = 0; t < dims; t++) data[j * dims + t] = g[t * count + j]! * inv;
  }
  return { rows: count, cols: dims, data };
}

/** Column c of a row-major rows × cols block, sorted ascending. */
function sortedColumn(block: Float64Array, rows: number, cols: number, c: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = block[i * cols + c]!;
  return out.sort();
}

/**
 * Σ over directions of W_p^p between the projections of P and Q, directions processed in chunks
 * so that at most `maxValues` projected values are held at once.
 */
export async function sumProjectedWassersteinPow(P: Matrix, Q: Matrix, dirs: Matrix, p: number, maxValues = 1 << 24): Promise<number> {
  const chunk = Math.max(1, Math.min(dirs.rows, Math.floor(maxValues / (P.rows + Q.rows))));
  let total = 0;
  for (let start = 0; start < dirs.rows; start += chunk) {
    const count = Math.min(chunk, dirs.rows - start);
    const d: Matrix = { rows: count, cols: dirs.cols, data: dirs.data.subarray(start * dirs.cols, (start + count) * dirs.cols) };
    const pp = await gemmABt(P, d);
    const qp = await gemmABt(Q, d);
    for (let c = 0; c < count; c++) {
      total += wassersteinPowSorted(sortedColumn(pp, P.rows, count, c), sortedColumn(qp, Q.rows, count, c), p);
    }
  }
  return total;
}

/** Sliced Wasserstein distance SW_p between two point clouds (rows are points). */
export async function slicedWasserstein(P: Matrix, Q: Matrix, opts: SlicedWassersteinOptions = {}): Promise<SlicedWassersteinResult> {
  checkSamplePair(P, Q, opts.names ?? DEFAULT_NAMES);
  const projections = opts.projections ?? DEFAULTS.slicedProjections;
  const p = opts.p ?? DEFAULTS.slicedP;
  const seed = opts.seed ?? DEFAULTS.slicedSeed;
  checkPositiveInt(projections, 'projections');
  if (p !== 1 && p !== 2) throw usageError(`p must be 1 or 2, got ${String(p)}`);
  const dirs = randomDirections(new RandomState(seed), P.cols, projections);
  const mean = (await sumProjectedWassersteinPow(P, Q, dirs, p, opts.maxValues)) / projections;
  return { value: p === 1 ? mean : Math.sqrt(mean), p, projections, seed };
}
