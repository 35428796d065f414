import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/divergence/divergence.json' with { type: 'json' };
import precise from '../../../../fixtures/golden/divergence/sinkhorn.json' with { type: 'json' };
import { GenEvalError } from '../errors.js';
import { fromRows, type Matrix } from '../matrix.js';
import { RandomState } from '../random.js';
import { sinkhornDivergence } from './sinkhorn.js';

/** numpy: RandomState(seed).random_sample((n, d)) * scale + shift */
function uniform(seed: number, n: number, d: number, scale = 1, shift = 0): Matrix {
  const rs = new RandomState(seed);
  return { rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => rs.random() * scale + shift) };
}

describe('sinkhornDivergence', () => {
  const x = uniform(71, 30, 2);
  const y = uniform(72, 25, 2, 0.8, 0.3);

  it('agrees with the float64 numpy log-domain reference to 1e-6 at ε = 0.1, 0.01, 0.0025 (p = 2) and 0.05 (p = 1)', async () => {
    for (const c of golden.sinkhorn.cases) {
      const r = await sinkhornDivergence(x, y, { epsilon: c.epsilon, p: c.p as 1 | 2 });
      expect(r.converged).toBe(true);
      expect(r).toMatchObject({ epsilon: c.epsilon, p: c.p });
      expect(Math.abs(r.value - c.value)).toBeLessThanOrEqual(1e-6 * Math.abs(c.value));
    }
  });

  it('reaches the same fixed point without annealing, and with costs recomputed per block', async () => {
    const ref = await sinkhornDivergence(x, y, { epsilon: 0.0025 });
    const plain = await sinkhornDivergence(x, y, { epsilon: 0.0025, annealing: false });
    const blocked = await sinkhornDivergence(x, y, { epsilon: 0.0025, maxCachedCosts: 10 });
    expect(Math.abs(plain.value - ref.value)).toBeLessThan(1e-8);
    expect(blocked.value).toBe(ref.value);
    // Annealing exists to save iterations of the (slowest) two-sided problem at small ε.
    expect(ref.iterations.xy).toBeLessThan(plain.iterations.xy);
  });

  it('reports non-convergence instead of hiding it', async () => {
    const r = await sinkhornDivergence(x, y, { epsilon: 0.0025, maxIterations: 3, annealing: false });
    expect(r.converged).toBe(false);
  });

  it('is exactly 0 on a set with itself, symmetric and non-negative (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 2, max: 12 }), fc.double({ min: 0.01, max: 1, noNaN: true }), async (seed, n, eps) => {
        const a = uniform(seed, n, 3);
        const b = uniform(seed + 1, n + 2, 3, 1.5, 0.2);
        const copy = { rows: a.rows, cols: a.cols, data: Float64Array.from(a.data) };
        expect((await sinkhornDivergence(a, a, { epsilon: eps })).value).toBe(0);
        expect((await sinkhornDivergence(a, copy, { epsilon: eps })).value).toBe(0);
        const ab = (await sinkhornDivergence(a, b, { epsilon: eps })).value;
        const ba = (await sinkhornDivergence(b, a, { epsilon: eps })).value;
        expect(Math.abs(ab - ba)).toBeLessThan(1e-8);
        expect(ab).toBeGreaterThanOrEqual(0);
        // A set against a rounding-level perturbation of itself: never below 0.
        const near = { rows: a.rows, cols: a.cols, data: a.data.map((v, i) => v + 1e-9 * ((i % 3) - 1)) };
        expect((await sinkhornDivergence(a, near, { epsilon: eps })).value).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 25 },
    );
  });

  it('S(X, X) = 0 exactly on 3-D Gaussians (was −1.3e-7 at ε = 0.0025)', async () => {
    const rs = new RandomState(1);
    const g: Matrix = { rows: 200, cols: 3, data: Float64Array.from(rs.normals(600)) };
    for (const epsilon of [0.0025, 0.05, 1]) {
      const r = await sinkhornDivergence(g, g, { epsilon });
      expect(r.value).toBe(0);
      expect(r.ot.xy).toBe(r.ot.xx);
    }
  });

  describe('across ε: the mpmath reference (40 + log10 ε digits; POT-checked at ε ≤ 1) and the ε → ∞ limit', () => {
    const px = uniform(101, 12, 3);
    const py = uniform(102, 10, 3, 1.5, 0.4);
    it('matches to 1e-10 relative at tolerance 1e-13, from ε = 0.5 to 1e300 (was off by 3e-3 at 1e12, ×1e286 at 1e300)', async () => {
      for (const c of precise.cases) {
        const r = await sinkhornDivergence(px, py, { epsilon: c.epsilon, p: c.p as 1 | 2, tolerance: 1e-13 });
        expect(r.converged).toBe(true);
        expect(Math.abs(r.value - c.value), `ε = ${c.epsilon}, p = ${c.p}`).toBeLessThanOrEqual(1e-10 * c.value);
      }
    });
    it('at the default tolerance 1e-6: within 1e-6·(largest cost ≈ 3)', async () => {
      for (const c of precise.cases) {
        const r = await sinkhornDivergence(px, py, { epsilon: c.epsilon, p: c.p as 1 | 2 });
        expect(Math.abs(r.value - c.value), `ε = ${c.epsilon}`).toBeLessThanOrEqual(3e-6);
      }
    });
    it('S_ε → ½‖mean(x) − mean(y)‖² (p = 2) as ε → ∞', async () => {
      let half = 0;
      for (let j = 0; j < 3; j++) {
        let d = 0;
        for (let i = 0; i < px.rows; i++) d += px.data[i * 3 + j]! / px.rows;
        for (let i = 0; i < py.rows; i++) d -= py.data[i * 3 + j]! / py.rows;
        half += 0.5 * d * d;
      }
      expect(Math.abs(half - precise.limit.p2)).toBeLessThan(1e-14);
      for (const epsilon of [1e16, 1e100, 1e300, Number.MAX_VALUE]) {
        const r = await sinkhornDivergence(px, py, { epsilon });
        expect(Math.abs(r.value - half), `ε = ${epsilon}`).toBeLessThanOrEqual(1e-12 * half);
      }
    });
  });

  it('refuses ε below 2⁻⁵²·(largest cost)/tolerance (exit 2, naming the bound) instead of printing Infinity', async () => {
    for (const epsilon of [1e-300, 1e-12]) {
      const err = await sinkhornDivergence(x, y, { epsilon }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GenEvalError);
      expect((err as GenEvalError).code).toBe('usage');
      expect((err as Error).message).toMatch(
        /^sinkhorn: ε = 1e-(300|12) is below \d\.\d\de-10, the smallest usable value for these samples \(2⁻⁵² × largest cost [\d.]+ \/ tolerance 0\.000001\)/,
      );
    }
    // Just above the bound it computes (and a looser tolerance lowers the bound).
    expect((await sinkhornDivergence(x, y, { epsilon: 1e-12, tolerance: 1e-3, maxIterations: 5 })).value).toBeGreaterThan(0);
  });

  it('rejects mismatched dimensions, empty sets and bad options', async () => {
    const names = ['p.npy', 'q.npy'] as const;
    await expect(sinkhornDivergence(x, fromRows([[1, 2, 3]]), { names })).rejects.toThrow(/^q\.npy: has 3 dimensions but p\.npy has 2/);
    await expect(sinkhornDivergence({ rows: 0, cols: 2, data: new Float64Array(0) }, y, { names })).rejects.toThrow(/^p\.npy: is empty/);
    await expect(sinkhornDivergence(x, y, { epsilon: 0 })).rejects.toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
  });
});
