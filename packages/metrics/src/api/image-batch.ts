/**
 * Images given from memory (a training loop's samples) instead of files: one batch is n images of
 * height × width with 1 or 3 channels, interleaved (NHWC, numpy's N×H×W×C layout), as bytes 0–255
 * or floats in [0, 1]. Bytes go through the same preprocessing profile as a decoded image file, so
 * a batch and a folder of the same pixels give the same features; floats take the pytorch-fid
 * route of `.npy` image arrays (x in [0, 1], torch's bilinear resize).
 */
import { badInputError, usageError } from '../errors.js';
import type { FeatureExtractor } from '../extractors/extractor.js';
import { preprocess, type PreprocessProfile } from '../image/profiles.js';
import { imageArrayBatch } from '../pipeline/image-array.js';

/** n images from memory, NHWC: `data.length = n · height · width · channels`. */
export interface ImageBatch {
  /** Bytes 0–255, or floats in [0, 1] (floats take the `pytorch-fid` profile only). */
  readonly data: Uint8Array | Uint8ClampedArray | Float32Array;
  readonly n: number;
  readonly height: number;
  readonly width: number;
  /** 1 (gray, repeated to RGB as a gray image file is) or 3 (RGB). */
  readonly channels: 1 | 3;
}

/** Checks a batch's shape and data length; errors name `label` (e.g. `fake`). */
export function checkImageBatch(batch: ImageBatch, label: string): void {
  const { n, height, width, channels, data } = batch ?? ({} as ImageBatch);
  for (const [k, v] of [
    ['n', n],
    ['height', height],
    ['width', width],
  ] as const) {
    if (!Number.isInteger(v) || v < (k === 'n' ? 0 : 1))
      throw badInputError(`${label}: image batch ${k} must be a ${k === 'n' ? 'non-negative' : 'positive'} integer, got ${String(v)}`);
  }
  if (channels !== 1 && channels !== 3) throw badInputError(`${label}: image batch channels must be 1 or 3, got ${String(channels)}`);
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray || data instanceof Float32Array)) {
    throw badInputError(`${label}: image batch data must be a Uint8Array (0–255) or a Float32Array (0–1)`);
  }
  const want = n * height * width * channels;
  if (data.length !== want) throw badInputError(`${label}: image batch data has ${data.length} values, expected n·height·width·channels = ${want}`);
}

/**
 * The network input (n × 3 × S × S in the extractor's range) of images [start, start + count) of a
 * checked batch.
 */
export function batchInput(batch: ImageBatch, start: number, count: number, extractor: FeatureExtractor, profile: PreprocessProfile, label: string): Float32Array {
  const { height: h, width: w, channels: c } = batch;
  const size = extractor.input.height;
  if (batch.data instanceof Float32Array) {
    if (profile.name !== 'pytorch-fid')
      throw usageError(`${label}: float image batches take the pytorch-fid profile only; give bytes (Uint8Array) for the ${profile.name} profile`);
    const arr = { dtype: '<f4' as const, shape: [batch.n, h, w, c], data: batch.data };
    const out = imageArrayBatch({ n: batch.n, height: h, width: w, channels: c, arr }, label, size, start, count);
    if (extractor.input.range[0] === -1) for (let i = 0; i < out.length; i++) out[i] = 2 * out[i]! - 1;
    return out;
  }
  const per = 3 * size * size;
  const out = new Float32Array(count * per);
  const rgb = new Uint8Array(h * w * 3);
  for (let k = 0; k < count; k++) {
    const src = batch.data.subarray((start + k) * h * w * c, (start + k + 1) * h * w * c);
    if (c === 3) rgb.set(src);
    else for (let p = 0; p < h * w; p++) rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = src[p]!;
    preprocess({ width: w, height: h, data: rgb }, profile, out.subarray(k * per, (k + 1) * per));
  }
  return out;
}
