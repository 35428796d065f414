import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/divergence/divergence.json' with { type: 'json' };
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

  it('is 0 on a set with itself, symmetric and non-negative (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 2, max: 12 }), fc.double({ min: 0.05, max: 1, noNaN: true }), async (seed, n, eps) => {
        const a = uniform(seed, n, 2);
        const b = uniform(seed + 1, n + 2, 2, 1.5, 0.2);
        expect(Math.abs((await sinkhornDivergence(a, a, { epsilon: eps })).value)).toBeLessThan(1e-9);
        const ab = (await sinkhornDivergence(a, b, { epsilon: eps })).value;
        const ba = (await sinkhornDivergence(b, a, { epsilon: eps })).value;
        expect(Math.abs(ab - ba)).toBeLessThan(1e-8);
        expect(ab).toBeGreaterThan(-1e-9);
      }),
      { numRuns: 25 },
    );
  });

  it('rejects mismatched dimensions, empty sets and bad options', async () => {
    const names = ['p.npy', 'q.npy'] as const;
    await expect(sinkhornDivergence(x, fromRows([[1, 2, 3]]), { names })).rejects.toThrow(/^q\.npy: has 3 dimensions but p\.npy has 2/);
    await expect(sinkhornDivergence({ rows: 0, cols: 2, data: new Float64Array(0) }, y, { names })).rejects.toThrow(/^p\.npy: is empty/);
    await expect(sinkhornDivergence(x, y, { epsilon: 0 })).rejects.toThrow(RangeError);
  });
});
