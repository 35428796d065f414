/**
 * Peak signal-to-noise ratio of a test image against its reference, as scikit-image's
 * `peak_signal_noise_ratio(ref, test, data_range=255)`: 10·log10(255² / MSE), the MSE over every
 * pixel and channel on the [0, 255] scale.
 */
import { checkPair, PIXEL_PEAK, sumOfDifferences, type PixelImage } from './pixel-image.js';

/**
 * PSNR in dB of `test` against `ref` (same shape, values on [0, 255]); `Infinity` when the images
 * are identical (MSE 0), as scikit-image returns.
 * @throws GenEvalError (bad_input) when the shapes differ or a pixel is not finite.
 */
export function psnr(ref: PixelImage, test: PixelImage): number {
  checkPair('psnr', ref, test);
  const mse = sumOfDifferences('psnr', ref, test, (d) => d * d) / ref.data.length;
  return 10 * Math.log10((PIXEL_PEAK * PIXEL_PEAK) / mse);
}
