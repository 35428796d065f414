import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/metrics/metrics.json' with { type: 'json' };
import { GenEvalError } from './errors.js';
import { forEachDistanceBlock, forEachDistanceTile, kNearestNeighbours, kthNeighbourDistances, nearestNeighbour } from './knn.js';
import { fromRows, type Matrix } from './matrix.js';
import { RandomState } from './random.js';
import { fromSpec } from './golden-spec.test-helper.js';
import { expectClose, GOLDEN_TOLERANCE } from './testing/expect.js';

/** Independent reference: direct Σ(x−y)² per pair, then a full sort per row. */
function bruteKnn(q: Matrix, r: Matrix, k: number, excludeSelf = false): { d: number[][]; idx: number[][] } {
  const d: number[][] = [];
  const idx: number[][] = [];
  for (let i = 0; i < q.rows; i++) {
    const row: [number, number][] = [];
    for (let j = 0; j < r.rows; j++) {
      if (excludeSelf && i === j) continue;
      let s = 0;
      for (let t = 0; t < q.cols; t++) s += (q.data[i * q.cols + t]! - r.data[j * r.cols + t]!) ** 2;
      row.push([Math.sqrt(s), j]);
    }
    row.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    d.push(row.slice(0, k).map((x) => x[0]));
    idx.push(row.slice(0, k).map((x) => x[1]));
  }
  return { d, idx };
}

describe('k-NN against scipy (golden)', () => {
  const g = golden.knn;
  const x = fromSpec(g.x);
  const y = fromSpec(g.y);

  it('k-th neighbour radii within one set (k = 3, self excluded)', async () => {
    const got = await kthNeighbourDistances(x, x, 3, { excludeSelf: true, blockRows: 64 });
    got.forEach((v, i) => expectClose(v, g.selfK3[i]!, GOLDEN_TOLERANCE));
  });

  it('k-th neighbour across sets (k = 2) and the nearest neighbour', async () => {
    const got = await kthNeighbourDistances(x, y, 2);
    got.forEach((v, i) => expectClose(v, g.crossK2[i]!, GOLDEN_TOLERANCE));
    const nn = await nearestNeighbour(x, y, { blockRows: 37 });
    expect(Array.from(nn.index)).toEqual(g.nearestIndex);
    nn.distance.forEach((v, i) => expectClose(v, g.nearestDistance[i]!, GOLDEN_TOLERANCE));
  });
});

function gaussian(rs: RandomState, n: number, dim: number, shift = 0): Matrix {
  const data = rs.normals(n * dim);
  for (let i = 0; i < data.length; i++) data[i]! += shift;
  return { rows: n, cols: dim, data };
}

