/**
 * CycleGAN's image networks (Zhu et al. 2017, Appendix 7.2; the reference code's
 * ResnetGenerator and NLayerDiscriminator), scaled to 28/32/64 px and CPU-sized widths:
 * - ResnetTranslator: conv3×3 (C → w) → IN → ReLU → conv3×3 s2 (w → 2w) → IN → ReLU →
 *   `blocks` × residual [conv3×3 → IN → ReLU → conv3×3 → IN] → ConvT k4 s2 p1 (2w → w) → IN →
 *   ReLU → conv3×3 (w → C) → tanh. (The paper: 7×7 reflect-padded stem, two down/up levels,
 *   6–9 blocks at 128–256 px; here one level, zero padding.)
 * - PatchDiscriminator: conv k4 s2 (C → w) → LReLU → conv k4 s2 (w → 2w) → IN → LReLU →
 *   conv k4 s1 (2w → 4w) → IN → LReLU → conv k4 s1 (4w → 1): a map of patch scores (5×5 at
 *   28 px, each seeing a 34×34 window) instead of one score, as the 70×70 PatchGAN; `layers`
 *   sets the number of stride-2 convs (2 above; pix2pix uses 1, a 16×16 patch).
 * IN is instance normalisation without affine parameters or running statistics (the reference
 * code's InstanceNorm2d defaults); tfjs has none, so it is written here. Weights N(0, 0.02²).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF, Variable } from '../family.js';
import type { Rng } from '../rng.js';
import { Conv2d, ConvTranspose2d, leakyRelu } from './conv.js';
import { namedVariablesOf, PartsModule, type ParamModule } from './params.js';
import { usageError } from '@gen-eval/metrics/errors';

/** Instance normalisation (Ulyanov et al. 2016): each image's channels to zero mean, unit variance (ε 1e-5). */
export function instanceNorm(tf: TF, x: tfNs.Tensor4D, eps = 1e-5): tfNs.Tensor4D {
  const mean = tf.mean(x, [1, 2], true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), [1, 2], true);
  return tf.mul(centred, tf.rsqrt(tf.add(variance, eps))) as tfNs.Tensor4D;
}

export interface TranslatorOptions {
  /** Image side. */
  size: number;
  channels: number;
  /** Channels of the full-resolution convs (2w at half resolution). */
  width: number;
  /** Residual blocks at half resolution (default 3). */
  blocks?: number;
}

/** The generator: images → images of the same shape, NHWC (flattened rows in and out). */
export class ResnetTranslator extends PartsModule {
  private readonly partList: [string, ParamModule][];
  readonly stem: Conv2d;
  readonly down: Conv2d;
  readonly blocks: readonly [Conv2d, Conv2d][];
  readonly up: ConvTranspose2d;
  readonly out: Conv2d;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: TranslatorOptions,
  ) {
    super();
    if (opts.size % 2 !== 0) throw usageError(`the translator needs an even image size, got ${opts.size}`);
    const { channels: C, width: w } = opts;
    const init = 'dcgan' as const;
    this.stem = new Conv2d(tf, rng, C, w, { kernel: 3, pad: 1, init });
    this.down = new Conv2d(tf, rng, w, 2 * w, { kernel: 3, stride: 2, pad: 1, init });
    this.blocks = Array.from({ length: opts.blocks ?? 3 }, () => [
      new Conv2d(tf, rng, 2 * w, 2 * w, { kernel: 3, pad: 1, init }),
      new Conv2d(tf, rng, 2 * w, 2 * w, { kernel: 3, pad: 1, init }),
    ]);
    this.up = new ConvTranspose2d(tf, rng, 2 * w, w, { kernel: 4, stride: 2, pad: 1, init });
    this.out = new Conv2d(tf, rng, w, C, { kernel: 3, pad: 1, init });
    this.partList = [
      ['stem', this.stem],
      ['down', this.down],
      ...this.blocks.flatMap(([a, b], i): [string, ParamModule][] => [
        [`res${i}a`, a],
        [`res${i}b`, b],
      ]),
      ['up', this.up],
      ['out', this.out],
    ];
  }

  /** Translated images for [N, dims] rows, as [N, dims] rows in [−1, 1]. */
  apply(x: tfNs.Tensor2D): tfNs.Tensor2D {
    const tf = this.tf;
    const s = this.opts.size;
    const n = x.shape[0];
    const inr = (h: tfNs.Tensor4D) => tf.relu(instanceNorm(tf, h));
    let h = inr(this.stem.apply(tf.reshape(x, [n, s, s, this.opts.channels]) as tfNs.Tensor4D));
    h = inr(this.down.apply(h));
    for (const [a, b] of this.blocks) h = tf.add(h, instanceNorm(tf, b.apply(inr(a.apply(h))))) as tfNs.Tensor4D;
    h = inr(this.up.apply(h));
    return tf.reshape(tf.tanh(this.out.apply(h)), [n, x.shape[1]]) as tfNs.Tensor2D;
  }

  protected parts(): [string, ParamModule][] {
    return this.partList;
  }
}

