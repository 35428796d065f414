import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/metrics/metrics.json' with { type: 'json' };
import { fromRows } from './matrix.js';
import { prdc } from './prdc.js';
import { fromSpec } from './golden-spec.test-helper.js';
import { expectClose, GOLDEN_TOLERANCE } from './testing/expect.js';

describe('prdc (Naeem 2020)', () => {
  it.each(golden.prdc.map((c, i) => [i, c] as const))('matches the numpy/scipy golden values, case %i', async (_, c) => {
    const r = await prdc(fromSpec(c.real), fromSpec(c.fake), { k: c.k });
    expectClose(r.precision, c.precision, GOLDEN_TOLERANCE);
    expectClose(r.recall, c.recall, GOLDEN_TOLERANCE);
    expectClose(r.density, c.density, GOLDEN_TOLERANCE);
    expectClose(r.coverage, c.coverage, GOLDEN_TOLERANCE);
  });

  it('defaults to k = 5', async () => {
    const c = golden.prdc[0]!;
    const r = await prdc(fromSpec(c.real), fromSpec(c.fake));
    expect(r.k).toBe(5);
    expectClose(r.density, c.density, GOLDEN_TOLERANCE);
  });

  it('uses strict < at the radius (a point on a ball boundary is outside)', async () => {
    // k = 1 radii of 0,1,2,3 are all 1; the fake point 4 is exactly 1 from the real point 3.
    const real = fromRows([[0], [1], [2], [3]]);
    const r = await prdc(real, fromRows([[4], [4.5]]), { k: 1 });
    expect([r.precision, r.density, r.coverage]).toEqual([0, 0, 0]);
    const inside = await prdc(real, fromRows([[2.5], [2.6]]), { k: 1 });
    // 2.5 and 2.6 are each in the balls of 2 and 3 ⇒ density 2, coverage 2/4.
    expect([inside.precision, inside.density, inside.coverage]).toEqual([1, 2, 0.5]);
  });

  // The published oracle (clovaai README): real, fake ~ N(0, I), 10 000 × 1000-d, k = 5 ⇒
  // density ≈ 1.06, coverage ≈ 0.97, P ≈ R ≈ 0.47 for one unseeded draw; density moves by ±0.07
  // between draws at that size (see gen_metrics.py). The golden script computes our seeded draw
  // with --oracle; the TypeScript route takes minutes at that size, so CI runs it on the
  // 1 200 × 64-d copy of the same setting (last golden case), the full size with GEN_EVAL_SLOW=1.
  it.runIf(process.env.GEN_EVAL_SLOW === '1')(
    'reproduces the 10 000 × 1000-d N(0, I) oracle (slow)',
    async () => {
      const o = golden.oracle;
      const r = await prdc(fromSpec(o.real), fromSpec(o.fake), { k: o.k });
      expectClose(r.precision, o.precision, GOLDEN_TOLERANCE);
      expectClose(r.recall, o.recall, GOLDEN_TOLERANCE);
      expectClose(r.density, o.density, GOLDEN_TOLERANCE);
      expectClose(r.coverage, o.coverage, GOLDEN_TOLERANCE);
      expect(r.density).toBeGreaterThan(0.9);
      expect(r.density).toBeLessThan(1.1);
      expect(Math.abs(r.coverage - 0.97)).toBeLessThan(0.015);
      expect(Math.abs(r.precision - 0.475)).toBeLessThan(0.02);
    },
    3_600_000,
  );

  it('tight generated cluster inside a wide real cloud ⇒ precision high, recall low (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(10_000), fc.integer({ min: 2, max: 6 }), async (seed, d) => {
        const real = fromSpec({ seed, n: 150, d, scale: 1, shift: 0 });
        const fake = fromSpec({ seed: seed + 1, n: 100, d, scale: 0.05, shift: 0 });
        const r = await prdc(real, fake);
        expect(r.precision).toBeGreaterThan(0.9);
        expect(r.recall).toBeLessThan(0.3);
        expect(r.coverage).toBeLessThan(0.3);
      }),
      { numRuns: 8, seed: 7 },
    );
  });

  it('does not depend on the block size (property)', async () => {
    const c = golden.prdc[0]!;
    const real = fromSpec({ ...c.real, n: 90 });
    const fake = fromSpec({ ...c.fake, n: 70 });
    const ref = await prdc(real, fake);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100 }), async (blockRows) => {
        expect(await prdc(real, fake, { blockRows })).toEqual(ref);
      }),
      { numRuns: 20, seed: 8 },
    );
  });

  it('gives the same counts at onnxruntime sizes for any block size', async () => {
    const real = fromSpec({ seed: 51, n: 700, d: 128, scale: 1, shift: 0 });
    const fake = fromSpec({ seed: 52, n: 600, d: 128, scale: 1, shift: 0.05 });
    const ref = await prdc(real, fake);
    for (const blockRows of [100, 333]) expect(await prdc(real, fake, { blockRows })).toEqual(ref);
  });

  it('rejects too few samples for k with the set named', async () => {
    const a = fromSpec({ seed: 1, n: 5, d: 2, scale: 1, shift: 0 });
    await expect(prdc(a, a)).rejects.toThrow('k = 5 needs at least 6 real samples, found 5');
  });
});
