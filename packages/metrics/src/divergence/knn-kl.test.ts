import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/divergence/divergence.json' with { type: 'json' };
import { fromRows, type Matrix } from '../matrix.js';
import { RandomState } from '../random.js';
import { knnKl } from './knn-kl.js';

const rel = (got: number, want: number, tol = 1e-9) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want));
function randn(seed: number, n: number, d: number, scale = 1, shift = 0): Matrix {
  const data = new RandomState(seed).normals(n * d).map((v) => v * scale + shift);
  return { rows: n, cols: d, data };
}

describe('knnKl (Wang–Kulkarni–Verdú)', () => {
  it('matches the golden values of divergence.json for k = 1 and 2', async () => {
    const X = fromRows(golden.tiny.X);
    const Y = fromRows(golden.tiny.Y);
    rel((await knnKl(X, Y, { k: 1 })).value, golden.tiny.knn_kl['1']);
    rel((await knnKl(X, Y, { k: 2 })).value, golden.tiny.knn_kl['2']);
  });

  it('matches the scipy reference with exact duplicates in P and across P and Q (k = 1, 3, 5)', async () => {
    const p = randn(11, 300, 3);
    p.data.copyWithin(20 * 3, 0, 10 * 3); // P[20:30] = P[0:10]
    const q = randn(12, 250, 3, 1.2, 0.3);
    q.data.set(p.data.subarray(3 * 3, 4 * 3), 5 * 3); // Q[5] = P[3]
    for (const k of [1, 3, 5] as const) {
      const r = await knnKl(p, q, { k, blockRows: 64 });
      rel(r.value, golden.knn_kl[k]);
      expect(r).toMatchObject({ k, skipped: 0, duplicates: 20 });
    }
  });

  it('2 000 samples of N(0, I₂) vs N((.5,.5), I₂) land within 0.1 of the true KL 0.25', async () => {
    const g = golden.knn_kl_gauss;
    const p = randn(21, 2000, 2);
    const q = randn(22, 2000, 2, 1, 0.5);
    for (const k of [1, 5] as const) {
      const v = (await knnKl(p, q, { k })).value;
      rel(v, g[k]);
      expect(Math.abs(v - g.truth)).toBeLessThan(0.1);
    }
  });

  it('KL of a set with itself is exactly its bias log(n/(n−1)), duplicates included (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 4, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        async (seed, n, k, dups) => {
          // Every row needs k distinct other samples (n − dups distinct points in all); fewer is an error, tested below.
          fc.pre(n - dups - 1 >= k);
          const x = randn(seed, n, 2);
          for (let i = 0; i < dups; i++) x.data.copyWithin(2 * (n - 1 - i), 2 * i, 2 * i + 2);
          const copy = { ...x, data: Float64Array.from(x.data) };
          const r = await knnKl(x, copy, { k });
          expect(r.value).toBeCloseTo(Math.log(n / (n - 1)), 12);
          expect(r.skipped).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rejects k ≥ n, mismatched dimensions, empty sets, and sets with too few distinct samples', async () => {
    const names = ['p.npy', 'q.npy'] as const;
    const x = randn(1, 5, 2);
    await expect(knnKl(x, randn(2, 8, 2), { k: 5, names })).rejects.toThrow(/^p\.npy: k = 5 needs more than k samples \(k < n\), found 5$/);
    await expect(knnKl(x, randn(2, 3, 2), { k: 4, names })).rejects.toThrow(/^q\.npy: k = 4 needs at least k samples, found 3$/);
    await expect(knnKl(x, randn(2, 8, 3), { names })).rejects.toThrow(/^q\.npy: has 3 dimensions but p\.npy has 2 \(mismatched dimensions\)$/);
    await expect(knnKl({ rows: 0, cols: 2, data: new Float64Array(0) }, x, { names })).rejects.toThrow(/^p\.npy: is empty/);
    const allSame = fromRows([
      [1, 1],
      [1, 1],
      [1, 1],
      [2, 2],
    ]);
    await expect(knnKl(allSame, x, { k: 2, names })).rejects.toThrow(/^p\.npy: has fewer than k = 2 distinct samples/);
  });
});
