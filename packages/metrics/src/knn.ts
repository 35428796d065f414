/**
 * Exact Euclidean nearest-neighbour search in row blocks: memory O(block × block) for the
 * neighbour queries and O(block × N) for `forEachDistanceBlock`, never N × N.
 *
 * Distances use ‖x‖² + ‖y‖² − 2·x·y with the cross term from `gemmABt` (the GEMM-shaped bulk of
 * the work), clamped at 0 before the square root — the same route as sklearn's
 * `euclidean_distances`, which the reference PR/PRDC code uses.
 *
 * Tiles form a fixed grid anchored at row 0 (side `blockRows`, default
 * `DEFAULTS.distanceBlockRows`), so a given input always gives bit-identical results. Each
 * distance depends only on its two rows, so the block size changes nothing but rounding: with
 * the plain-JS product, not even that (each dot product is summed in the same order whatever the
 * tile); onnxruntime's MatMul (used for large tiles) sums in a shape-dependent order, so another
 * block size can move a squared distance by summation-order rounding (measured ≤ 2.3e-13 on
 * unit-normal rows with ‖x‖² ≈ 2048, i.e. ~1e-16 relative) — which changes a neighbour or a
 * count only on ties closer than that.
 */
import { DEFAULTS } from './defaults.js';
import { GenEvalError, internalError, usageError } from './errors.js';
import { gemmABt } from './linalg/gemm.js';
import type { Matrix } from './matrix.js';

/** Options shared by the neighbour searches. */
export interface KnnOptions {
  /**
   * Queries and refs are the same set (row i of `queries` is row i of `refs`): a sample is
   * never its own neighbour. Excluded by index, so duplicates of a sample still count.
   */
  excludeSelf?: boolean;
  /** Rows per tile side (default `DEFAULTS.distanceBlockRows`): memory, not results (see the module note on rounding). */
  blockRows?: number;
}

/** The k nearest neighbours of each query, row-major n × k, nearest first. */
export interface KNearest {
  readonly k: number;
  /** distances[i·k + j]: distance from query i to its (j+1)-th nearest reference. */
  readonly distances: Float64Array;
  /** indices[i·k + j]: the row of that reference (ties: lower index first). */
  readonly indices: Uint32Array;
}

/**
 * Called once per tile with the distances from queries [qStart, qStart+qCount) to refs
 * [rStart, rStart+rCount), row-major qCount × rCount. The array is owned by the caller of the
 * visitor only for the duration of the call.
 */
export type TileVisitor = (qStart: number, qCount: number, rStart: number, rCount: number, dist: Float64Array) => void;

/** Cap on the bytes of one `forEachDistanceBlock` block when the caller gives no block size. */
export const DISTANCE_BLOCK_BYTES = 64 * 1024 * 1024;

