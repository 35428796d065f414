import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GaussianAccumulator, gaussianStats, type GaussianStats } from './gaussian-stats.js';
import type { Matrix } from './matrix.js';
import { RandomState } from './random.js';
import { expectClose } from './testing/expect.js';

function sample(seed: number, n: number, d: number, offset = 0, f32 = false): Matrix {
  const rs = new RandomState(seed);
  const z = rs.normals(n * d);
  const mix = rs.normals(d);
  const x = new Float64Array(n * d);
  // Correlated columns: x_j = z_j + mix_j·z_0 + offset.
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = z[i * d + j]! + mix[j]! * z[i * d]! + offset;
  return { rows: n, cols: d, data: f32 ? Float32Array.from(x) : x };
}

/** Independent reference: the two-pass textbook algorithm, one entry at a time. */
function twoPass(x: Matrix): { mu: number[]; sigma: number[] } {
  const { rows: n, cols: d, data } = x;
  const mu = Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[i * d + j]!;
    return s / n;
  });
  const sigma: number[] = [];
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (data[i * d + a]! - mu[a]!) * (data[i * d + b]! - mu[b]!);
      sigma.push(s / (n - 1));
    }
  return { mu, sigma };
}

async function inBatches(x: Matrix, sizes: number[], blockRows?: number): Promise<GaussianAccumulator> {
  const acc = new GaussianAccumulator(x.cols, blockRows === undefined ? {} : { blockRows });
  let r0 = 0;
  for (let i = 0; r0 < x.rows; i++) {
    const rows = Math.min(sizes[i % sizes.length]!, x.rows - r0);
    await acc.add({ rows, cols: x.cols, data: x.data.subarray(r0 * x.cols, (r0 + rows) * x.cols) });
    r0 += rows;
  }
  return acc;
}

function expectStatsClose(a: GaussianStats, b: GaussianStats, tol: number): void {
  expect(a.n).toBe(b.n);
  expectClose(a.mu, b.mu, { rel: tol, relTo: 'max' });
  expectClose(a.sigma, b.sigma, { rel: tol, relTo: 'max' });
}

describe('GaussianAccumulator', () => {
  it('equals the two-pass reference (mean, covariance with ddof 1), float32 and float64', async () => {
    for (const f32 of [false, true]) {
      const x = sample(1, 300, 7, 0, f32);
      const s = await gaussianStats(x);
      const ref = twoPass(x);
      expectClose(s.mu, ref.mu, { rel: 1e-13, relTo: 'max' });
      expectClose(s.sigma, ref.sigma, { rel: 1e-13, relTo: 'max' });
      expect(s.n).toBe(300);
      expect(s.dims).toBe(7);
    }
  });

  it('does not cancel catastrophically with a large offset (1e8 against unit spread)', async () => {
    const x = sample(2, 1000, 4, 1e8);
    const s = await gaussianStats(x, { blockRows: 128 });
    const ref = twoPass(x);
    expectClose(s.sigma, ref.sigma, { rel: 1e-12, relTo: 'max' });
    expectClose(s.mu, ref.mu, { rel: 1e-14, relTo: 'max' }); // the reference sums 1000 values near 1e8 naively
    // The naive Σx² − n·x̄² is off by orders of magnitude here (why we merge centred scatters).
    let sx = 0;
    let sxx = 0;
    for (let i = 0; i < 1000; i++) {
      sx += x.data[i * 4]!;
      sxx += x.data[i * 4]! ** 2;
    }
    expect(Math.abs((sxx - (sx * sx) / 1000) / 999 - ref.sigma[0]!)).toBeGreaterThan(1e-3);
  });

  it('does not depend on batch sizes or block size (property, 1e-12 relative)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 2, max: 120 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 64 }),
        async (seed, d, n, sizes, blockRows) => {
          const x = sample(seed, n, d, 3);
          const once = await gaussianStats(x);
          expectStatsClose((await inBatches(x, sizes, blockRows)).result(), once, 1e-12);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('merging shard accumulators equals computing at once (any split, any merge order)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
        async (seed, d, shardSizes) => {
          const n = shardSizes.reduce((a, b) => a + b, 0) + 2;
          const x = sample(seed, n, d, -2);
          const shards: GaussianAccumulator[] = [];
          let r0 = 0;
          for (const [i, size] of [...shardSizes, 2].entries()) {
            shards.push(await inBatches({ rows: size, cols: d, data: x.data.subarray(r0 * d, (r0 + size) * d) }, [1 + i]));
            r0 += size;
          }
          const forward = shards.reduce((a, s) => a.merge(s), new GaussianAccumulator(d));
          const backward = [...shards].reverse().reduce((a, s) => a.merge(s), new GaussianAccumulator(d));
          const once = await gaussianStats(x);
          expectStatsClose(forward.result(), once, 1e-12);
          expectStatsClose(backward.result(), once, 1e-12);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('uses onnxruntime and column blocks for large inputs with the same result (d = 600, 1000 rows)', async () => {
    const d = 600;
    const x = sample(5, 1000, d);
    const s = await gaussianStats(x, { blockRows: 400 });
    const r = await inBatches(x, [7, 93, 250]);
    expectStatsClose(r.result(), s, 1e-12);
    const ref = twoPass({ rows: 60, cols: d, data: x.data.subarray(0, 60 * d) });
    expectClose((await gaussianStats({ rows: 60, cols: d, data: x.data.subarray(0, 60 * d) })).sigma, ref.sigma, { rel: 1e-12, relTo: 'max' });
  });

  it('returns an exactly symmetric covariance and ignores empty batches', async () => {
    const acc = new GaussianAccumulator(5);
    await acc.add({ rows: 0, cols: 5, data: new Float64Array(0) });
    await acc.add(sample(6, 40, 5));
    const { sigma } = acc.result();
    for (let i = 0; i < 5; i++) for (let j = 0; j < i; j++) expect(sigma[i * 5 + j]).toBe(sigma[j * 5 + i]);
    expect(acc.count).toBe(40);
  });

  it('rejects wrong widths, merges across dims and covariances of fewer than 2 samples', async () => {
    const acc = new GaussianAccumulator(3);
    await expect(acc.add(sample(1, 4, 2))).rejects.toThrow(/2 columns, expected 3/);
    expect(() => acc.merge(new GaussianAccumulator(4))).toThrow(/cannot merge 4 dims into 3/);
    await acc.add(sample(1, 1, 3));
    expect(() => acc.result()).toThrow(/at least 2 samples, have 1/);
    expect(() => new GaussianAccumulator(0)).toThrow(/positive integer/);
  });
});
