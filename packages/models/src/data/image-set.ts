/**
 * Images held in memory as 8-bit pixels at their source size, and their conversion to what a
 * model sees: float32, NHWC, values in [−1, 1] (p/127.5 − 1, so 0 ↦ −1 and 255 ↦ 1, the range of
 * a tanh output), at the model's size (28, 32 or 64 px).
 *
 * Resizing (one rule for every data set, documented in docs/datasets.md):
 * - same size: copied;
 * - 28 → 32: zero padding of 2 px on each side (background −1), as LeNet pads MNIST;
 * - anything else: Pillow's BICUBIC on the "F" image of the 0…255 values (bit-exact with Pillow,
 *   the resize of the metrics package's `clean` profile), clipped to [0, 255].
 */
import { GenEvalError } from '@gen-eval/metrics/errors';
import { resizeBicubicPillow } from '@gen-eval/metrics/images';

/** Height, width and channels of a data set's images (samples are NHWC, dims = h·w·c). */
export interface ImageShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** The image sizes (side of the square, px) a model can be trained at. */
export const IMAGE_SIZES: readonly number[] = [28, 32, 64];

/** Checks an image size option (`--image-size`); a one-line error lists the valid ones. */
export function checkImageSize(size: number): number {
  if (!IMAGE_SIZES.includes(size))
    throw new GenEvalError(`\`imageSize\` must be ${IMAGE_SIZES.join(', ').replace(/, (\d+)$/, ' or $1')}, got "${size}"`, { options: ['imageSize'] });
  return size;
}

/** Images in memory: n × height × width × channels bytes (HWC per image), with class labels when known. */
export interface ImageSet {
  readonly n: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly pixels: Uint8Array;
  /** Class of each image (digit, clothing class, subfolder index). */
  readonly labels?: Uint8Array | Int32Array;
}

/** float32(p/127.5 − 1) for every byte p. */
const TO_UNIT = Float32Array.from({ length: 256 }, (_, p) => p / 127.5 - 1);

/** The subset of `set` at `indices` (copies the pixels; labels follow). */
export function subset(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.height * set.width * set.channels;
  const pixels = new Uint8Array(indices.length * size);
  const labels = set.labels ? new Int32Array(indices.length) : undefined;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    pixels.set(set.pixels.subarray(i * size, (i + 1) * size), k * size);
    if (labels) labels[k] = set.labels![i]!;
  }
  return { n: indices.length, height: set.height, width: set.width, channels: set.channels, pixels, ...(labels ? { labels } : {}) };
}

/** How a source of `from` px per side reaches `to` px: copy, zero padding, or Pillow bicubic. */
export function resizeRule(from: number, to: number): 'copy' | 'pad' | 'bicubic' {
  if (from === to) return 'copy';
  if (to > from && (to - from) % 2 === 0 && to - from <= 4) return 'pad';
  return 'bicubic';
}

/**
 * Writes channel `srcChannel` of image `index` of `set`, at `size` × `size` and in [−1, 1], into
 * `dst` at `offset + (y·size + x)·stride` — so a caller fills one channel of an NHWC batch
 * (stride = its channel count, offset = the image's start + its channel). `invert` maps p to 255 − p.
 */
export function writeChannel(set: ImageSet, index: number, srcChannel: number, size: number, dst: Float32Array, offset: number, stride: number, invert = false): void {
  const { height: h, width: w, channels: c } = set;
  const base = index * h * w * c + srcChannel;
  const rule = h === w ? resizeRule(h, size) : 'bicubic';
  if (rule === 'copy' || rule === 'pad') {
    const pad = (size - h) / 2;
    if (pad > 0) {
      const bg = invert ? 1 : -1;
      for (let i = 0; i < size * size; i++) dst[offset + i * stride] = bg;
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const p = set.pixels[base + (y * w + x) * c]!;
        dst[offset + ((y + pad) * size + x + pad) * stride] = TO_UNIT[invert ? 255 - p : p]!;
      }
    }
    return;
  }
  const plane = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) plane[i] = set.pixels[base + i * c]!;
  const out = resizeBicubicPillow(plane, h, w, size, size);
  for (let i = 0; i < size * size; i++) {
    const v = out[i]!;
    const p = v < 0 ? 0 : v > 255 ? 255 : v;
    dst[offset + i * stride] = (invert ? 255 - p : p) / 127.5 - 1;
  }
}

/**
 * Image `index` of `set` at `size` px with all its channels, into `dst` from `offset`
 * (size·size·channels values, HWC).
 */
export function writeImage(set: ImageSet, index: number, size: number, dst: Float32Array, offset: number, invert = false): void {
  for (let ch = 0; ch < set.channels; ch++) writeChannel(set, index, ch, size, dst, offset + ch, set.channels, invert);
}

/**
 * Channel `srcChannel` of image `index` of `set` at `size` px as values on [0, 255]: what
 * {@link writeChannel} writes before its map to [−1, 1] (copied, padded with background, or
 * Pillow's bicubic clipped to [0, 255]; `invert` maps v to 255 − v).
 */
export function channelValues(set: ImageSet, index: number, srcChannel: number, size: number, invert = false): Float32Array {
  const { height: h, width: w, channels: c } = set;
  const base = index * h * w * c + srcChannel;
  const rule = h === w ? resizeRule(h, size) : 'bicubic';
  const out = new Float32Array(size * size);
  if (rule === 'copy' || rule === 'pad') {
    const pad = (size - h) / 2;
    if (invert) out.fill(255);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) out[(y + pad) * size + x + pad] = invert ? 255 - set.pixels[base + (y * w + x) * c]! : set.pixels[base + (y * w + x) * c]!;
    return out;
  }
  const plane = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) plane[i] = set.pixels[base + i * c]!;
  resizeBicubicPillow(plane, h, w, size, size, out);
  for (let i = 0; i < size * size; i++) {
    const v = out[i]!;
    const p = v < 0 ? 0 : v > 255 ? 255 : v;
    out[i] = invert ? 255 - p : p;
  }
  return out;
}
