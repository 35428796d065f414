/**
 * A small U-Net-style conv denoiser ε_θ(x_t, t) for DDPM (Ho et al. 2020), CPU-sized, from the
 * pieces of conv.ts. Two stride-2 levels (28 → 14 → 7, 32 → 16 → 8, 64 → 32 → 16):
 *   in conv3×3 → block(w) ─────────────────────────────────── concat → block(w) → out conv3×3
 *                   ↓ conv k4 s2 → block(2w) ──────── concat → block(2w) ↑ convT k4 s2
 *                                    ↓ conv k4 s2 → block(2w) (middle) ↑ convT k4 s2
 * A block is relu → conv3×3 → + dense(time embedding) per channel → relu → conv3×3, plus a skip
 * (1×1 conv when the width changes). The time embedding is the Transformer sinusoid of t
 * (DDPM's), through dense → relu → dense. The output conv starts at zero (DDPM's zero_module),
 * so the untrained model predicts ε = 0. No normalisation: batch statistics would mix the
 * noise levels of a batch.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF } from '../family.js';
import type { Rng } from '../rng.js';
import { Conv2d, ConvTranspose2d } from './conv.js';
import { Dense } from './dense.js';
import { imagePlan } from './image-plan.js';
import { PartsModule, type ParamModule } from './params.js';
import { usageError } from '@gen-eval/metrics/errors';

/** [N, dim] sinusoidal embedding of (float) timesteps: sin(t·ω_i) ‖ cos(t·ω_i), ω_i = 10000^(−i/(dim/2 − 1)). */
export function timestepEmbedding(tf: TF, t: tfNs.Tensor1D, dim: number): tfNs.Tensor2D {
  if (dim % 2 !== 0 || dim < 4) throw usageError('the time embedding dimension must be even and ≥ 4');
  const half = dim / 2;
  const freqs = new Float32Array(half);
  for (let i = 0; i < half; i++) freqs[i] = Math.exp((-Math.log(10000) * i) / (half - 1));
  const args = tf.mul(tf.reshape(t, [-1, 1]), tf.tensor2d(freqs, [1, half]));
  return tf.concat([tf.sin(args), tf.cos(args)], 1) as tfNs.Tensor2D;
}

/** relu → conv3×3 → + time → relu → conv3×3, plus a skip. */
class TimeBlock extends PartsModule {
  readonly conv1: Conv2d;
  readonly time: Dense;
  readonly conv2: Conv2d;
  readonly skip: Conv2d | null;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    inC: number,
    outC: number,
    timeDim: number,
  ) {
    super();
    this.conv1 = new Conv2d(tf, rng, inC, outC, { kernel: 3, pad: 1 });
    this.time = new Dense(tf, rng, timeDim, outC);
    this.conv2 = new Conv2d(tf, rng, outC, outC, { kernel: 3, pad: 1 });
    this.skip = inC === outC ? null : new Conv2d(tf, rng, inC, outC, { kernel: 1 });
  }

  apply(x: tfNs.Tensor4D, temb: tfNs.Tensor2D): tfNs.Tensor4D {
    const tf = this.tf;
    const t = this.time.apply(temb);
    let h = this.conv1.apply(tf.relu(x));
    h = tf.add(h, tf.reshape(t, [t.shape[0], 1, 1, t.shape[1]])) as tfNs.Tensor4D;
    h = this.conv2.apply(tf.relu(h));
    return tf.add(h, this.skip ? this.skip.apply(x) : x) as tfNs.Tensor4D;
  }

  protected parts(): [string, ParamModule | null][] {
    return [
      ['conv1', this.conv1],
      ['time', this.time],
      ['conv2', this.conv2],
      ['skip', this.skip],
    ];
  }
}

export interface DenoiserOptions {
  /** Image side: 28, 32 or 64. */
  size: number;
  channels: number;
  /** Channels of the full-resolution level (default 32; the lower levels have twice that). */
  width?: number;
  /** Sinusoid dimension (default 64); the embedding MLP outputs 4·width. */
  timeDim?: number;
}

