import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../fixtures/golden/metrics/metrics.json' with { type: 'json' };
import { GenEvalError } from './errors.js';
import { inceptionScore } from './inception-score.js';
import type { Matrix } from './matrix.js';
import { fromSpec } from './golden-spec.test-helper.js';
import { expectClose, GOLDEN_TOLERANCE } from './testing/expect.js';

/** One-hot logits: row i predicts class i mod K with certainty (exp(−1000) underflows to 0). */
function oneHot(n: number, k: number, classOf: (i: number) => number): Matrix {
  const data = new Float64Array(n * k);
  for (let i = 0; i < n; i++) data[i * k + classOf(i)] = 1000;
  return { rows: n, cols: k, data };
}

describe('inceptionScore', () => {
  it.each(golden.is.map((c, i) => [i, c] as const))('matches the numpy golden value, case %i', (_, c) => {
    const r = inceptionScore(fromSpec(c.logits), { splits: c.splits, shuffleSeed: c.shuffleSeed });
    expectClose(r.mean, c.mean, GOLDEN_TOLERANCE);
    expectClose(r.std, c.std, GOLDEN_TOLERANCE);
    r.scores.forEach((s, i) => expectClose(s, c.scores[i]!, GOLDEN_TOLERANCE));
    expect(r.splits).toBe(c.splits);
  });

  it('defaults to 10 splits in row order (OpenAI), shuffles only with a seed', () => {
    const c = golden.is[0]!;
    const logits = fromSpec(c.logits);
    expect(inceptionScore(logits).mean).toBe(inceptionScore(logits, { splits: 10, shuffleSeed: null }).mean);
    const shuffled = golden.is[1]!;
    expectClose(inceptionScore(logits, { shuffleSeed: 2020 }).mean, shuffled.mean, GOLDEN_TOLERANCE);
  });

  it('is float32/float64 agnostic and unaffected by huge logits', () => {
    const m = oneHot(20, 4, (i) => i % 4);
    const r32 = inceptionScore({ ...m, data: new Float32Array(m.data) }, { splits: 5 });
    expect(r32.mean).toBeCloseTo(4, 12);
    expect(
      Number.isFinite(
        inceptionScore(
          oneHot(20, 4, () => 0),
          { splits: 2 },
        ).mean,
      ),
    ).toBe(true);
  });

  it('= K for confident, uniformly spread predictions (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 6 }), (k, splits) => {
        // Each split holds every class equally often: p(y) uniform, KL = log K for every sample.
        const r = inceptionScore(
          oneHot(k * splits * 2, k, (i) => i % k),
          { splits },
        );
        expect(Math.abs(r.mean - k)).toBeLessThan(1e-9 * k);
        expect(r.std).toBeLessThan(1e-9 * k);
      }),
      { numRuns: 50, seed: 1 },
    );
  });

  it('lies in [1, K] for any logits (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (k, perSplit, splits, seed, scale) => {
          const logits = fromSpec({ seed, n: perSplit * splits, d: k, scale, shift: 0 });
          const r = inceptionScore(logits, { splits, shuffleSeed: seed % 3 === 0 ? seed : null });
          for (const s of r.scores) {
            expect(s).toBeGreaterThanOrEqual(1 - 1e-12);
            expect(s).toBeLessThanOrEqual(k * (1 + 1e-12));
          }
        },
      ),
      { numRuns: 100, seed: 2 },
    );
  });

  it('rejects too few samples for the splits, a single class, and bad split counts', () => {
    const m = fromSpec({ seed: 1, n: 5, d: 3, scale: 1, shift: 0 });
    expect(() => inceptionScore(m, { splits: 6 })).toThrow(GenEvalError);
    expect(() => inceptionScore(m, { splits: 6 })).toThrow('6 splits need at least 6 samples, found 5');
    expect(() => inceptionScore({ rows: 5, cols: 1, data: new Float64Array(5) }, { splits: 1 })).toThrow('at least 2 classes');
    expect(() => inceptionScore(m, { splits: 0 })).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
  });
});