describe('kNearestNeighbours', () => {
  const rs = new RandomState(7);
  const x = gaussian(rs, 57, 6);
  const y = gaussian(rs, 41, 6, 0.3);

  it('matches a brute-force search across sets (distances and indices)', async () => {
    const got = await kNearestNeighbours(x, y, 4, { blockRows: 16 });
    const want = bruteKnn(x, y, 4);
    for (let i = 0; i < x.rows; i++) {
      for (let j = 0; j < 4; j++) {
        expect(got.distances[i * 4 + j]).toBeCloseTo(want.d[i]![j]!, 12);
        expect(got.indices[i * 4 + j]).toBe(want.idx[i]![j]);
      }
    }
  });

  it('excludes self by index within one set', async () => {
    const got = await kthNeighbourDistances(x, x, 3, { excludeSelf: true, blockRows: 10 });
    const want = bruteKnn(x, x, 3, true);
    got.forEach((v, i) => expect(v).toBeCloseTo(want.d[i]![2]!, 12));
  });

  it('counts an exact duplicate as a neighbour at distance 0, but never the sample itself', async () => {
    const m = fromRows([
      [0, 0],
      [0, 0],
      [3, 4],
      [10, 0],
    ]);
    const { index, distance } = await nearestNeighbour(m, m, { excludeSelf: true });
    expect(Array.from(index)).toEqual([1, 0, 0, 2]);
    expect(Array.from(distance)).toEqual([0, 0, 5, Math.sqrt(49 + 16)]);
  });

  it('breaks ties by the lower reference index', async () => {
    const q = fromRows([[0, 0]]);
    const r = fromRows([
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
      [2, 0],
    ]);
    const got = await kNearestNeighbours(q, r, 3, { blockRows: 2 });
    expect(Array.from(got.indices)).toEqual([0, 1, 2]);
    expect(Array.from(got.distances)).toEqual([1, 1, 1]);
  });

  it('does not depend on the block size (property)', async () => {
    const n = 23;
    const base = gaussian(new RandomState(3), n, 5);
    const ref = await kNearestNeighbours(base, base, 5, { excludeSelf: true, blockRows: 1024 });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 5 }), async (block, k) => {
        const got = await kNearestNeighbours(base, base, k, { excludeSelf: true, blockRows: block });
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < k; j++) {
            expect(got.distances[i * k + j]).toBe(ref.distances[i * 5 + j]);
            expect(got.indices[i * k + j]).toBe(ref.indices[i * 5 + j]);
          }
        }
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('breaks ties by index on heavily tied data, one set or two, any block size (property)', async () => {
    const points = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), { minLength: 6, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(points, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 12 }), async (pts, k, blockRows) => {
        const m = fromRows(pts);
        const want = bruteKnn(m, m, k, true);
        // The same object takes the symmetric (upper-tile) path; a copy takes the full grid.
        const copy = { ...m, data: m.data.slice() };
        for (const refs of [m, copy]) {
          const got = await kNearestNeighbours(m, refs, k, { excludeSelf: true, blockRows });
          expect(Array.from(got.indices)).toEqual(want.idx.flat());
          expect(Array.from(got.distances)).toEqual(want.d.flat());
        }
      }),
      { numRuns: 150, seed: 12 },
    );
  });

  it('gives the same neighbours at onnxruntime sizes for any block size, distances to rounding', async () => {
    // 500 × 500 × 256 products run on onnxruntime (when installed), whose summation order depends
    // on the tile shape; indices must agree exactly and distances to ~1e-15 relative.
    const big = gaussian(new RandomState(9), 500, 256);
    const ref = await kNearestNeighbours(big, big, 3, { excludeSelf: true });
    for (const blockRows of [64, 200, 37]) {
      const got = await kNearestNeighbours(big, big, 3, { excludeSelf: true, blockRows });
      expect(got.indices).toEqual(ref.indices);
      got.distances.forEach((v, i) => expect(Math.abs(v - ref.distances[i]!)).toBeLessThanOrEqual(1e-13 * ref.distances[i]!));
    }
  });

  it('rejects k ≥ n, dimension mismatch and bad options with clear messages', async () => {
    const m = fromRows([[0], [1], [2]]);
    await expect(kthNeighbourDistances(m, m, 3, { excludeSelf: true })).rejects.toThrow(GenEvalError);
    await expect(kthNeighbourDistances(m, m, 3, { excludeSelf: true })).rejects.toThrow('k = 3 needs at least 4 reference samples');
    await expect(kthNeighbourDistances(m, m, 4)).rejects.toThrow('k = 4 needs at least 4 reference samples, found 3');
    await expect(kthNeighbourDistances(m, fromRows([[0, 1]]), 1)).rejects.toThrow('queries have 1 dims but references have 2');
    await expect(kthNeighbourDistances(m, m, 0)).rejects.toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    await expect(kthNeighbourDistances(m, m, 1.5)).rejects.toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    await expect(kthNeighbourDistances(m, fromRows([[0], [1]]), 1, { excludeSelf: true })).rejects.toThrow(/same set/);
    await expect(kthNeighbourDistances(m, m, 1, { blockRows: 0 })).rejects.toThrow(/blockRows/);
  });

  it('keeps float32 inputs exact to float32 rounding of the inputs', async () => {
    const q = { rows: 2, cols: 2, data: new Float32Array([0, 0, 1, 1]) };
    const d = await kthNeighbourDistances(q, q, 1, { excludeSelf: true });
    expect(Array.from(d)).toEqual([Math.SQRT2, Math.SQRT2]);
  });
});

describe('forEachDistanceBlock / forEachDistanceTile', () => {
  const rs = new RandomState(5);
  const x = gaussian(rs, 19, 3);
  const y = gaussian(rs, 13, 3);

  it('visits every distance row exactly once, in order, for any block size', async () => {
    const want = bruteKnn(x, y, y.rows);
    for (const block of [1, 4, 19, 100]) {
      const seen: number[] = [];
      await forEachDistanceBlock(
        x,
        y,
        (start, count, dist) => {
          expect(dist.length).toBe(count * y.rows);
          for (let i = 0; i < count; i++) {
            seen.push(start + i);
            const sorted = Array.from(dist.subarray(i * y.rows, (i + 1) * y.rows)).sort((a, b) => a - b);
            sorted.forEach((v, j) => expect(v).toBeCloseTo(want.d[start + i]![j]!, 12));
          }
        },
        block,
      );
      expect(seen).toEqual(Array.from({ length: x.rows }, (_, i) => i));
    }
  });

  it('tiles cover the query × reference grid exactly once', async () => {
    const hits = new Uint8Array(x.rows * y.rows);
    await forEachDistanceTile(
      x,
      y,
      (qs, qc, rs2, rc, tile) => {
        expect(tile.length).toBe(qc * rc);
        for (let i = 0; i < qc; i++) for (let j = 0; j < rc; j++) hits[(qs + i) * y.rows + rs2 + j]! += 1;
      },
      { blockRows: 5 },
    );
    expect(hits.every((h) => h === 1)).toBe(true);
  });
});
