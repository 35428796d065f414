/**
 * Structural similarity (Wang, Bovik, Sheikh & Simoncelli 2004, "Image quality assessment: from
 * error visibility to structural similarity"): local means, variances and covariance under an
 * 11×11 Gaussian window of σ = 1.5, C1 = (0.01·255)², C2 = (0.03·255)², population statistics,
 * and the SSIM map averaged over the valid region only (the (H − 10)×(W − 10) window centres
 * whose window lies inside the image), each channel separately and then averaged over channels.
 *
 * This is scikit-image's `structural_similarity(ref, test, gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=255, channel_axis=-1)`: it filters with SciPy's
 * `gaussian_filter(truncate=3.5)` — radius int(3.5·1.5 + 0.5) = 5, an 11-tap kernel normalised
 * to sum 1 — and crops 5 pixels from each border before the mean, so its border mode never
 * reaches the mean and the valid-region correlation below equals it.
 */
import { badInputError } from '../errors.js';
import { checkPair, PIXEL_PEAK, type PixelImage } from './pixel-image.js';

/** The constants of Wang et al. 2004 (their §III-C choices, as scikit-image's defaults). */
export const SSIM_CONVENTION = {
  window: 11,
  sigma: 1.5,
  k1: 0.01,
  k2: 0.03,
  dataRange: PIXEL_PEAK,
  covariance: 'population',
  region: 'valid',
  channels: 'mean over channels',
} as const;

const RADIUS = (SSIM_CONVENTION.window - 1) / 2;

/** SciPy's `_gaussian_kernel1d(sigma, 0, radius)`: exp(−x²/2σ²) for x in −r..r, normalised to sum 1. */
function gaussianKernel(): Float64Array {
  const w = new Float64Array(SSIM_CONVENTION.window);
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    const x = i - RADIUS;
    w[i] = Math.exp((-0.5 / (SSIM_CONVENTION.sigma * SSIM_CONVENTION.sigma)) * x * x);
    sum += w[i]!;
  }
  for (let i = 0; i < w.length; i++) w[i]! /= sum;
  return w;
}

const KERNEL = gaussianKernel();
const C1 = (SSIM_CONVENTION.k1 * SSIM_CONVENTION.dataRange) ** 2;
const C2 = (SSIM_CONVENTION.k2 * SSIM_CONVENTION.dataRange) ** 2;

/**
 * The Gaussian-weighted local moments of two planes (x, y, x², y², xy) at every valid window
 * centre: a horizontal pass over all rows, then a vertical pass, as SciPy's separable filter.
 */
function localMoments(x: Float64Array, y: Float64Array, height: number, width: number): Float64Array[] {
  const outW = width - 2 * RADIUS;
  const outH = height - 2 * RADIUS;
  const rows = Array.from({ length: 5 }, () => new Float64Array(height * outW));
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < outW; c++) {
      let mx = 0;
      let my = 0;
      let mxx = 0;
      let myy = 0;
      let mxy = 0;
      for (let k = 0; k < KERNEL.length; k++) {
        const i = r * width + c + k;
        const w = KERNEL[k]!;
        const a = x[i]!;
        const b = y[i]!;
        mx += w * a;
        my += w * b;
        mxx += w * (a * a);
        myy += w * (b * b);
        mxy += w * (a * b);
      }
      const o = r * outW + c;
      rows[0]![o] = mx;
      rows[1]![o] = my;
      rows[2]![o] = mxx;
      rows[3]![o] = myy;
      rows[4]![o] = mxy;
    }
  }
  return rows.map((m) => {
    const out = new Float64Array(outH * outW);
    for (let r = 0; r < outH; r++)
      for (let c = 0; c < outW; c++) {
        let s = 0;
        for (let k = 0; k < KERNEL.length; k++) s += KERNEL[k]! * m[(r + k) * outW + c]!;
        out[r * outW + c] = s;
      }
    return out;
  });
}

/** Mean SSIM of one channel plane pair over the valid region. */
function planeSsim(x: Float64Array, y: Float64Array, height: number, width: number): number {
  const [ux, uy, uxx, uyy, uxy] = localMoments(x, y, height, width) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  let sum = 0;
  for (let i = 0; i < ux.length; i++) {
    const mx = ux[i]!;
    const my = uy[i]!;
    const vx = uxx[i]! - mx * mx;
    const vy = uyy[i]! - my * my;
    const vxy = uxy[i]! - mx * my;
    sum += ((2 * mx * my + C1) * (2 * vxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
  }
  return sum / ux.length;
}

/** One channel of an HWC image as a float64 plane. */
function plane(im: PixelImage, channel: number): Float64Array {
  const out = new Float64Array(im.height * im.width);
  for (let i = 0; i < out.length; i++) out[i] = im.data[i * im.channels + channel]!;
  return out;
}

/**
 * Mean SSIM of `test` against `ref` (same shape, values on [0, 255]) with the conventions of
 * {@link SSIM_CONVENTION}; 1 for identical images, in [−1, 1].
 * @throws GenEvalError (bad_input) when the shapes differ, a pixel is not finite, or the image is
 * smaller than the 11×11 window.
 */
export function ssim(ref: PixelImage, test: PixelImage): number {
  checkPair('ssim', ref, test);
  const n = SSIM_CONVENTION.window;
  if (ref.height < n || ref.width < n) throw badInputError(`ssim: the images are ${ref.height}×${ref.width}, smaller than the ${n}×${n} window`);
  let sum = 0;
  for (let c = 0; c < ref.channels; c++) sum += planeSsim(plane(ref, c), plane(test, c), ref.height, ref.width);
  const value = sum / ref.channels;
  if (!Number.isFinite(value)) throw badInputError('ssim: the images have a non-finite pixel value');
  return value;
}
