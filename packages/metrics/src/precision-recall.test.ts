import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/metrics/metrics.json' with { type: 'json' };
import { GenEvalError } from './errors.js';
import { fromRows } from './matrix.js';
import { precisionRecall } from './precision-recall.js';
import { fromSpec } from './golden-spec.test-helper.js';

describe('precisionRecall (Kynkäänniemi 2019)', () => {
  it.each(golden.pr.map((c, i) => [i, c] as const))('matches the numpy/scipy golden values, case %i', async (_, c) => {
    const r = await precisionRecall(fromSpec(c.real), fromSpec(c.fake), { k: c.k });
    // Counts over a few hundred samples: any disagreement is off by ≥ 1/n, far above 1e-12.
    expect(Math.abs(r.precision - c.precision)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.recall - c.recall)).toBeLessThanOrEqual(1e-12);
    expect(r.k).toBe(c.k);
  });

  it('defaults to k = 3', async () => {
    const c = golden.pr[0]!;
    const r = await precisionRecall(fromSpec(c.real), fromSpec(c.fake));
    expect([r.k, r.precision, r.recall]).toEqual([3, c.precision, c.recall]);
  });

  it('counts a distance equal to the radius as inside (≤)', async () => {
    // k = 1 radii of 0,1,2,3 are all 1; the fake point 4 is exactly 1 from the real point 3.
    const real = fromRows([[0], [1], [2], [3]]);
    const fake = fromRows([[4], [4.5]]);
    const r = await precisionRecall(real, fake, { k: 1 });
    expect(r.precision).toBe(0.5);
    expect(r.recall).toBe(0); // the fake radius 0.5 reaches no real point
  });

  it('tight generated cluster inside a wide real cloud ⇒ precision high, recall low (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(10_000), fc.integer({ min: 2, max: 6 }), async (seed, d) => {
        const real = fromSpec({ seed, n: 150, d, scale: 1, shift: 0 });
        const fake = fromSpec({ seed: seed + 1, n: 100, d, scale: 0.05, shift: 0 });
        const r = await precisionRecall(real, fake);
        expect(r.precision).toBeGreaterThan(0.9);
        expect(r.recall).toBeLessThan(0.3);
        // Swapping the roles swaps the numbers: the convention is in the argument order.
        const swapped = await precisionRecall(fake, real);
        expect(swapped.precision).toBe(r.recall);
        expect(swapped.recall).toBe(r.precision);
      }),
      { numRuns: 8, seed: 5 },
    );
  });

  it('does not depend on the block size (property)', async () => {
    const c = golden.pr[0]!;
    const real = fromSpec({ ...c.real, n: 90 });
    const fake = fromSpec({ ...c.fake, n: 70 });
    const ref = await precisionRecall(real, fake);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100 }), async (blockRows) => {
        expect(await precisionRecall(real, fake, { blockRows })).toEqual(ref);
      }),
      { numRuns: 20, seed: 6 },
    );
  });

  it('rejects dimension mismatch and too few samples for k', async () => {
    const a = fromRows([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    await expect(precisionRecall(a, fromRows([[0], [1], [2], [3]]))).rejects.toThrow('real features have 2 dims but generated ones have 1');
    await expect(
      precisionRecall(
        a,
        fromRows([
          [0, 0],
          [1, 1],
          [2, 2],
        ]),
      ),
    ).rejects.toThrow('k = 3 needs at least 4 generated samples, found 3');
    await expect(precisionRecall(fromRows([[0, 0]]), a)).rejects.toThrow(GenEvalError);
    await expect(precisionRecall(a, a, { k: 0 })).rejects.toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
  });
});
