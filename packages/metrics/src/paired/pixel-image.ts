/**
 * The image type of the paired metrics (PSNR, SSIM, L1): one decoded image, HWC, values on the
 * 8-bit scale [0, 255] whatever the source (a float image on [0, 1] is scaled by 255 first).
 */
import { badInputError } from '../errors.js';

/** One image, row-major HWC (`data[(y * width + x) * channels + c]`), values on [0, 255]. */
export interface PixelImage {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly data: ArrayLike<number>;
}

/** The peak value of the pixel scale: the `data_range` (L) of SSIM and the peak of PSNR. */
export const PIXEL_PEAK = 255;

const shape = (im: PixelImage) => `${im.height}×${im.width}×${im.channels}`;

/**
 * Throws a bad-input error unless `ref` and `test` are well-formed images of one shape: paired
 * metrics compare pixel by pixel and never resize.
 */
export function checkPair(metric: string, ref: PixelImage, test: PixelImage): void {
  for (const [name, im] of [
    ['reference', ref],
    ['test', test],
  ] as const) {
    const dims = [im.height, im.width, im.channels];
    if (!dims.every((d) => Number.isInteger(d) && d > 0)) throw badInputError(`${metric}: the ${name} image's shape ${shape(im)} is not positive integers`);
    if (im.data.length !== im.height * im.width * im.channels)
      throw badInputError(`${metric}: the ${name} image has ${im.data.length} values, its shape ${shape(im)} needs ${im.height * im.width * im.channels}`);
  }
  if (ref.height !== test.height || ref.width !== test.width || ref.channels !== test.channels)
    throw badInputError(`${metric}: the images differ in shape (${shape(ref)} and ${shape(test)}); paired metrics never resize`);
}

/** Σ f(ref_i − test_i) over every value, accumulated in float64; throws on a non-finite pixel. */
export function sumOfDifferences(metric: string, ref: PixelImage, test: PixelImage, f: (d: number) => number): number {
  let sum = 0;
  const a = ref.data;
  const b = test.data;
  for (let i = 0; i < a.length; i++) sum += f(a[i]! - b[i]!);
  if (!Number.isFinite(sum)) throw badInputError(`${metric}: the images have a non-finite pixel value`);
  return sum;
}
