/**
 * DCGAN-style image networks (Radford et al. 2016, "Unsupervised Representation Learning with
 * Deep Convolutional GANs"), scaled to 28/32/64 px and CPU-sized widths, built from conv.ts and dense.ts:
 * - ConvGenerator: z (+ condition) → dense → s₀×s₀×C₀ → BN → ReLU → [ConvT k4 s2 p1 → BN → ReLU]×
 *   → ConvT k4 s2 p1 → tanh; s₀ = 7 for 28 px, else 4. Also the VAE's conv decoder.
 * - ConvDiscriminator: [Conv k4 s2 p1 → (norm) → LeakyReLU 0.2]× (no norm on the first layer)
 *   → flatten → dense → outputs; norm 'batch' (DCGAN), 'spectral' (SNGAN: every layer, dense
 *   included) or 'none' (WGAN-GP's critic). Optional class conditioning by one-hot maps
 *   concatenated to the input, or by projection (Miyato & Koyama 2018). Also the VAE's encoder
 *   (outputs = 2·latent) and a classifier trunk (`features`).
 * Channel widths double per level: for 28 px and width 32, G is 7×7×64 → 14×14×32 → 28×28×C
 * and D is 28×28×C → 14×14×32 → 7×7×64 → outputs.
 * Every network takes its initial weights from the given Rng, in a fixed order.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF, Variable } from '../family.js';
import type { Rng } from '../rng.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2d, ConvTranspose2d, leakyRelu } from './conv.js';
import { Dense } from './dense.js';
import { imagePlan } from './image-plan.js';
import { namedVariablesOf, type ParamModule, variableFrom } from './params.js';
import { type Init, initValues } from './weight-layer.js';
import { internalError } from '@gen-eval/metrics/errors';

/**
 * The plan of a DCGAN network for `opts`: imagePlan's levels, the width (default 32), the weight
 * init (default 'dcgan') and batch norm's init (DCGAN's N(1, 0.02²) scale under 'dcgan').
 */
function netPlan(opts: { size: number; width?: number; init?: Init }): { base: number; levels: number; width: number; init: Init; bnInit: 'dcgan' | 'pytorch' } {
  const init = opts.init ?? 'dcgan';
  return { ...imagePlan(opts.size), width: opts.width ?? 32, init, bnInit: init === 'dcgan' ? 'dcgan' : 'pytorch' };
}

export interface GeneratorOptions {
  /** Dimension of the noise z. */
  latentDim: number;
  /** Image side: 28, 32 or 64. */
  size: number;
  /** Image channels (1 or 3). */
  channels: number;
  /** Channels of the last hidden level (doubling towards the input); default 32. */
  width?: number;
  /** Extra inputs concatenated to z (one-hot class, InfoGAN codes); default 0. */
  condDim?: number;
  /** Batch norm after the projection and each hidden transposed conv (default true). */
  batchNorm?: boolean;
  /** Output non-linearity (default 'tanh': images in [−1, 1]). */
  output?: 'tanh' | 'sigmoid' | 'linear';
  /** Weight initialisation (default 'dcgan'). */
  init?: Init;
}