/** ε_θ(x_t, t): [N, size, size, C] and timesteps [N] → [N, size, size, C]. */
export class ConvDenoiser extends PartsModule {
  private readonly modules: [string, ParamModule][];
  private readonly timeDim: number;
  readonly t1: Dense;
  readonly t2: Dense;
  readonly inConv: Conv2d;
  readonly enc1: TimeBlock;
  readonly down1: Conv2d;
  readonly enc2: TimeBlock;
  readonly down2: Conv2d;
  readonly mid: TimeBlock;
  readonly up2: ConvTranspose2d;
  readonly dec2: TimeBlock;
  readonly up1: ConvTranspose2d;
  readonly dec1: TimeBlock;
  readonly outConv: Conv2d;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: DenoiserOptions,
  ) {
    super();
    imagePlan(opts.size); // validates the size
    if (opts.size % 4 !== 0) throw usageError('the denoiser needs a size divisible by 4');
    const w = opts.width ?? 32;
    this.timeDim = opts.timeDim ?? 64;
    const td = 4 * w;
    this.t1 = new Dense(tf, rng, this.timeDim, td);
    this.t2 = new Dense(tf, rng, td, td);
    this.inConv = new Conv2d(tf, rng, opts.channels, w, { kernel: 3, pad: 1 });
    this.enc1 = new TimeBlock(tf, rng, w, w, td);
    this.down1 = new Conv2d(tf, rng, w, 2 * w, { kernel: 4, stride: 2, pad: 1 });
    this.enc2 = new TimeBlock(tf, rng, 2 * w, 2 * w, td);
    this.down2 = new Conv2d(tf, rng, 2 * w, 2 * w, { kernel: 4, stride: 2, pad: 1 });
    this.mid = new TimeBlock(tf, rng, 2 * w, 2 * w, td);
    this.up2 = new ConvTranspose2d(tf, rng, 2 * w, 2 * w, { kernel: 4, stride: 2, pad: 1 });
    this.dec2 = new TimeBlock(tf, rng, 4 * w, 2 * w, td);
    this.up1 = new ConvTranspose2d(tf, rng, 2 * w, w, { kernel: 4, stride: 2, pad: 1 });
    this.dec1 = new TimeBlock(tf, rng, 2 * w, w, td);
    this.outConv = new Conv2d(tf, rng, w, opts.channels, { kernel: 3, pad: 1, init: 'zero' });
    this.modules = [
      ['t1', this.t1],
      ['t2', this.t2],
      ['in', this.inConv],
      ['enc1', this.enc1],
      ['down1', this.down1],
      ['enc2', this.enc2],
      ['down2', this.down2],
      ['mid', this.mid],
      ['up2', this.up2],
      ['dec2', this.dec2],
      ['up1', this.up1],
      ['dec1', this.dec1],
      ['out', this.outConv],
    ];
  }

  /** The predicted noise for x_t (NHWC, or flattened rows) at float timesteps t [N]. */
  apply(x: tfNs.Tensor2D | tfNs.Tensor4D, t: tfNs.Tensor1D): tfNs.Tensor4D {
    const tf = this.tf;
    const s = this.opts.size;
    const img = x.rank === 4 ? (x as tfNs.Tensor4D) : (tf.reshape(x, [x.shape[0], s, s, this.opts.channels]) as tfNs.Tensor4D);
    const temb = this.t2.apply(tf.relu(this.t1.apply(timestepEmbedding(tf, t, this.timeDim))));
    const e1 = this.enc1.apply(this.inConv.apply(img), temb);
    const e2 = this.enc2.apply(this.down1.apply(e1), temb);
    const m = this.mid.apply(this.down2.apply(e2), temb);
    const d2 = this.dec2.apply(tf.concat([this.up2.apply(m), e2], 3), temb);
    const d1 = this.dec1.apply(tf.concat([this.up1.apply(d2), e1], 3), temb);
    return this.outConv.apply(tf.relu(d1));
  }

  protected parts(): [string, ParamModule][] {
    return this.modules;
  }
}
