/**
 * PSNR, SSIM and L1 against scikit-image 0.19.3 (fixtures/scripts/gen_paired.py): random, noisy,
 * identical and constant images, grey and RGB, 11×11 and non-square, float images on [0, 1]
 * (scaled by 255 here; skimage's values with data_range=1), and images below the SSIM window.
 */
import { describe, expect, it } from 'vitest';
import golden from '../../../../fixtures/golden/paired/paired.json' with { type: 'json' };
import { RandomState } from '../random.js';
import { expectClose, expectGenEvalError, GOLDEN_TOLERANCE } from '../testing/expect.js';
import { meanAbsoluteError } from './mean-absolute-error.js';
import type { PixelImage } from './pixel-image.js';
import { psnr } from './psnr.js';
import { ssim } from './ssim.js';

type Case = (typeof golden.cases)[number];

/** The two images of a case: gen_paired.py's `draw`, elementwise in the same order. */
function draw({ kind, seed, shape, amp }: Case): [PixelImage, PixelImage] {
  const [height, width, channels = 1] = shape as [number, number, number?];
  const n = height * width * channels;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  if (kind === 'constant') {
    a.fill(Math.floor(seed / 256));
    b.fill(seed % 256);
  } else {
    const rs = new RandomState(seed);
    const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
    if (kind === 'float') {
      for (let i = 0; i < n; i++) a[i] = rs.random();
      // A float image on [0, 1] enters the metrics scaled by 255 (the CLI's convention).
      for (let i = 0; i < n; i++) b[i] = clip(a[i]! + (rs.random() - 0.5) * (amp / 100), 1) * 255;
      for (let i = 0; i < n; i++) a[i]! *= 255;
    } else {
      for (let i = 0; i < n; i++) a[i] = Math.floor(rs.random() * 256);
      if (kind === 'uint8') for (let i = 0; i < n; i++) b[i] = Math.floor(rs.random() * 256);
      else if (kind === 'noisy') for (let i = 0; i < n; i++) b[i] = clip(a[i]! + Math.floor(rs.random() * (2 * amp + 1)) - amp, 255);
      else if (kind === 'identical') b.set(a);
      else throw new Error(`unknown case kind ${kind}`);
    }
  }
  return [
    { height, width, channels, data: a },
    { height, width, channels, data: b },
  ];
}

const value = (v: number | string) => (v === 'Infinity' ? Infinity : (v as number));

describe('paired metrics against scikit-image (golden values)', () => {
  expect(golden.skimage).toBe('0.19.3');
  it.each(golden.cases.map((c) => ({ ...c, name: `${c.kind} ${c.shape.join('×')} seed ${c.seed}` })))('$name', (c) => {
    const [a, b] = draw(c);
    expectClose(psnr(a, b), value(c.psnr), GOLDEN_TOLERANCE);
    expectClose(meanAbsoluteError(a, b), c.l1, GOLDEN_TOLERANCE);
    if (c.ssim === null) expectGenEvalError(() => ssim(a, b), { code: 'bad_input', message: /smaller than the 11×11 window/ });
    else expectClose(ssim(a, b), c.ssim, GOLDEN_TOLERANCE);
  });

  it('covers every kind of case, the smaller-than-window refusals and ∞ included', () => {
    expect(new Set(golden.cases.map((c) => c.kind))).toEqual(new Set(['uint8', 'noisy', 'identical', 'constant', 'float']));
    expect(golden.cases.filter((c) => c.ssim === null).length).toBe(2);
    expect(golden.cases.some((c) => c.psnr === 'Infinity')).toBe(true);
    expect(golden.cases.some((c) => c.shape[0] === 11 && c.shape[1] === 11)).toBe(true);
  });
});