/** The DCGAN generator (and conv decoder): [N, latent + cond] → [N, size, size, channels]. */
export class ConvGenerator implements ParamModule {
  readonly project: Dense;
  readonly norms: readonly (BatchNorm | null)[];
  readonly ups: readonly ConvTranspose2d[];
  private readonly base: number;
  private readonly baseChannels: number;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: GeneratorOptions,
  ) {
    const { base, levels, width, init, bnInit } = netPlan(opts);
    const bn = opts.batchNorm ?? true;
    this.base = base;
    this.baseChannels = width * 2 ** (levels - 1);
    this.project = new Dense(tf, rng, opts.latentDim + (opts.condDim ?? 0), base * base * this.baseChannels, { init, bias: !bn });
    const norms: (BatchNorm | null)[] = [bn ? new BatchNorm(tf, rng, this.baseChannels, { init: bnInit }) : null];
    const ups: ConvTranspose2d[] = [];
    let c = this.baseChannels;
    for (let i = 0; i < levels; i++) {
      const last = i + 1 === levels;
      const out = last ? opts.channels : c / 2;
      ups.push(new ConvTranspose2d(tf, rng, c, out, { kernel: 4, stride: 2, pad: 1, init, bias: !(bn && !last) }));
      if (!last) norms.push(bn ? new BatchNorm(tf, rng, out, { init: bnInit }) : null);
      c = out;
    }
    this.norms = norms;
    this.ups = ups;
  }

  /**
   * Images from noise: z [N, latentDim], `cond` [N, condDim] when the generator is conditional.
   * `training` selects batch statistics (and updates the running averages) or running averages.
   */
  apply(z: tfNs.Tensor2D, opts: { training?: boolean; cond?: tfNs.Tensor2D } = {}): tfNs.Tensor4D {
    const tf = this.tf;
    const training = opts.training ?? true;
    if ((this.opts.condDim ?? 0) > 0 && !opts.cond) throw internalError('this generator needs a condition input');
    const input = opts.cond ? (tf.concat([z, opts.cond], 1) as tfNs.Tensor2D) : z;
    const n = input.shape[0];
    const normRelu = (h: tfNs.Tensor4D, i: number): tfNs.Tensor4D => {
      const bn = this.norms[i];
      return tf.relu(bn ? bn.apply(h, training) : h);
    };
    let h = normRelu(tf.reshape(this.project.apply(input, training), [n, this.base, this.base, this.baseChannels]) as tfNs.Tensor4D, 0);
    this.ups.forEach((up, i) => {
      const y = up.apply(h);
      h = i + 1 < this.ups.length ? normRelu(y, i + 1) : y;
    });
    const out = this.opts.output ?? 'tanh';
    return out === 'tanh' ? tf.tanh(h) : out === 'sigmoid' ? tf.sigmoid(h) : h;
  }

  namedVariables(prefix: string): [string, Variable][] {
    return namedVariablesOf(prefix, [
      ['project', this.project],
      ...this.norms.map((m, i): [string, ParamModule | null] => [`bn${i}`, m]),
      ...this.ups.map((m, i): [string, ParamModule] => [`up${i}`, m]),
    ]);
  }

  trainable(): Variable[] {
    return [this.project, ...this.norms, ...this.ups].flatMap((m) => (m ? m.trainable() : []));
  }

  dispose(): void {
    for (const m of [this.project, ...this.norms, ...this.ups]) m?.dispose();
  }
}

export interface DiscriminatorOptions {
  /** Image side: 28, 32 or 64. */
  size: number;
  /** Image channels. */
  channels: number;
  /** Channels of the first level (doubling at each level); default 32. */
  width?: number;
  /** Outputs of the final dense layer (1 for a GAN's D; 2·latent for a VAE encoder; K for heads). */
  outputs?: number;
  /** Normalisation of the hidden conv layers (never the first): default 'none'. */
  norm?: 'batch' | 'spectral' | 'none';
  /** One-hot (or code) maps concatenated to the input channels: their dimension (default 0). */
  condDim?: number;
  /** Classes of a projection-discriminator embedding (default 0: none). */
  projectionClasses?: number;
  /** LeakyReLU slope (default 0.2). */
  alpha?: number;
  /** Weight initialisation (default 'dcgan'). */
  init?: Init;
}

export interface DiscriminatorCall {
  /** Batch statistics / power iteration (default true); false for evaluation. */
  training?: boolean;
  /** [N, condDim] condition for input concatenation. */
  cond?: tfNs.Tensor2D;
  /** [N, classes] one-hot labels for the projection term. */
  labels?: tfNs.Tensor2D;
}

