/**
 * The paired part of a paired run's evaluation (pix2pix, srgan): each output against its own
 * held-out target, pixel by pixel — `l1`, `psnr` and `ssim` of the metrics package, each the mean
 * over the pairs of its per-image value — and, for super-resolution, the same numbers for Pillow's
 * bicubic upsampling of the same inputs: the baseline a learned upsampler has to beat (Ledig et
 * al. 2017 compare SRGAN and SRResNet with bicubic first).
 *
 * Both sides are quantised to bytes exactly as their PNG files are (data/png.ts toBytes), so the
 * values equal `gen-eval psnr TARGETS/ OUT/` (and ssim) on the PNGs `gen-eval sample` writes.
 */
import { resizeBicubicPillow } from '@gen-eval/metrics/images';
import { pairedMetrics, type PixelImage } from '@gen-eval/metrics';
import type { ImageShape } from '../data/image-set.js';
import { toBytes } from '../data/png.js';

/** A paired run's fixed held-out pairs, drawn once per run. */
export interface HeldOutPairs {
  /** n × the input's dims, NHWC in [−1, 1]: what the model translates. */
  readonly input: Float32Array;
  readonly inputShape: ImageShape;
  /** The targets' bytes (n × the target's dims), as their PNGs hold them. */
  readonly target: Uint8Array;
  readonly targetShape: ImageShape;
  /** Super-resolution: the target's side over the input's (the family's declared `scale`). */
  readonly scale?: number;
}

/**
 * Mean `l1`, `psnr` and `ssim` of outputs `x` (NHWC in [−1, 1], the targets' shape) against the
 * pairs' targets: the metrics package's pairedMetrics, so the conventions are `gen-eval ssim`'s
 * (psnr's mean is +∞ when an output equals its target, recorded as null: JSON has no infinity).
 */
export async function heldOutPairMetrics(pairs: HeldOutPairs, x: Float32Array): Promise<Record<string, number>> {
  const shape = pairs.targetShape;
  const per = shape.height * shape.width * shape.channels;
  const images = (data: Uint8Array): PixelImage[] => Array.from({ length: data.length / per }, (_, i) => ({ ...shape, data: data.subarray(i * per, (i + 1) * per) }));
  const { result } = await pairedMetrics(images(pairs.target), images(toBytes(x)));
  return { ...result };
}

/**
 * Pillow's bicubic upsampling of the inputs ×`scale` (the project's bit-exact port, on the float
 * values 0–255 as the downsampling that made them, each channel a plane), clipped to [0, 255] and
 * returned in [−1, 1] as a model's output would be.
 */
export function bicubicUpsample(input: Float32Array, shape: ImageShape, scale: number): Float32Array {
  return resizeBicubic(input, shape, shape.height * scale, shape.width * scale);
}

/**
 * Images (NHWC rows in [−1, 1] of `shape`) resized to outH × outW by Pillow's bicubic on the
 * float values 0–255, each channel a plane (antialiased when shrinking), clipped to [0, 255] and
 * returned in [−1, 1].
 */
export function resizeBicubic(input: Float32Array, shape: ImageShape, outH: number, outW: number): Float32Array {
  const { height: h, width: w, channels: c } = shape;
  const H = outH;
  const W = outW;
  const n = input.length / (h * w * c);
  const out = new Float32Array(n * H * W * c);
  const plane = new Float32Array(h * w);
  const big = new Float32Array(H * W);
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < h * w; p++) plane[p] = (input[(i * h * w + p) * c + ch]! + 1) * 127.5;
      resizeBicubicPillow(plane, h, w, H, W, big);
      for (let p = 0; p < H * W; p++) out[(i * H * W + p) * c + ch] = Math.min(255, Math.max(0, big[p]!)) / 127.5 - 1;
    }
  return out;
}
