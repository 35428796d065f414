/**
 * pix2pix's U-Net generator (Isola et al. 2017, §3.2.1 and Appendix 6.1.1; the authors' released
 * code, junyanz/pytorch-CycleGAN-and-pix2pix, UnetGenerator), scaled to 28/32/64 px: two stride-2
 * levels instead of eight, so at 28 px the encoder goes 28 → 14 → 7 and the decoder comes back,
 * each decoder level taking the encoder's features of its size concatenated to its own (the skip
 * connections that carry the input's edges straight to the output):
 *
 *   e1 = conv4 s2 (C_in → w)                                    [s/2]   no norm (outermost)
 *   e2 = IN(conv4 s2 (w → 2w) (LReLU e1))                        [s/4]
 *   u2 = drop(IN(conv3 (4w → 2w) (ReLU conv3 (2w → 4w) (LReLU e2))))   [s/4]  innermost, no down-sampling left
 *   u1 = drop(IN(convT4 s2 (4w → w) (ReLU [e2, u2])))            [s/2]
 *   y  = tanh(convT4 s2 (2w → C_out) (ReLU [e1, u1]))            [s]
 *
 * LReLU slope 0.2, weights N(0, 0.02²), as the authors' code. Normalisation is instance norm
 * (translator.ts) where the authors use BatchNorm at batch size 1 — the same per-image statistics
 * — so an output depends on its own input only, and sampling changes no running statistics.
 *
 * The dropout layers are the model's only noise, applied at training and at sampling time as in
 * the paper (§3.1). Their masks come from our Rng (`dropoutMasks`), not tfjs's own generator, so
 * a step or a sample is a function of the run's seed.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF } from '../family.js';
import type { Rng } from '../rng.js';
import { Conv2d, ConvTranspose2d, leakyRelu } from './conv.js';
import { PartsModule, type ParamModule } from './params.js';
import { instanceNorm } from './translator.js';
import { usageError } from '@gen-eval/metrics/errors';

export interface UnetOptions {
  /** Image side (a multiple of 4: two stride-2 levels). */
  size: number;
  /** Channels of the input image. */
  inChannels: number;
  /** Channels of the output image. */
  outChannels: number;
  /** Channels of the first encoder level (2w at the second, 4w in the innermost block). */
  width: number;
}

/** The dropout masks of one forward pass: inverted dropout's 0 or 1/(1 − p) per unit of u2 and u1. */
export interface DropoutMasks {
  readonly inner: tfNs.Tensor4D;
  readonly up: tfNs.Tensor4D;
}

/** The U-Net: [N, s·s·C_in] input rows → [N, s·s·C_out] output rows in [−1, 1]. */
export class UnetGenerator extends PartsModule {
  private readonly partList: [string, ParamModule][];

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: UnetOptions,
  ) {
    super();
    if (opts.size % 4 !== 0) throw usageError(`the U-Net needs an image side divisible by 4 (two stride-2 levels), got ${opts.size}`);
    const { inChannels: ci, outChannels: co, width: w } = opts;
    const init = 'dcgan' as const;
    this.partList = [
      ['down1', new Conv2d(tf, rng, ci, w, { kernel: 4, stride: 2, pad: 1, init })],
      ['down2', new Conv2d(tf, rng, w, 2 * w, { kernel: 4, stride: 2, pad: 1, init })],
      ['innerDown', new Conv2d(tf, rng, 2 * w, 4 * w, { kernel: 3, pad: 1, init })],
      ['innerUp', new Conv2d(tf, rng, 4 * w, 2 * w, { kernel: 3, pad: 1, init })],
      ['up2', new ConvTranspose2d(tf, rng, 4 * w, w, { kernel: 4, stride: 2, pad: 1, init })],
      ['up1', new ConvTranspose2d(tf, rng, 2 * w, co, { kernel: 4, stride: 2, pad: 1, init })],
    ];
  }

  private layer<T extends Conv2d | ConvTranspose2d>(name: string): T {
    return this.partList.find(([n]) => n === name)![1] as T;
  }

  /** Per-image shapes [h, w, c] of the two dropout layers' outputs (u2, then u1). */
  dropoutShapes(): [[number, number, number], [number, number, number]] {
    const { size: s, width: w } = this.opts;
    return [
      [s / 4, s / 4, 2 * w],
      [s / 2, s / 2, w],
    ];
  }

  /** Outputs for [N, dims] input rows; `masks` (from `dropoutMasks`) switches dropout on. */
  apply(x: tfNs.Tensor2D, masks?: DropoutMasks): tfNs.Tensor2D {
    const tf = this.tf;
    const { size: s, inChannels, outChannels } = this.opts;
    const n = x.shape[0];
    const conv = (name: string, h: tfNs.Tensor4D) => this.layer<Conv2d>(name).apply(h);
    const convT = (name: string, h: tfNs.Tensor4D) => this.layer<ConvTranspose2d>(name).apply(h);
    const drop = (h: tfNs.Tensor4D, m: tfNs.Tensor4D | undefined) => (m ? (tf.mul(h, m) as tfNs.Tensor4D) : h);
    const lrelu = (h: tfNs.Tensor4D) => leakyRelu(tf, h);
    const e1 = conv('down1', tf.reshape(x, [n, s, s, inChannels]) as tfNs.Tensor4D);
    const e2 = instanceNorm(tf, conv('down2', lrelu(e1)));
    const inner = conv('innerDown', lrelu(e2));
    const u2 = drop(instanceNorm(tf, conv('innerUp', tf.relu(inner))), masks?.inner);
    const u1 = drop(instanceNorm(tf, convT('up2', tf.relu(tf.concat([e2, u2], 3)))), masks?.up);
    const y = tf.tanh(convT('up1', tf.relu(tf.concat([e1, u1], 3))));
    return tf.reshape(y, [n, s * s * outChannels]) as tfNs.Tensor2D;
  }

  protected parts(): [string, ParamModule][] {
    return this.partList;
  }
}

/**
 * Inverted-dropout masks for n images (PyTorch's Dropout: a unit is kept with probability 1 − p
 * and scaled by 1/(1 − p)), drawn from `rng` image by image — u2's units, then u1's — so an
 * image's masks do not depend on how many images share its call. p = 0: no masks.
 */
export function dropoutMasks(tf: TF, unet: UnetGenerator, n: number, p: number, rng: Rng): DropoutMasks | undefined {
  if (p === 0) return undefined;
  const shapes = unet.dropoutShapes();
  const sizes = shapes.map(([h, w, c]) => h * w * c);
  const values = sizes.map((size) => new Float32Array(n * size));
  const keep = 1 / (1 - p);
  for (let i = 0; i < n; i++) {
    sizes.forEach((size, l) => {
      const out = values[l]!;
      for (let j = i * size; j < (i + 1) * size; j++) out[j] = rng.uniform() < p ? 0 : keep;
    });
  }
  const [inner, up] = shapes.map((shape, l) => tf.tensor4d(values[l]!, [n, ...shape]));
  return { inner: inner!, up: up! };
}