/** ‖row‖² of every row, accumulated in float64. */
export function squaredNorms(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  const { data, cols } = m;
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    const o = i * cols;
    for (let t = 0; t < cols; t++) {
      const v = data[o + t]!;
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}

/** Rows [start, start+count) as a matrix view (no copy). */
function rowView(m: Matrix, start: number, count: number): Matrix {
  return { rows: count, cols: m.cols, data: m.data.subarray(start * m.cols, (start + count) * m.cols) };
}

function checkDims(queries: Matrix, refs: Matrix): void {
  if (queries.cols !== refs.cols) {
    throw new GenEvalError(`nearest neighbours: queries have ${queries.cols} dims but references have ${refs.cols}`);
  }
}

function checkBlockRows(blockRows: number | undefined): number {
  const b = blockRows ?? DEFAULTS.distanceBlockRows;
  if (!Number.isInteger(b) || b < 1) throw usageError(`blockRows must be a positive integer, got ${b}`);
  return b;
}

/**
 * Visits every (query block × reference block) tile of Euclidean distances, query blocks in
 * order and, within each, reference blocks in order. Memory: one tile, blockRows² float64.
 * With `upper` (queries and refs the same matrix) only tiles on or above the block diagonal are
 * visited; the caller uses the transposes of the off-diagonal ones.
 */
export async function forEachDistanceTile(queries: Matrix, refs: Matrix, visit: TileVisitor, opts: { blockRows?: number; upper?: boolean } = {}): Promise<void> {
  checkDims(queries, refs);
  const block = checkBlockRows(opts.blockRows);
  if (opts.upper && queries !== refs) throw internalError('forEachDistanceTile: `upper` needs queries and refs to be the same matrix');
  const qn = squaredNorms(queries);
  const rn = queries === refs ? qn : squaredNorms(refs);
  for (let qs = 0; qs < queries.rows; qs += block) {
    const qc = Math.min(block, queries.rows - qs);
    const qv = rowView(queries, qs, qc);
    for (let rs = opts.upper ? qs : 0; rs < refs.rows; rs += block) {
      const rc = Math.min(block, refs.rows - rs);
      const d = await gemmABt(qv, rowView(refs, rs, rc));
      for (let i = 0; i < qc; i++) {
        const a = qn[qs + i]!;
        const o = i * rc;
        for (let j = 0; j < rc; j++) {
          // Cancellation can push the squared distance of (near-)identical rows below 0.
          const s = a + rn[rs + j]! - 2 * d[o + j]!;
          d[o + j] = s > 0 ? Math.sqrt(s) : 0;
        }
      }
      visit(qs, qc, rs, rc, d);
    }
  }
}

/**
 * Visits blocks of full distance rows: `dist` is count × refs.rows (row-major), the distances
 * from queries [start, start+count) to every reference. Memory O(blockRows × refs.rows); without
 * an explicit block size, blocks are capped at `DISTANCE_BLOCK_BYTES`.
 * @param blockRows a number, or `{ blockRows }`.
 */
export async function forEachDistanceBlock(
  queries: Matrix,
  refs: Matrix,
  visit: (start: number, count: number, dist: Float64Array) => void,
  blockRows?: number | { blockRows?: number },
): Promise<void> {
  checkDims(queries, refs);
  const given = typeof blockRows === 'number' ? blockRows : blockRows?.blockRows;
  const rowsCap = Math.max(1, Math.floor(DISTANCE_BLOCK_BYTES / (8 * Math.max(refs.rows, 1))));
  const block = checkBlockRows(given ?? Math.min(DEFAULTS.distanceBlockRows, rowsCap));
  const n = refs.rows;
  let buf = new Float64Array(0);
  await forEachDistanceTile(
    queries,
    refs,
    (qs, qc, rs, rc, tile) => {
      if (rs === 0) buf = new Float64Array(qc * n);
      for (let i = 0; i < qc; i++) buf.set(tile.subarray(i * rc, (i + 1) * rc), i * n + rs);
      if (rs + rc === n) visit(qs, qc, buf);
    },
    { blockRows: block },
  );
  // With no references there are no tiles; the rows still exist, with no distances.
  if (n === 0) for (let s = 0; s < queries.rows; s += block) visit(s, Math.min(block, queries.rows - s), new Float64Array(0));
}

function checkK(k: number, queries: Matrix, refs: Matrix, excludeSelf: boolean): void {
  if (!Number.isInteger(k) || k < 1) throw usageError(`k must be a positive integer, got ${k}`);
  if (excludeSelf && queries.rows !== refs.rows) {
    throw usageError(`excludeSelf needs queries and references to be the same set (${queries.rows} vs ${refs.rows} rows)`);
  }
  const available = refs.rows - (excludeSelf ? 1 : 0);
  if (k > available) {
    const need = k + (excludeSelf ? 1 : 0);
    throw new GenEvalError(`k = ${k} needs at least ${need} reference samples${excludeSelf ? ' (a sample is not its own neighbour)' : ''}, found ${refs.rows}`);
  }
}

/**
 * The k nearest references of every query (exact, Euclidean), nearest first; ties keep the
 * lower reference index first. Memory O(n·k + blockRows²).
 * @throws GenEvalError when there are fewer than k references (k + 1 with `excludeSelf`).
 */
export async function kNearestNeighbours(queries: Matrix, refs: Matrix, k: number, opts: KnnOptions = {}): Promise<KNearest> {
  const excludeSelf = opts.excludeSelf ?? false;
  checkDims(queries, refs);
  checkK(k, queries, refs, excludeSelf);
  const distances = new Float64Array(queries.rows * k).fill(Infinity);
  const indices = new Uint32Array(queries.rows * k);
  /** Offers reference `r` at distance `d` to query `q`'s sorted list of k. */
  const offer = (q: number, r: number, d: number) => {
    const base = q * k;
    const last = base + k - 1;
    // Candidates reach each query in increasing index order, so `<` keeps earlier indices ahead on ties.
    if (!(d < distances[last]!)) return;
    let p = last;
    while (p > base && distances[p - 1]! > d) {
      distances[p] = distances[p - 1]!;
      indices[p] = indices[p - 1]!;
      p--;
    }
    distances[p] = d;
    indices[p] = r;
  };
  // Within one set the distance matrix is symmetric: visit only the tiles on and above the
  // diagonal and use each below-diagonal tile's transpose (a third less GEMM work for PR/PRDC).
  const symmetric = excludeSelf && queries === refs;
  await forEachDistanceTile(
    queries,
    refs,
    (qs, qc, rs, rc, tile) => {
      for (let i = 0; i < qc; i++) {
        const q = qs + i;
        const o = i * rc;
        for (let j = 0; j < rc; j++) if (!excludeSelf || rs + j !== q) offer(q, rs + j, tile[o + j]!);
      }
      // The transpose serves rows rs.. with candidates qs.. — earlier tiles than their own, so
      // each row still sees its candidates in increasing index order.
      if (symmetric && rs !== qs) for (let j = 0; j < rc; j++) for (let i = 0; i < qc; i++) offer(rs + j, qs + i, tile[i * rc + j]!);
    },
    { blockRows: opts.blockRows, upper: symmetric },
  );
  return { k, distances, indices };
}

/**
 * Distance from each query to its k-th nearest reference (k = 1: the nearest). With
 * `excludeSelf`, the k-th neighbour among the other samples of the same set — what
 * Kynkäänniemi et al. and Naeem et al. call the radius (their code takes the (k+1)-th value
 * including the zero self-distance, which is the same number).
 */
export async function kthNeighbourDistances(queries: Matrix, refs: Matrix, k: number, opts: KnnOptions = {}): Promise<Float64Array> {
  const { distances } = await kNearestNeighbours(queries, refs, k, opts);
  if (k === 1) return distances;
  const out = new Float64Array(queries.rows);
  for (let i = 0; i < queries.rows; i++) out[i] = distances[i * k + k - 1]!;
  return out;
}

/** The nearest reference of each query: its row index (lowest on ties) and distance. */
export async function nearestNeighbour(queries: Matrix, refs: Matrix, opts: KnnOptions = {}): Promise<{ index: Uint32Array; distance: Float64Array }> {
  const { distances, indices } = await kNearestNeighbours(queries, refs, 1, opts);
  return { index: indices, distance: distances };
}
