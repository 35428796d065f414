/**
 * The feature-extractor interface shared by the pytorch-fid Inception and user ONNX models.
 *
 * Contract: `run(batch, n)` takes n RGB images as one float32 NCHW array (n × 3 × H × W, row-major,
 * H×W = `input.height`×`input.width`), with values already in `input.range` — the pipeline resizes
 * and maps pixel values before calling (for the pytorch-fid profile: bilinear resize to 299 with
 * align_corners=False, then [0,1] ↦ [−1,1]). Any per-channel mean/std normalisation or NHWC layout
 * a user model needs happens inside the extractor. Results are row-major n × dim float32 arrays and
 * do not depend on how the images are split into calls.
 */
import { internalError } from '../errors.js';
import type { ExtractorProfiles } from '../image/profiles.js';

/** Value range `run` expects: [0, 1] or [−1, 1]. */
export type InputRange = readonly [0, 1] | readonly [-1, 1];

/** The input an extractor expects: height × width, 3 channels (RGB), NCHW, and the pixel value range. */
export interface ExtractorInput {
  readonly height: number;
  readonly width: number;
  /** Always 3 (RGB); grayscale images are repeated to three channels before. */
  readonly channels: 3;
  /** Always NCHW at the interface (a user model's NHWC is handled inside). */
  readonly layout: 'NCHW';
  readonly range: InputRange;
  /**
   * The preprocessing profiles of the network's reference evaluation, for the default `--profile`
   * and for `--profile clean` (e.g. DINOv2: dgm-eval's Pillow bicubic, or clean-fid's); absent:
   * the user's profile as it is.
   */
  readonly profiles?: ExtractorProfiles;
}

/** Features (and logits, if the extractor has them) of one batch, float32 row-major. */
export interface ExtractorOutput {
  /** n × outputs.features, row-major. */
  readonly features: Float32Array;
  /** n × outputs.logits, row-major, when the extractor has logits. */
  readonly logits?: Float32Array;
}

/**
 * A network mapping preprocessed image batches to feature vectors (and optionally logits); `run`
 * and `dispose` are async (onnxruntime).
 */
export interface FeatureExtractor {
  /**
   * Stable identity of the features — network, weights hash and output — for cache keys and
   * results, e.g. `inception@6726825d:2048` or `onnx@1a2b3c4d:224x224:nchw:imagenet:features`.
   */
  readonly name: string;
  readonly input: ExtractorInput;
  /** Output widths: `features` always, `logits` (class scores, e.g. for the IS) when present. */
  readonly outputs: { readonly features: number; readonly logits?: number };
  /** Runs the network on n images (see the contract above). */
  run(batch: Float32Array, n: number): Promise<ExtractorOutput>;
  /** Frees the onnxruntime session. */
  dispose(): Promise<void>;
}

/** Checks the batch length against the declared input size (a caller bug, so a RangeError). */
export function checkBatch(name: string, input: ExtractorInput, batch: Float32Array, n: number): number {
  const per = input.channels * input.height * input.width;
  if (!Number.isInteger(n) || n < 0 || batch.length !== n * per) {
    throw internalError(`${name}: expected ${n} × 3 × ${input.height} × ${input.width} = ${n * per} values, got ${batch.length}`);
  }
  return per;
}
