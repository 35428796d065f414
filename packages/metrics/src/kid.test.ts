import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/metrics/metrics.json' with { type: 'json' };
import { GenEvalError } from './errors.js';
import { kernelInceptionDistance, polynomialMmd2 } from './kid.js';
import { fromRows } from './matrix.js';
import { fromSpec } from './golden-spec.test-helper.js';
import { expectClose, GOLDEN_TOLERANCE } from './testing/expect.js';

describe('kernelInceptionDistance', () => {
  it.each(golden.kid.map((c, i) => [i, c] as const))('matches the numpy golden values with the same RandomState draws, case %i', async (_, c) => {
    const r = await kernelInceptionDistance(fromSpec(c.x), fromSpec(c.y), { subsets: c.subsets, subsetSize: c.subsetSize, seed: c.seed });
    expect(r.subsetSize).toBe(c.m);
    r.values.forEach((v, i) => expectClose(v, c.values[i]!, GOLDEN_TOLERANCE));
    expectClose(r.mean, c.mean, GOLDEN_TOLERANCE);
    expectClose(r.std, c.std, GOLDEN_TOLERANCE);
    expect(r.warnings.length).toBe(c.m < c.subsetSize ? 1 : 0);
  });

  it('warns in the result when the subset size is shrunk', async () => {
    const c = golden.kid[1]!;
    const r = await kernelInceptionDistance(fromSpec(c.x), fromSpec(c.y), { subsets: 1, subsetSize: 1000 });
    expect(r.warnings[0]).toMatch(/shrunk from 1000 to 500/);
  });

  it('uses torch-fidelity defaults: 100 subsets, seed 2020, kernel (x·y/d + 1)³', async () => {
    const x = fromSpec({ seed: 1, n: 12, d: 3, scale: 1, shift: 0 });
    const y = fromSpec({ seed: 2, n: 10, d: 3, scale: 1, shift: 0.5 });
    const r = await kernelInceptionDistance(x, y);
    expect([r.subsets, r.seed, r.degree, r.coef0, r.gamma, r.subsetSize, r.values.length]).toEqual([100, 2020, 3, 1, 1 / 3, 10, 100]);
    const again = await kernelInceptionDistance(x, y, { seed: 2020, subsets: 100 });
    expect(again.values).toEqual(r.values);
  });

  it('does not depend on the kernel block size (property)', async () => {
    const x = fromSpec({ seed: 3, n: 40, d: 5, scale: 1, shift: 0 });
    const y = fromSpec({ seed: 4, n: 35, d: 5, scale: 1.2, shift: 0 });
    const ref = await kernelInceptionDistance(x, y, { subsets: 3, subsetSize: 30 });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), async (block) => {
        const r = await kernelInceptionDistance(x, y, { subsets: 3, subsetSize: 30, blockRows: block });
        expect(r.values).toEqual(ref.values);
      }),
      { numRuns: 25, seed: 3 },
    );
  });

  it('agrees across block sizes at onnxruntime sizes (to summation rounding)', async () => {
    const x = fromSpec({ seed: 5, n: 500, d: 128, scale: 1, shift: 0 });
    const y = fromSpec({ seed: 6, n: 500, d: 128, scale: 1, shift: 0.1 });
    const ref = await kernelInceptionDistance(x, y, { subsets: 2, subsetSize: 400 });
    for (const blockRows of [64, 150]) {
      const r = await kernelInceptionDistance(x, y, { subsets: 2, subsetSize: 400, blockRows });
      r.values.forEach((v, i) => expect(Math.abs(v - ref.values[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(ref.values[i]!)));
    }
  });

  it('rejects mismatched dims and too few samples', async () => {
    const x = fromRows([
      [0, 1],
      [1, 0],
      [2, 2],
    ]);
    await expect(kernelInceptionDistance(x, fromRows([[0], [1]]))).rejects.toThrow('real features have 2 dims but generated ones have 1');
    await expect(kernelInceptionDistance(x, fromRows([[0, 1]]))).rejects.toThrow(GenEvalError);
    await expect(kernelInceptionDistance(x, x, { subsets: 0 })).rejects.toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    await expect(kernelInceptionDistance(x, x, { subsetSize: 1 })).rejects.toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
  });
});

describe('polynomialMmd2', () => {
  it("matches the reference notes' unequal-size example (−0.096709458)", async () => {
    const x = fromRows([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
      [0.5, 0.5],
    ]);
    const y = fromRows([
      [0.2, 0.1],
      [1.5, 0.2],
      [0.1, 1.4],
      [2, 2],
    ]);
    const v = await polynomialMmd2(x, y);
    expectClose(v, golden.referenceMmd2Poly, GOLDEN_TOLERANCE);
    expect(v).toBeCloseTo(-0.096709458, 9);
  });

  it('is symmetric in its two sets (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 2, max: 20 }), fc.integer({ min: 1, max: 6 }), fc.nat(1000), async (m, n, d, seed) => {
        const x = fromSpec({ seed, n: m, d, scale: 1, shift: 0 });
        const y = fromSpec({ seed: seed + 1, n, d, scale: 2, shift: 0.3 });
        const a = await polynomialMmd2(x, y);
        const b = await polynomialMmd2(y, x);
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(a)) * 64);
      }),
      { numRuns: 60, seed: 4 },
    );
  });
});
