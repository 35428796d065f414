import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGenEvalError } from '../testing/expect.js';
import { meanAbsoluteError } from './mean-absolute-error.js';
import type { PixelImage } from './pixel-image.js';
import { psnr } from './psnr.js';
import { ssim } from './ssim.js';

const image = (height: number, width: number, channels: number, data: ArrayLike<number>): PixelImage => ({ height, width, channels, data });

/** Two images of one random shape (at least the 11×11 SSIM window), values on [0, 255]. */
const pair = fc
  .record({ height: fc.integer({ min: 11, max: 16 }), width: fc.integer({ min: 11, max: 16 }), channels: fc.constantFrom(1, 3) })
  .chain(({ height, width, channels }) => {
    const n = height * width * channels;
    const pixels = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: n, maxLength: n });
    return fc.tuple(pixels, pixels).map(([a, b]) => [image(height, width, channels, a), image(height, width, channels, b)] as const);
  });

const PROPS = { numRuns: 40, seed: 19 };

describe('paired metrics (fast-check)', () => {
  it('are symmetric', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(psnr(a, b)).toBe(psnr(b, a));
        expect(meanAbsoluteError(a, b)).toBe(meanAbsoluteError(b, a));
        expect(ssim(a, b)).toBeCloseTo(ssim(b, a), 12);
      }),
      PROPS,
    );
  });

  it('give ssim(x, x) = 1, psnr(x, x) = ∞, l1(x, x) = 0', () => {
    fc.assert(
      fc.property(pair, ([a]) => {
        expect(ssim(a, a)).toBeCloseTo(1, 12);
        expect(psnr(a, a)).toBe(Infinity);
        expect(meanAbsoluteError(a, a)).toBe(0);
      }),
      PROPS,
    );
  });

  it('stay within their bounds: ssim ≤ 1 (above −1), psnr ≥ 0, l1 on [0, 1]', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const s = ssim(a, b);
        expect(s).toBeLessThanOrEqual(1 + 1e-12);
        expect(s).toBeGreaterThan(-1);
        expect(psnr(a, b)).toBeGreaterThanOrEqual(0);
        const l1 = meanAbsoluteError(a, b);
        expect(l1).toBeGreaterThanOrEqual(0);
        expect(l1).toBeLessThanOrEqual(1);
      }),
      PROPS,
    );
  });
});

describe('paired metrics: values and errors', () => {
  it('computes PSNR and L1 from the pixel differences', () => {
    const a = image(1, 2, 1, [0, 10]);
    const b = image(1, 2, 1, [3, 6]);
    // MSE = (9 + 16) / 2 = 12.5; mean |Δ| = 3.5.
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10((255 * 255) / 12.5), 12);
    expect(meanAbsoluteError(a, b)).toBeCloseTo(3.5 / 255, 15);
    expect(psnr(image(1, 1, 1, [0]), image(1, 1, 1, [255]))).toBe(0);
  });

  it('gives the closed form of SSIM for constant images (no variance: only the luminance term)', () => {
    const c = (v: number) => image(11, 12, 1, new Array<number>(132).fill(v));
    const c1 = (0.01 * 255) ** 2;
    expect(ssim(c(100), c(50))).toBeCloseTo((2 * 100 * 50 + c1) / (100 * 100 + 50 * 50 + c1), 12);
  });

  it('refuses images smaller than the window, shapes that differ and malformed data', () => {
    const small = image(10, 20, 1, new Array<number>(200).fill(0));
    expect(() => ssim(small, small)).toThrow(/ssim: the images are 10×20, smaller than the 11×11 window/);
    expect(() => psnr(image(2, 2, 1, [0, 0, 0, 0]), image(2, 2, 3, new Array<number>(12).fill(0)))).toThrow(/differ in shape \(2×2×1 and 2×2×3\)/);
    expect(() => meanAbsoluteError(image(2, 2, 1, [0, 0, 0]), image(2, 2, 1, [0, 0, 0, 0]))).toThrow(/reference image has 3 values/);
    expect(() => psnr(image(1, 1, 1, [NaN]), image(1, 1, 1, [0]))).toThrow(/non-finite pixel/);
    expectGenEvalError(() => ssim(small, small), { code: 'bad_input' });
  });
});