/** The PatchGAN's shape: a translator's, and how many stride-2 layers it has. */
export interface PatchOptions extends Omit<TranslatorOptions, 'blocks'> {
  /** Stride-2 conv layers (the reference code's n_layers; default 2). */
  layers?: number;
}

/** The PatchGAN discriminator: [N, dims] rows → [N, P, P, 1] patch scores (logits, no sigmoid). */
export class PatchDiscriminator implements ParamModule {
  readonly convs: readonly Conv2d[];

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: PatchOptions,
  ) {
    const { channels: C, width: w } = opts;
    const n = opts.layers ?? 2;
    if (!Number.isInteger(n) || n < 1) throw usageError(`the PatchGAN needs at least one stride-2 layer, got ${n}`);
    const init = 'dcgan' as const;
    const conv = (cin: number, cout: number, stride: number) => new Conv2d(tf, rng, cin, cout, { kernel: 4, stride, pad: 1, init });
    // The reference code's NLayerDiscriminator: n stride-2 convs doubling the width, one stride-1, the score.
    this.convs = [conv(C, w, 2), ...Array.from({ length: n - 1 }, (_, i) => conv(w * 2 ** i, w * 2 ** (i + 1), 2)), conv(w * 2 ** (n - 1), w * 2 ** n, 1), conv(w * 2 ** n, 1, 1)];
  }

  /** The side of the input patch one score sees: r ← (r − 1)·stride + 4 from the score back (16 px for one stride-2 layer, 34 for two, 70 for three). */
  receptiveField(): number {
    return this.convs.reduceRight((r, c) => (r - 1) * c.stride + c.kernel, 1);
  }

  apply(x: tfNs.Tensor2D): tfNs.Tensor4D {
    const s = this.opts.size;
    return this.applyImages(this.tf.reshape(x, [x.shape[0], s, s, this.opts.channels]));
  }

  /** Patch scores of NHWC images ([N, size, size, channels]). */
  applyImages(images: tfNs.Tensor4D): tfNs.Tensor4D {
    const tf = this.tf;
    let h = images;
    const last = this.convs.length - 1;
    this.convs.forEach((conv, i) => {
      const y = conv.apply(h);
      if (i === last) h = y;
      else h = leakyRelu(tf, i === 0 ? y : instanceNorm(tf, y));
    });
    return h;
  }

  namedVariables(prefix: string): [string, Variable][] {
    return namedVariablesOf(
      prefix,
      this.convs.map((c, i): [string, ParamModule] => [`conv${i}`, c]),
    );
  }

  trainable(): Variable[] {
    return this.convs.flatMap((c) => c.trainable());
  }

  dispose(): void {
    for (const c of this.convs) c.dispose();
  }
}
