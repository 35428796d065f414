import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomState } from '../random.js';
import { nuclearNorm, singularValues, traceSqrtFromEigenvalues } from './nuclear-norm.js';
import { maxDiff, withSingularValues } from './test-matrices.js';

describe('singularValues / nuclearNorm', () => {
  it('recover known singular values of wide and tall matrices (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 1e6 }), async (m, n, seed) => {
        const rs = new RandomState(seed);
        const k = Math.min(m, n);
        const sigma = Float64Array.from({ length: k }, () => 0.1 + rs.random() * 5)
          .sort()
          .reverse();
        const c = withSingularValues(m, n, sigma, seed);
        const got = await singularValues({ data: c, rows: m, cols: n });
        expect(maxDiff(got, sigma)).toBeLessThan(1e-12 * 5);
        const sum = sigma.reduce((a, b) => a + b, 0);
        expect(await nuclearNorm({ data: c, rows: m, cols: n })).toBeCloseTo(sum, 11);
      }),
      { numRuns: 30 },
    );
  });

  it('is exact for rank-deficient matrices (zero singular values)', async () => {
    const sigma = [4, 2, 0, 0, 0];
    const c = withSingularValues(5, 9, sigma, 3);
    expect(await nuclearNorm({ data: c, rows: 5, cols: 9 })).toBeCloseTo(6, 7);
  });

  it('traceSqrtFromEigenvalues clamps rounding negatives to zero', () => {
    expect(traceSqrtFromEigenvalues(Float64Array.of(4, 9, -1e-17, 0))).toBe(5);
  });
});
