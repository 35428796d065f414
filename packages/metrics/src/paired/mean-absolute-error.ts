/**
 * The L1 distance of a test image to its reference (metric key `l1`): the mean absolute pixel
 * difference divided by the peak, so it lies on [0, 1] for images on [0, 255] — the per-pixel
 * L1 that pix2pix (Isola et al. 2017) trains with, on a scale that does not depend on the format.
 */
import { checkPair, PIXEL_PEAK, sumOfDifferences, type PixelImage } from './pixel-image.js';

/**
 * mean |ref − test| / 255 over every pixel and channel (same shape, values on [0, 255]).
 * @throws GenEvalError (bad_input) when the shapes differ or a pixel is not finite.
 */
export function meanAbsoluteError(ref: PixelImage, test: PixelImage): number {
  checkPair('l1', ref, test);
  return sumOfDifferences('l1', ref, test, Math.abs) / ref.data.length / PIXEL_PEAK;
}
