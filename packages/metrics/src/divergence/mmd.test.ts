import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/divergence/divergence.json' with { type: 'json' };
import { fromRows, type Matrix } from '../matrix.js';
import { RandomState } from '../random.js';
import { mmdUnbiased } from './mmd.js';
import { medianPairwiseDistance } from './pairwise-median.js';

const rel = (got: number, want: number, tol = 1e-9) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want));
function randn(seed: number, n: number, d: number, scale = 1, shift = 0): Matrix {
  const data = new RandomState(seed).normals(n * d).map((v) => v * scale + shift);
  return { rows: n, cols: d, data };
}

describe('mmdUnbiased', () => {
  const t = golden.tiny;
  const X = fromRows(t.X);
  const Y = fromRows(t.Y);

  it('matches the golden values of divergence.json (σ = 1, median heuristic, KID polynomial kernel)', async () => {
    rel((await mmdUnbiased(X, Y, { sigma: 1 })).value, t.mmd_gauss_1);
    const med = await mmdUnbiased(X, Y, { sigma: 'median' });
    rel(med.value, t.mmd_gauss_median);
    rel(med.sigma!, t.median_sigma);
    expect(med.sigmaRule).toBe('median');
    const poly = await mmdUnbiased(X, Y, { kernel: 'polynomial' });
    rel(poly.value, t.mmd_poly);
    expect(poly).toMatchObject({ kernel: 'polynomial', degree: 3, coef0: 1, gamma: 0.5 });
  });

  it('matches numpy/scipy on seeded sets of 200 and 150 samples', async () => {
    const g = golden.mmd;
    const x = randn(31, 200, 5);
    const y = randn(32, 150, 5, 1.1, 0.2);
    rel((await mmdUnbiased(x, y, { sigma: 1.5 })).value, g['gauss_1.5']);
    const med = await mmdUnbiased(x, y);
    expect(med.sigmaRule).toBe('median');
    rel(med.sigma!, g.median_sigma);
    rel(med.value, g.gauss_median);
    rel((await mmdUnbiased(x, y, { kernel: 'polynomial' })).value, g.poly);
    // Block size does not change the value.
    expect((await mmdUnbiased(x, y, { sigma: 1.5, blockRows: 7 })).value).toBe((await mmdUnbiased(x, y, { sigma: 1.5 })).value);
  });

  it('MMD² of a set with itself lies in its bias bound [−2·max k(x,x)/(m−1), 0] (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 2, max: 25 }), fc.integer({ min: 1, max: 4 }), async (seed, m, d) => {
        const x = randn(seed, m, d);
        const g = (await mmdUnbiased(x, x, { sigma: 1 })).value;
        expect(g).toBeLessThanOrEqual(1e-12);
        expect(g).toBeGreaterThanOrEqual(-2 / (m - 1) - 1e-12);
        const poly = (await mmdUnbiased(x, x, { kernel: 'polynomial' })).value;
        let maxDiag = 0;
        for (let i = 0; i < m; i++) {
          let s = 0;
          for (let t2 = 0; t2 < d; t2++) s += x.data[i * d + t2]! ** 2;
          maxDiag = Math.max(maxDiag, (s / d + 1) ** 3);
        }
        expect(poly).toBeLessThanOrEqual(1e-9 * maxDiag);
        expect(poly).toBeGreaterThanOrEqual((-2 * maxDiag) / (m - 1) - 1e-9 * maxDiag);
      }),
      { numRuns: 40 },
    );
  });

  it('is symmetric in its two inputs (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000 }), async (seed) => {
        const a = randn(seed, 9, 3);
        const b = randn(seed + 1, 6, 3, 1.5);
        for (const opts of [{ sigma: 0.7 }, { kernel: 'polynomial' as const }, {}]) {
          const ab = (await mmdUnbiased(a, b, opts)).value;
          expect(Math.abs(ab - (await mmdUnbiased(b, a, opts)).value)).toBeLessThanOrEqual(1e-12);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('rejects mismatched dimensions, sets with fewer than 2 samples, and a zero median', async () => {
    const names = ['p.npy', 'q.npy'] as const;
    await expect(
      mmdUnbiased(
        X,
        fromRows([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        { names },
      ),
    ).rejects.toThrow(/^q\.npy: has 3 dimensions but p\.npy has 2/);
    await expect(mmdUnbiased(X, fromRows([[1, 2]]), { names })).rejects.toThrow(/^q\.npy: needs at least 2 samples, found 1$/);
    const same = fromRows([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    await expect(mmdUnbiased(same, same, { names })).rejects.toThrow(/median pairwise distance is 0/);
    await expect(mmdUnbiased(X, Y, { sigma: -1 })).rejects.toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
  });
});

describe('medianPairwiseDistance', () => {
  /** Direct reference: every pair distance by Σ(x−y)², sorted. */
  function bruteMedian(z: Matrix): number {
    const v: number[] = [];
    for (let i = 0; i < z.rows; i++) {
      for (let j = i + 1; j < z.rows; j++) {
        let s = 0;
        for (let t = 0; t < z.cols; t++) s += (z.data[i * z.cols + t]! - z.data[j * z.cols + t]!) ** 2;
        v.push(Math.sqrt(s));
      }
    }
    v.sort((a, b) => a - b);
    return 0.5 * (v[Math.floor((v.length - 1) / 2)]! + v[Math.floor(v.length / 2)]!);
  }

  it('narrowing passes give the same median as collecting everything (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 2, max: 40 }), fc.integer({ min: 2, max: 16 }), fc.boolean(), async (seed, n, bins, ties) => {
        let z = randn(seed, n, 2);
        if (ties) z = { ...z, data: z.data.map((v) => Math.round(v)) };
        const want = bruteMedian(z);
        const all = await medianPairwiseDistance(z);
        const narrowed = await medianPairwiseDistance(z, { maxCollect: 3, bins, blockRows: 5 });
        expect(Math.abs(all - want)).toBeLessThanOrEqual(1e-12 * (1 + want));
        expect(narrowed).toBe(all);
      }),
      { numRuns: 60 },
    );
  });
});
