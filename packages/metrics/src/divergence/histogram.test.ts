import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/divergence/divergence.json' with { type: 'json' };
import { GenEvalError } from '../errors.js';
import { histogramJs, histogramKl } from './histogram.js';
import { expectClose } from '../testing/expect.js';

const histogram = fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 }).filter((h) => h.some((v) => v > 0));

describe('histogram KL and JS', () => {
  it('match scipy on the golden example of divergence.json (nats and bits)', () => {
    const { p, q, kl_pq, kl_qp, js, js_bits, js_scipy_distance_sq } = golden.tiny.hist;
    expectClose(histogramKl(p, q).value, kl_pq, { rel: 1e-9 });
    expectClose(histogramKl(q, p).value, kl_qp, { rel: 1e-9 });
    expectClose(histogramJs(p, q).value, js, { rel: 1e-9 });
    expectClose(histogramJs(p, q, { base: 2 }).value, js_bits, { rel: 1e-9 });
    // scipy's jensenshannon returns the distance √JS; ours is the divergence itself.
    expectClose(histogramJs(p, q).value, js_scipy_distance_sq, { rel: 1e-9 });
    expect(histogramJs(p, q).value).not.toBeCloseTo(Math.sqrt(js), 3);
  });

  it('match scipy on count histograms with zero bins and explicit smoothing', () => {
    const g = golden.hist;
    const opts = { smoothing: g.smoothing };
    expectClose(histogramKl(g.p, g.q, opts).value, g.kl_pq, { rel: 1e-9 });
    expectClose(histogramKl(g.q, g.p, opts).value, g.kl_qp, { rel: 1e-9 });
    expectClose(histogramJs(g.p, g.q, opts).value, g.js, { rel: 1e-9 });
    expectClose(histogramJs(g.p, g.q, { ...opts, base: 2 }).value, g.js_bits, { rel: 1e-9 });
    expectClose(histogramJs(g.p, g.q).value, g.js_unsmoothed, { rel: 1e-9 });
    expect(histogramKl(g.p, g.q, opts).smoothing).toBe(0.5);
  });

  it('KL is infinite where q has an empty bin that p uses, unless smoothed', () => {
    expect(histogramKl([1, 1], [1, 0]).value).toBe(Infinity);
    expect(histogramKl([1, 0], [1, 1]).value).toBeCloseTo(Math.log(2), 15);
    expect(Number.isFinite(histogramKl([1, 1], [1, 0], { smoothing: 1e-3 }).value)).toBe(true);
  });

  it('properties: D(p, p) = 0, KL ≥ 0, JS symmetric and in [0, log 2], bits = nats / ln 2', () => {
    fc.assert(
      fc.property(histogram, fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 30, maxLength: 30 }), (p, extra) => {
        const q = p.map((_, i) => extra[i]! + 1e-3);
        expect(histogramKl(p, p).value).toBe(0);
        expect(histogramJs(p, p).value).toBe(0);
        expect(histogramKl(p, q).value).toBeGreaterThanOrEqual(-1e-12);
        const a = histogramJs(p, q).value;
        expect(Math.abs(a - histogramJs(q, p).value)).toBeLessThanOrEqual(1e-12);
        expect(a).toBeGreaterThanOrEqual(-1e-15);
        expect(a).toBeLessThanOrEqual(Math.LN2 + 1e-12);
        expect(histogramJs(p, q, { base: 2 }).value).toBeCloseTo(a / Math.LN2, 12);
      }),
    );
  });

  it('rejects bad histograms with a one-line error naming the input', () => {
    const names = ['p.npy', 'q.npy'] as const;
    expect(() => histogramKl([1, -1], [1, 1], { names })).toThrow(/^p\.npy: negative histogram entry -1 in bin 1$/);
    expect(() => histogramJs([1, 2], [1, 2, 3], { names })).toThrow(/^q\.npy: has 3 bins but p\.npy has 2 \(histograms of different length\)$/);
    expect(() => histogramKl([], [], { names })).toThrow(/p\.npy: is empty/);
    expect(() => histogramKl([0, 0], [1, 1], { names })).toThrow(/p\.npy: all bins are zero/);
    expect(() => histogramKl([1, NaN], [1, 1], { names })).toThrow(/p\.npy: NaN in bin 1/);
    const err = (() => {
      try {
        histogramKl([1], [1, 2]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(GenEvalError);
    expect((err as GenEvalError).code).toBe('bad_input');
    expect(() => histogramKl([1], [1], { smoothing: -1 })).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
  });
});

describe('histograms whose sum overflows float64', () => {
  it('give the same KL and JS as the same histograms at ordinary scale (scaled by a power of two before summing)', () => {
    const p = [10, 10, 1];
    const q = [10, 1, 10];
    const big = (h: number[]) => h.map((v) => v * 1e307);
    for (const f of [histogramKl, histogramJs]) {
      const want = f(p, q).value;
      const got = f(big(p), big(q)).value;
      expect(Number.isFinite(got)).toBe(true);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * want);
      // With smoothing too (ε is scaled along with the bins).
      expect(Math.abs(f(big(p), big(q), { smoothing: 1e307 }).value - f(p, q, { smoothing: 1 }).value)).toBeLessThanOrEqual(1e-12);
    }
    // Bins at the top of the range.
    expect(histogramKl([Number.MAX_VALUE, Number.MAX_VALUE], [Number.MAX_VALUE, Number.MAX_VALUE]).value).toBe(0);
  });
});
