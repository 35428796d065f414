import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/divergence/divergence.json' with { type: 'json' };
import { RandomState } from '../random.js';
import { wasserstein1d, wassersteinPowSorted } from './wasserstein-1d.js';

const rel = (got: number, want: number, tol = 1e-9) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want));
const round1 = (v: number) => Math.round(v * 10) / 10;
const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 25 });

describe('wasserstein1d (exact W₁, scipy.stats.wasserstein_distance)', () => {
  it('matches scipy on the golden examples of divergence.json', () => {
    const [plain, weighted] = golden.tiny.w1;
    expect(wasserstein1d(plain!.u, plain!.v)).toBe(plain!.value);
    rel(wasserstein1d(weighted!.u, weighted!.v, { uWeights: weighted!.uw!, vWeights: weighted!.vw! }), weighted!.value);
  });

  it('matches scipy on seeded samples with ties, plain and weighted', () => {
    // np.round(x, 1) = rint(10x)/10 rounds halves to even, Math.round up; random normals never hit a half.
    const u = Array.from(new RandomState(41).normals(60), round1);
    const v = Array.from(new RandomState(42).normals(45), (x) => round1(x * 2 + 1));
    const uw = Array.from(
      { length: 60 },
      (
        (rs) => () =>
          rs.random()
      )(new RandomState(43)),
    );
    const vw = Array.from(
      { length: 45 },
      (
        (rs) => () =>
          rs.random()
      )(new RandomState(44)),
    );
    rel(wasserstein1d(u, v), golden.w1.plain);
    rel(wasserstein1d(u, v, { uWeights: uw, vWeights: vw }), golden.w1.weighted);
  });

  it('is a metric on 1-D samples: zero on itself, symmetric, triangle inequality (property)', () => {
    fc.assert(
      fc.property(sample, sample, sample, (a, b, c) => {
        expect(wasserstein1d(a, a)).toBe(0);
        const ab = wasserstein1d(a, b);
        expect(Math.abs(ab - wasserstein1d(b, a))).toBeLessThanOrEqual(1e-9 * (1 + ab));
        expect(ab).toBeLessThanOrEqual(wasserstein1d(a, c) + wasserstein1d(c, b) + 1e-9 * (1 + ab));
      }),
    );
  });

  it('equals the quantile form W₁ = ∫|F⁻¹ − G⁻¹| for equal weights (property)', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const sa = Float64Array.from(a).sort();
        const sb = Float64Array.from(b).sort();
        const w = wasserstein1d(a, b);
        expect(Math.abs(wassersteinPowSorted(sa, sb, 1) - w)).toBeLessThanOrEqual(1e-9 * (1 + w));
      }),
    );
  });

  it('shifting a sample by c moves W₁ by |c| and integer weights act like repeats', () => {
    expect(wasserstein1d([1, 2, 3], [4, 5, 6])).toBeCloseTo(3, 14);
    expect(wasserstein1d([0, 1], [0, 1, 1, 1])).toBeCloseTo(wasserstein1d([0, 1], [0, 1], { vWeights: [1, 3] }), 15);
  });

  it('rejects empty samples, non-finite values and bad weights', () => {
    expect(() => wasserstein1d([], [1], { names: ['p.npy', 'q.npy'] })).toThrow(/^p\.npy: is empty/);
    expect(() => wasserstein1d([1], [NaN], { names: ['p.npy', 'q.npy'] })).toThrow(/^q\.npy: NaN at index 0/);
    expect(() => wasserstein1d([1, 2], [1], { uWeights: [1], names: ['p.npy', 'q.npy', 'pw.npy'] })).toThrow(/^pw\.npy: has 1 weights for 2 samples/);
    expect(() => wasserstein1d([1, 2], [1], { uWeights: [1, -1] })).toThrow(/weight 1 is -1/);
    expect(() => wasserstein1d([1, 2], [1], { uWeights: [0, 0] })).toThrow(/weights sum to 0/);
  });
});

describe('wassersteinPowSorted (W_p^p of equally weighted samples)', () => {
  it('matches the closed form on unequal sizes', () => {
    // F⁻¹ of [0, 1] vs [0, 0, 3]: on (0,1/3] 0 vs 0; (1/3,1/2] 0 vs 0; (1/2,2/3] 1 vs 0; (2/3,1] 1 vs 3.
    expect(wassersteinPowSorted([0, 1], [0, 0, 3], 1)).toBeCloseTo(1 / 6 + (1 / 3) * 2, 15);
    expect(wassersteinPowSorted([0, 1], [0, 0, 3], 2)).toBeCloseTo(1 / 6 + (1 / 3) * 4, 15);
  });
});
