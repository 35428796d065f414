/**
 * The networks of a text-conditioned GAN (Reed et al. 2016, "Generative Adversarial Text to Image
 * Synthesis"; reedscot/icml2016): the caption embedding φ(t) is first projected to a small code
 * (Linear → LeakyReLU 0.2, with batch norm in D), which G concatenates to its noise z and D tiles
 * over its last feature map before judging the image and the text together.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF } from '../family.js';
import type { Rng } from '../rng.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2d, leakyRelu } from './conv.js';
import { ConvGenerator } from './dcgan.js';
import { Dense } from './dense.js';
import { imagePlan } from './image-plan.js';
import { PartsModule, type ParamModule } from './params.js';

/** φ(t) [N, textDims] → [N, outDim]: Linear, batch norm (D's projection only), LeakyReLU 0.2. */
export class TextProjection extends PartsModule {
  readonly dense: Dense;
  readonly bn: BatchNorm | null;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    textDims: number,
    outDim: number,
    opts: { batchNorm: boolean },
  ) {
    super();
    this.dense = new Dense(tf, rng, textDims, outDim, { init: 'dcgan', bias: !opts.batchNorm });
    this.bn = opts.batchNorm ? new BatchNorm(tf, rng, outDim, { init: 'dcgan' }) : null;
  }

  protected parts(): readonly [string, ParamModule | null][] {
    return [
      ['dense', this.dense],
      ['bn', this.bn],
    ];
  }

  apply(t: tfNs.Tensor2D, training: boolean): tfNs.Tensor2D {
    const h = this.dense.apply(t, training);
    return leakyRelu(this.tf, this.bn ? this.bn.apply(h, training) : h, 0.2);
  }
}

/** What both networks are sized by. */
export interface TextGanSpec {
  /** Image side (28, 32 or 64) and channels. */
  readonly size: number;
  readonly channels: number;
  /** Conv channel width (doubling per level, as DCGAN's). */
  readonly width: number;
  /** Width of the caption embeddings φ(t). */
  readonly textDims: number;
  /** Width of the projected text code. */
  readonly projDim: number;
}

/** G(z, φ(t)): DCGAN's generator on [z, proj(φ(t))]; images as NHWC rows in [−1, 1]. */
export class TextGenerator extends PartsModule {
  readonly text: TextProjection;
  readonly net: ConvGenerator;
  readonly outDim: number;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    spec: TextGanSpec & { readonly latentDim: number },
  ) {
    super();
    this.text = new TextProjection(tf, rng, spec.textDims, spec.projDim, { batchNorm: false });
    this.net = new ConvGenerator(tf, rng, { latentDim: spec.latentDim, size: spec.size, channels: spec.channels, width: spec.width, condDim: spec.projDim });
    this.outDim = spec.size * spec.size * spec.channels;
  }

  protected parts(): readonly [string, ParamModule | null][] {
    return [
      ['text', this.text],
      ['net', this.net],
    ];
  }

  /** [N, latent] noise and [N, textDims] caption embeddings → [N, outDim] images. */
  apply(z: tfNs.Tensor2D, t: tfNs.Tensor2D, training = true): tfNs.Tensor2D {
    const y = this.net.apply(z, { training, cond: this.text.apply(t, training) });
    return this.tf.reshape(y, [y.shape[0], this.outDim]) as tfNs.Tensor2D;
  }
}

/**
 * D(x, φ(t)): [Conv k4 s2 p1 → (BN) → LeakyReLU 0.2]× down to the base map (7×7 at 28 px; no batch
 * norm on the first level), the projected text tiled over every position of it and concatenated to
 * its channels, a 1×1 conv → BN → LeakyReLU mixing image and text, and a base×base conv to one logit.
 */
export class TextDiscriminator extends PartsModule {
  readonly convs: readonly Conv2d[];
  readonly norms: readonly (BatchNorm | null)[];
  readonly text: TextProjection;
  readonly joint: Conv2d;
  readonly jointNorm: BatchNorm;
  readonly out: Conv2d;
  private readonly spec: TextGanSpec;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    spec: TextGanSpec,
  ) {
    super();
    this.spec = spec;
    const { base, levels } = imagePlan(spec.size);
    const convs: Conv2d[] = [];
    const norms: (BatchNorm | null)[] = [];
    let c = spec.channels;
    for (let i = 0; i < levels; i++) {
      const out = spec.width * 2 ** i;
      convs.push(new Conv2d(tf, rng, c, out, { kernel: 4, stride: 2, pad: 1, init: 'dcgan', bias: i === 0 }));
      norms.push(i > 0 ? new BatchNorm(tf, rng, out, { init: 'dcgan' }) : null);
      c = out;
    }
    this.convs = convs;
    this.norms = norms;
    this.text = new TextProjection(tf, rng, spec.textDims, spec.projDim, { batchNorm: true });
    this.joint = new Conv2d(tf, rng, c + spec.projDim, c, { kernel: 1, init: 'dcgan', bias: false });
    this.jointNorm = new BatchNorm(tf, rng, c, { init: 'dcgan' });
    this.out = new Conv2d(tf, rng, c, 1, { kernel: base, init: 'dcgan' });
  }

  protected parts(): readonly [string, ParamModule | null][] {
    return [
      ...this.convs.map((m, i): [string, ParamModule] => [`conv${i}`, m]),
      ...this.norms.map((m, i): [string, ParamModule | null] => [`bn${i}`, m]),
      ['text', this.text],
      ['joint', this.joint],
      ['jointBn', this.jointNorm],
      ['out', this.out],
    ];
  }

  /** Logits [N, 1] of (image rows [N, size²·channels], caption embeddings [N, textDims]) pairs. */
  apply(x: tfNs.Tensor2D, t: tfNs.Tensor2D, training = true): tfNs.Tensor2D {
    const tf = this.tf;
    const { size, channels, projDim } = this.spec;
    const n = x.shape[0];
    let h = tf.reshape(x, [n, size, size, channels]) as tfNs.Tensor4D;
    this.convs.forEach((conv, i) => {
      const y = conv.apply(h, training);
      const bn = this.norms[i];
      h = leakyRelu(tf, bn ? bn.apply(y, training) : y, 0.2);
    });
    const [, hh, ww] = h.shape;
    // The text code repeated at every position of the feature map (Reed et al.'s replicate-and-concat).
    const tiled = tf.mul(tf.reshape(this.text.apply(t, training), [n, 1, 1, projDim]), tf.ones([1, hh, ww, 1])) as tfNs.Tensor4D;
    const joint = leakyRelu(tf, this.jointNorm.apply(this.joint.apply(tf.concat([h, tiled], 3), training), training), 0.2);
    return tf.reshape(this.out.apply(joint, training), [n, 1]) as tfNs.Tensor2D;
  }
}
