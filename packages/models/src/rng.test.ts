import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('is a pure function of (seed, purpose, step)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.string(), fc.nat(), (seed, purpose, step) => {
        const a = Rng.stream(seed, purpose, step).normals(8);
        const b = Rng.stream(seed, purpose, step).normals(8);
        expect(a).toEqual(b);
      }),
    );
  });

  it('gives different streams for different seeds, purposes and steps', () => {
    const base = Rng.stream(1, 'noise', 5).uniforms(4);
    expect(Rng.stream(2, 'noise', 5).uniforms(4)).not.toEqual(base);
    expect(Rng.stream(1, 'data', 5).uniforms(4)).not.toEqual(base);
    expect(Rng.stream(1, 'noise', 6).uniforms(4)).not.toEqual(base);
    expect(Rng.stream(1, 'noise', 5 + 2 ** 32).uniforms(4)).not.toEqual(base);
  });

  it('draws uniforms in [0, 1), unbiased integers and standard normals', () => {
    const r = new Rng(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      s += u;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(s / n - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < n; i++) counts[r.int(7)]!++;
    for (const c of counts) expect(Math.abs(c - n / 7)).toBeLessThan(5 * Math.sqrt((n / 7) * (6 / 7)));
    s = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it('normals(n) is the stream of n normal() calls, across calls and odd counts', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.nat({ max: 9 }), { maxLength: 5 }), (seed, counts) => {
        const a = new Rng(seed);
        const b = new Rng(seed);
        for (const n of counts) {
          const one = Float32Array.from({ length: n }, () => a.normal());
          expect(b.normals(n)).toEqual(one);
        }
        expect(b.uniform()).toBe(a.uniform());
      }),
    );
  });

  it('rejects an impossible integer range', () => {
    expect(() => new Rng(1).int(0)).toThrow(/1 ≤ n/);
    expect(() => new Rng(1).int(1.5)).toThrow(/integer/);
  });
});