/** The DCGAN discriminator / critic / conv encoder: images → [N, outputs]. */
export class ConvDiscriminator implements ParamModule {
  readonly convs: readonly Conv2d[];
  readonly norms: readonly (BatchNorm | null)[];
  readonly head: Dense;
  readonly embed: Variable | null;
  /** Length of the flattened last feature map (`features` returns [N, featureDim]). */
  readonly featureDim: number;
  private readonly alpha: number;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: DiscriminatorOptions,
  ) {
    const { base, levels, width, init, bnInit } = netPlan(opts);
    const norm = opts.norm ?? 'none';
    const sn = norm === 'spectral';
    this.alpha = opts.alpha ?? 0.2;
    const convs: Conv2d[] = [];
    const norms: (BatchNorm | null)[] = [];
    let c = opts.channels + (opts.condDim ?? 0);
    for (let i = 0; i < levels; i++) {
      const out = width * 2 ** i;
      const bn = norm === 'batch' && i > 0;
      convs.push(new Conv2d(tf, rng, c, out, { kernel: 4, stride: 2, pad: 1, init, bias: !bn, spectralNorm: sn }));
      norms.push(bn ? new BatchNorm(tf, rng, out, { init: bnInit }) : null);
      c = out;
    }
    this.convs = convs;
    this.norms = norms;
    this.featureDim = base * base * c;
    this.head = new Dense(tf, rng, this.featureDim, opts.outputs ?? 1, { init, spectralNorm: sn });
    const k = opts.projectionClasses ?? 0;
    if (k > 0) {
      const { w } = initValues(rng, init, k * this.featureDim, 0, this.featureDim);
      this.embed = variableFrom(tf, w, [k, this.featureDim]);
    } else this.embed = null;
  }

  /** Accepts NHWC images or their flattened rows [N, size·size·channels]. */
  private asImages(x: tfNs.Tensor2D | tfNs.Tensor4D): tfNs.Tensor4D {
    if (x.rank === 4) return x as tfNs.Tensor4D;
    const s = this.opts.size;
    return this.tf.reshape(x, [x.shape[0], s, s, this.opts.channels]) as tfNs.Tensor4D;
  }

  /** The flattened last feature map [N, featureDim] (after its LeakyReLU), for extra heads. */
  features(x: tfNs.Tensor2D | tfNs.Tensor4D, call: DiscriminatorCall = {}): tfNs.Tensor2D {
    const tf = this.tf;
    const training = call.training ?? true;
    let h = this.asImages(x);
    const condDim = this.opts.condDim ?? 0;
    if (condDim > 0) {
      if (!call.cond) throw internalError('this discriminator needs a condition input');
      const [n, hh, ww] = h.shape;
      // Constant maps: the one-hot row repeated over every pixel.
      const maps = tf.mul(tf.reshape(call.cond, [n, 1, 1, condDim]), tf.ones([1, hh, ww, 1])) as tfNs.Tensor4D;
      h = tf.concat([h, maps], 3);
    }
    this.convs.forEach((conv, i) => {
      const y = conv.apply(h, training);
      const bn = this.norms[i];
      h = leakyRelu(tf, bn ? bn.apply(y, training) : y, this.alpha);
    });
    return tf.reshape(h, [h.shape[0], this.featureDim]) as tfNs.Tensor2D;
  }

  /** Logits [N, outputs]; with a projection embedding, + ⟨embed(labels), features⟩ on every output. */
  apply(x: tfNs.Tensor2D | tfNs.Tensor4D, call: DiscriminatorCall = {}): tfNs.Tensor2D {
    const tf = this.tf;
    const f = this.features(x, call);
    const out = this.head.apply(f, call.training ?? true);
    if (!this.embed) return out;
    if (!call.labels) throw internalError('this projection discriminator needs one-hot labels');
    const proj = tf.sum(tf.mul(tf.matMul(call.labels, this.embed as tfNs.Tensor2D), f), 1, true);
    return tf.add(out, proj) as tfNs.Tensor2D;
  }

  namedVariables(prefix: string): [string, Variable][] {
    const out = namedVariablesOf(prefix, [
      ...this.convs.map((m, i): [string, ParamModule] => [`conv${i}`, m]),
      ...this.norms.map((m, i): [string, ParamModule | null] => [`bn${i}`, m]),
      ['head', this.head],
    ]);
    if (this.embed) out.push([`${prefix}.embed`, this.embed]);
    return out;
  }

  trainable(): Variable[] {
    const out = [...this.convs, ...this.norms, this.head].flatMap((m) => (m ? m.trainable() : []));
    if (this.embed) out.push(this.embed);
    return out;
  }

  dispose(): void {
    for (const m of [...this.convs, ...this.norms, this.head]) m?.dispose();
    this.embed?.dispose();
  }
}

/** A conv VAE encoder: images → [N, 2·latentDim] (mean, then log-variance), batch norm optional. */
export function convEncoder(tf: TF, rng: Rng, opts: { size: number; channels: number; latentDim: number; width?: number; batchNorm?: boolean; init?: Init }): ConvDiscriminator {
  return new ConvDiscriminator(tf, rng, {
    size: opts.size,
    channels: opts.channels,
    width: opts.width,
    outputs: 2 * opts.latentDim,
    norm: opts.batchNorm ? 'batch' : 'none',
    init: opts.init ?? 'pytorch',
  });
}

/** A conv VAE decoder: [N, latentDim] → images; `output` 'sigmoid' for Bernoulli pixels in [0, 1]. */
export function convDecoder(
  tf: TF,
  rng: Rng,
  opts: { size: number; channels: number; latentDim: number; width?: number; batchNorm?: boolean; output?: 'tanh' | 'sigmoid' | 'linear'; init?: Init },
): ConvGenerator {
  return new ConvGenerator(tf, rng, {
    latentDim: opts.latentDim,
    size: opts.size,
    channels: opts.channels,
    width: opts.width,
    batchNorm: opts.batchNorm ?? false,
    output: opts.output ?? 'linear',
    init: opts.init ?? 'pytorch',
  });
}
