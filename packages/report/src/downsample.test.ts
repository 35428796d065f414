import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downsample } from './downsample.js';

describe('downsample', () => {
  it('keeps short series whole', () => {
    const pts = [1, 2, 3].map((value, step) => ({ step, value }));
    expect(downsample(pts, 10)).toEqual(pts);
  });

  it('bounds the points and keeps the first, the last and the extremes, in order', () => {
    const arb = fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 3000 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 4, max: 200 }), (values, max) => {
        const pts = values.map((value, step) => ({ step, value }));
        const out = downsample(pts, max);
        expect(out.length).toBeLessThanOrEqual(Math.max(max, 4));
        expect(out[0]).toBe(pts[0]);
        expect(out.at(-1)).toBe(pts.at(-1));
        expect(out.map((p) => p.value)).toContain(Math.min(...values));
        expect(out.map((p) => p.value)).toContain(Math.max(...values));
        expect(out.map((p) => p.step)).toEqual([...out.map((p) => p.step)].sort((a, b) => a - b));
      }),
      { numRuns: 60 },
    );
  });
});
