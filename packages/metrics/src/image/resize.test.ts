import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goldenJson, goldenNpy, maxAbsDiff, seededImage, sha256, type ResizeGolden } from './fixtures.test-helper.js';
import { linearTaps, resizeBilinear } from './resize-bilinear.js';
import { bicubicCoeffs, resizeBicubicPillow } from './resize-pillow.js';

const golden = goldenJson<ResizeGolden>('resize.json');

function resizeImage(fn: typeof resizeBilinear, img: Float32Array, h: number, w: number, oh: number, ow: number): Float32Array {
  const out = new Float32Array(3 * oh * ow);
  for (let c = 0; c < 3; c++) fn(img.subarray(c * h * w, (c + 1) * h * w), h, w, oh, ow, out.subarray(c * oh * ow));
  return out;
}

/** Random float32 plane: fast-check draws the shape, the values come from a seeded generator. */
const plane = (maxSide: number) =>
  fc
    .record({
      h: fc.integer({ min: 1, max: maxSide }),
      w: fc.integer({ min: 1, max: maxSide }),
      oh: fc.integer({ min: 1, max: 2 * maxSide }),
      ow: fc.integer({ min: 1, max: 2 * maxSide }),
      seed: fc.integer({ min: 0, max: 2 ** 31 }),
    })
    .map(({ h, w, oh, ow, seed }) => {
      let s = seed;
      const src = Float32Array.from({ length: h * w }, () => {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        return (s / 2 ** 32) * 300 - 20;
      });
      return { h, w, oh, ow, src };
    });

const ulp = (v: number) => 2 ** (Math.floor(Math.log2(Math.max(Math.abs(v), 2 ** -126))) - 23);

describe('resizeBilinear (torch F.interpolate bilinear, align_corners=False)', () => {
  // Golden outputs of torch 1.13 on 3×h×w float32 inputs; bit-exact with the AVX2 build that
  // wrote them (a torch built without FMA differs by ≤ 1 ulp; the profile tests check the 1e-6 spec).
  for (const c of golden.cases.filter((k) => k.kind === 'bilinear')) {
    it(`matches torch bit for bit: ${c.in.join('×')} → ${c.out.join('×')}`, () => {
      const [h, w] = c.in;
      const [oh, ow] = c.out;
      const out = resizeImage(resizeBilinear, seededImage(c.seed, h, w), h, w, oh, ow);
      const ref = goldenNpy(c.npy);
      expect(ref.shape).toEqual([3, oh, ow]);
      expect(maxAbsDiff(out, ref.data).max).toBe(0);
      expect(sha256(out)).toBe(c.sha256);
    });
  }

  it('halving an even-sized plane averages 2×2 blocks (no antialiasing)', () => {
    fc.assert(
      fc.property(plane(24), ({ h, w, src }) => {
        const H = 2 * h;
        const W = 2 * w;
        const big = new Float32Array(H * W);
        for (let i = 0; i < big.length; i++) big[i] = src[i % src.length]! + (i % 7);
        const out = resizeBilinear(big, H, W, h, w);
        let worst = 0; // error in ulps of the block mean
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const m = (big[2 * y * W + 2 * x]! + big[2 * y * W + 2 * x + 1]! + big[(2 * y + 1) * W + 2 * x]! + big[(2 * y + 1) * W + 2 * x + 1]!) / 4;
            worst = Math.max(worst, Math.abs(out[y * w + x]! - m) / ulp(m));
          }
        }
        expect(worst).toBeLessThanOrEqual(4);
      }),
      { numRuns: 50 },
    );
  });

  it('is a convex combination (within rounding) and copies when the size is unchanged', () => {
    fc.assert(
      fc.property(plane(20), ({ h, w, oh, ow, src }) => {
        const out = resizeBilinear(src, h, w, oh, ow);
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of src) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        let outside = 0;
        for (const v of out) if (v < lo - 2 * ulp(lo) || v > hi + 2 * ulp(hi)) outside++;
        expect(outside).toBe(0);
        expect(Array.from(resizeBilinear(src, h, w, h, w))).toEqual(Array.from(src));
      }),
      { numRuns: 100 },
    );
  });

  it('uses float32 weights that sum to 1 and stay inside the image', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 600 }), (n, m) => {
        const t = linearTaps(n, m);
        let bad = 0;
        for (let i = 0; i < m; i++) {
          if (Math.abs(t.w0[i]! + t.w1[i]! - 1) > 1e-7 || t.i0[i]! < 0 || t.i1[i]! >= n || t.i1[i]! < t.i0[i]!) bad++;
        }
        expect(bad).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('rejects bad sizes and short buffers', () => {
    expect(() => resizeBilinear(new Float32Array(4), 2, 2, 0, 3)).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'usage' }));
    expect(() => resizeBilinear(new Float32Array(3), 2, 2, 3, 3)).toThrow(/source has 3 values/);
    expect(() => resizeBilinear(new Float32Array(4), 2, 2, 3, 3, new Float32Array(8))).toThrow(/destination/);
  });
});

describe('resizeBicubicPillow (Pillow Image.resize BICUBIC on mode "F")', () => {
  for (const c of golden.cases.filter((k) => k.kind === 'bicubic')) {
    it(`matches Pillow bit for bit: ${c.in.join('×')} → ${c.out.join('×')}`, () => {
      const [h, w] = c.in;
      const [oh, ow] = c.out;
      const out = resizeImage(resizeBicubicPillow, seededImage(c.seed, h, w), h, w, oh, ow);
      const ref = goldenNpy(c.npy);
      expect(ref.shape).toEqual([3, oh, ow]);
      expect(maxAbsDiff(out, ref.data).max).toBe(0);
      expect(sha256(out)).toBe(c.sha256);
    });
  }

  it('keeps a constant plane constant (within rounding) and copies at the same size', () => {
    fc.assert(
      fc.property(plane(30), fc.float({ min: -1000, max: 1000, noNaN: true }), ({ h, w, oh, ow, src }, v) => {
        const k = Math.fround(v);
        const out = resizeBicubicPillow(new Float32Array(h * w).fill(k), h, w, oh, ow);
        let worst = 0;
        for (const o of out) worst = Math.max(worst, Math.abs(o - k) / ulp(k));
        expect(worst).toBeLessThanOrEqual(4);
        expect(Array.from(resizeBicubicPillow(src, h, w, h, w))).toEqual(Array.from(src));
      }),
      { numRuns: 100 },
    );
  });

  it('antialiases: its weights are normalised and widen with the shrink factor', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 400 }), (n, m) => {
        const c = bicubicCoeffs(n, m);
        let bad = 0;
        for (let i = 0; i < m; i++) {
          let s = 0;
          for (let j = 0; j < c.count[i]!; j++) s += c.weights[i * c.ksize + j]!;
          if (Math.abs(s - 1) > 1e-12 || c.start[i]! + c.count[i]! > n || c.count[i]! > c.ksize) bad++;
        }
        expect(bad).toBe(0);
        // Every input pixel reaches the output when shrinking (no aliasing holes).
        if (n > m) {
          const covered = new Uint8Array(n);
          for (let i = 0; i < m; i++) covered.fill(1, c.start[i], c.start[i]! + c.count[i]!);
          expect(covered.every((v) => v === 1)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
