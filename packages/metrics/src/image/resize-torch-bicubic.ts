/**
 * torch's `F.interpolate(x, mode='bicubic', align_corners=False, antialias=False)` on a float32
 * CHW array, following ATen's CPU kernel (UpSampleKernel.cpp, `HelperInterpCubic`): source
 * coordinate `(dst + 0.5)·s − 0.5` with s = in/out for an output size or 1/scale_factor for a
 * scale factor, Keys' cubic with A = −0.75, the four taps clamped to the border, weights and sums in
 * float32 (agrees with torch 1.13 within a few float32 ulps). Used for DINOv2's position-embedding
 * interpolation and for resizes that must match torch.
 */
import { usageError } from '../errors.js';

/** Output of `resizeTorchBicubic`: C × height × width float32 values. */
export interface TorchResized {
  readonly data: Float32Array;
  readonly height: number;
  readonly width: number;
}

/** Either the output size or torch's `scale_factor` (output = ⌊in·scale⌋, coordinates use 1/scale). */
export type TorchResizeTarget = { readonly size: readonly [number, number] } | { readonly scaleFactor: readonly [number, number] };

const A = -0.75;
const f = Math.fround;

// Keys' cubic convolution, float32 step by step as ATen's get_cubic_upsample_coefficients<float>.
const cc1 = (x: number) => f(f(f(f(f(f(A + 2) * x) - f(A + 3)) * x) * x) + 1);
const cc2 = (x: number) => f(f(f(f(f(f(A * x) - f(5 * A)) * x) + f(8 * A)) * x) - f(4 * A));

interface Taps {
  readonly index: Int32Array;
  readonly weight: Float32Array;
}

function taps(inSize: number, outSize: number, scaleFactor: number | undefined): Taps {
  // area_pixel_compute_scale: 1/scale_factor when given, else in/out — both rounded to float32.
  const scale = f(scaleFactor !== undefined && scaleFactor > 0 ? 1 / scaleFactor : inSize / outSize);
  const index = new Int32Array(outSize * 4);
  const weight = new Float32Array(outSize * 4);
  for (let o = 0; o < outSize; o++) {
    const real = f(f(scale * f(o + 0.5)) - 0.5);
    const i0 = Math.floor(real);
    const t = f(real - i0);
    const w = [cc2(f(t + 1)), cc1(t), cc1(f(1 - t)), cc2(f(f(1 - t) + 1))];
    for (let k = 0; k < 4; k++) {
      index[o * 4 + k] = Math.min(Math.max(i0 - 1 + k, 0), inSize - 1);
      weight[o * 4 + k] = w[k]!;
    }
  }
  return { index, weight };
}

/**
 * Resizes `channels` planes of `inH × inW` float32 values (C order) as torch's bicubic
 * `F.interpolate` with `align_corners=False` and no antialiasing.
 */
export function resizeTorchBicubic(src: Float32Array, channels: number, inH: number, inW: number, target: TorchResizeTarget): TorchResized {
  if (src.length !== channels * inH * inW) throw usageError(`resizeTorchBicubic: ${src.length} values, expected ${channels}×${inH}×${inW}`);
  const byScale = 'scaleFactor' in target;
  const height = byScale ? Math.floor(inH * target.scaleFactor[0]) : target.size[0];
  const width = byScale ? Math.floor(inW * target.scaleFactor[1]) : target.size[1];
  if (!(height > 0 && width > 0)) throw usageError(`resizeTorchBicubic: empty output ${height}×${width}`);
  const ty = taps(inH, height, byScale ? target.scaleFactor[0] : undefined);
  const tx = taps(inW, width, byScale ? target.scaleFactor[1] : undefined);
  const out = new Float32Array(channels * height * width);
  for (let c = 0; c < channels; c++) {
    const plane = c * inH * inW;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let j = 0; j < 4; j++) {
          const row = plane + ty.index[y * 4 + j]! * inW;
          let inner = 0;
          for (let i = 0; i < 4; i++) inner = f(inner + f(src[row + tx.index[x * 4 + i]!]! * tx.weight[x * 4 + i]!));
          acc = f(acc + f(inner * ty.weight[y * 4 + j]!));
        }
        out[(c * height + y) * width + x] = acc;
      }
    }
  }
  return { data: out, height, width };
}
