import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/divergence/divergence.json' with { type: 'json' };
import { fromRows, type Matrix } from '../matrix.js';
import { RandomState } from '../random.js';
import { randomDirections, slicedWasserstein } from './sliced-wasserstein.js';

const rel = (got: number, want: number, tol = 1e-9) => expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.abs(want));
/** numpy: RandomState(seed).standard_normal((n, d)) * scale + shift */
function randn(seed: number, n: number, d: number, scale = 1, shift = 0): Matrix {
  const data = new RandomState(seed).normals(n * d).map((v) => v * scale + shift);
  return { rows: n, cols: d, data };
}

describe('slicedWasserstein', () => {
  const p = randn(51, 100, 4);
  const q = randn(52, 80, 4, 1.3, 0.4);
  const qEq = randn(53, 100, 4, 1.3, 0.4);
  const g = golden.sliced;

  it('matches the numpy reference (POT conventions) for p = 1 and 2, equal and unequal sizes', async () => {
    const o = { projections: g.projections, seed: g.seed };
    rel((await slicedWasserstein(p, q, { ...o, p: 1 })).value, g.p1);
    rel((await slicedWasserstein(p, q, { ...o, p: 2 })).value, g.p2);
    rel((await slicedWasserstein(p, qEq, { ...o, p: 1 })).value, g.p1_equal);
    rel((await slicedWasserstein(p, qEq, { ...o, p: 2 })).value, g.p2_equal);
  });

  it('records its parameters, and the direction chunking does not change the value', async () => {
    const full = await slicedWasserstein(p, q, { projections: 20, seed: 7, p: 2 });
    expect(full).toMatchObject({ p: 2, projections: 20, seed: 7 });
    const chunked = await slicedWasserstein(p, q, { projections: 20, seed: 7, p: 2, maxValues: 200 });
    expect(chunked.value).toBe(full.value);
  });

  it('directions are unit vectors, reproducible from the seed', () => {
    const a = randomDirections(new RandomState(3), 5, 7);
    const b = randomDirections(new RandomState(3), 5, 7);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    for (let j = 0; j < 7; j++) {
      let s = 0;
      for (let t = 0; t < 5; t++) s += a.data[j * 5 + t]! ** 2;
      expect(s).toBeCloseTo(1, 14);
    }
  });

  it('is 0 on a set with itself, symmetric, and a translation by c moves SW₂ by at most |c| (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 4 }), async (seed, n, d) => {
        const a = randn(seed, n, d);
        const b = randn(seed + 1, n + 3, d, 2);
        const o = { projections: 8, seed };
        expect((await slicedWasserstein(a, a, o)).value).toBe(0);
        const ab = (await slicedWasserstein(a, b, o)).value;
        expect(Math.abs(ab - (await slicedWasserstein(b, a, o)).value)).toBeLessThanOrEqual(1e-12 * (1 + ab));
        const shifted = { ...a, data: a.data.map((v) => v + 0.5) };
        expect((await slicedWasserstein(a, shifted, o)).value).toBeLessThanOrEqual(0.5 * Math.sqrt(d) + 1e-12);
      }),
      { numRuns: 30 },
    );
  });

  it('rejects mismatched dimensions and empty sets', async () => {
    const names = ['p.npy', 'q.npy'] as const;
    await expect(slicedWasserstein(fromRows([[1, 2]]), fromRows([[1]]), { names })).rejects.toThrow(/^q\.npy: has 1 dimensions but p\.npy has 2 \(mismatched dimensions\)$/);
    await expect(slicedWasserstein({ rows: 0, cols: 2, data: new Float64Array(0) }, fromRows([[1, 1]]), { names })).rejects.toThrow(/^p\.npy: is empty/);
  });
});
