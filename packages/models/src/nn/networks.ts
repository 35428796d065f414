/**
 * One network interface for the GAN families, whatever the data: on 2-D points the project's
 * MLPs (the default 2-D architecture, unchanged: the same Rng draws in the same order, so the
 * same numbers bit for bit), on images the DCGAN conv networks of dcgan.ts. Every network maps
 * rows to rows — a generator returns its images as NHWC-flattened rows [N, h·w·c] and a
 * discriminator accepts such rows — so the families' batches, losses, gradient penalty and
 * sampling code are the same for both. The family modules keep their algorithm boxes; only the
 * networks change.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF, Variable } from '../family.js';
import type { Rng } from '../rng.js';
import type { ParamModule } from './params.js';
import { ConvDiscriminator, ConvGenerator } from './dcgan.js';
import { activate, Mlp, type Activation } from './mlp.js';
import { SpectralNorm } from './spectral-norm.js';
import { badInputError, internalError, usageError } from '@gen-eval/metrics/errors';

/** How a network is called. */
export interface NetworkCall {
  /**
   * Training mode (default true): batch norm uses the batch's statistics and updates its running
   * averages; spectral norm advances its power iteration. False in sampling: running averages.
   */
  training?: boolean;
  /** [N, condDim] condition: concatenated to the input (MLP, conv generator) or as constant maps (conv D). */
  cond?: tfNs.Tensor2D;
}

/** A generator or discriminator: rows in, rows out. */
export interface Network extends ParamModule {
  /** Values per output row (a generator: the data's dims; a discriminator: its logits). */
  readonly outDim: number;
  /** [N, in] → [N, outDim]. */
  apply(x: tfNs.Tensor2D, call?: NetworkCall): tfNs.Tensor2D;
}

/** A discriminator with its last hidden representation exposed (InfoGAN's Q head reads it). */
export interface Discriminator extends Network {
  /** Width of `features`' rows. */
  readonly featureDim: number;
  /** The last hidden representation [N, featureDim], after its non-linearity. */
  features(x: tfNs.Tensor2D, call?: NetworkCall): tfNs.Tensor2D;
  /** The output layer on `features`: [N, featureDim] → [N, outDim] logits. */
  head(h: tfNs.Tensor2D, call?: NetworkCall): tfNs.Tensor2D;
  /**
   * D as one function of several batches that all see the same weights: with spectral norm and
   * `training`, the power iteration advances ONCE (on the first call), however many batches
   * (real, fake) the update evaluates — one step per D update, as SNGAN's algorithm has it.
   */
  critic(training: boolean): (x: tfNs.Tensor2D, cond?: tfNs.Tensor2D) => tfNs.Tensor2D;
}

/** The image shape of the data (present for image data). */
export interface ImageInfo {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** What the builders need: the data's dims and image shape, the widths, the init Rng. */
export interface NetworkSpec {
  readonly tf: TF;
  readonly rng: Rng;
  readonly dims: number;
  readonly image?: ImageInfo;
  /** 2-D: width of the two hidden layers; images: the conv channel width (doubling per level). */
  readonly hidden: number;
}

export interface GeneratorSpec {
  /** Dimension of the noise z. */
  readonly latentDim: number;
  /** Extra inputs (condition, codes) concatenated to z; default 0. */
  readonly condDim?: number;
  /** 2-D hidden activation (default relu). */
  readonly activation?: Activation;
}

export interface DiscriminatorSpec {
  /** Extra inputs (condition); default 0. */
  readonly condDim?: number;
  /** Logits per sample (default 1). */
  readonly outputs?: number;
  /** 2-D hidden activation (default relu). */
  readonly activation?: Activation;
  /**
   * Normalisation: 'batch' (DCGAN; images only — the 2-D MLP has none, and asking it for batch
   * norm is an internal error, not a silent 'none'), 'spectral' (SNGAN: W/σ(W) in every layer,
   * both kinds of data) or 'none' (default).
   */
  readonly norm?: 'batch' | 'spectral' | 'none';
  /** Spectral norm: power-iteration steps per training call (default 1; images: 1 only). */
  readonly powerIterations?: number;
  /** 2-D only: name the variables `body.i` (hidden layers) and `head.0` (InfoGAN's checkpoint names). */
  readonly bodyHeadNames?: boolean;
}

/** Square images only (the DCGAN plans are for 28, 32 and 64 px). */
function imageSide(image: ImageInfo): number {
  if (image.height !== image.width) throw badInputError(`the conv networks need square images, got ${image.height}×${image.width}`);
  return image.height;
}

/** [input] → MLP, the input and condition concatenated. */
function mlpInput(tf: TF, x: tfNs.Tensor2D, cond?: tfNs.Tensor2D): tfNs.Tensor2D {
  return cond ? (tf.concat([x, cond], 1) as tfNs.Tensor2D) : x;
}

/**
 * The generator: 2-D, the MLP [latent + cond] → hidden → hidden → dims; images, the DCGAN
 * ConvGenerator (batch norm, ReLU, tanh) with its output flattened to rows.
 */
export function buildGenerator(spec: NetworkSpec, g: GeneratorSpec): Network {
  const { tf, rng, dims, image, hidden } = spec;
  const condDim = g.condDim ?? 0;
  if (!image) {
    const m = new Mlp(tf, rng, [g.latentDim + condDim, hidden, hidden, dims], { activation: g.activation ?? 'relu' });
    return {
      namedVariables: (p) => m.namedVariables(p),
      trainable: () => m.trainable(),
      dispose: () => m.dispose(),
      outDim: dims,
      apply: (z, call = {}) => m.apply(mlpInput(tf, z, call.cond)),
    };
  }
  const G = new ConvGenerator(tf, rng, { latentDim: g.latentDim, size: imageSide(image), channels: image.channels, width: hidden, condDim });
  return {
    outDim: dims,
    apply: (z, call = {}) => {
      const y = G.apply(z, { training: call.training ?? true, ...(call.cond ? { cond: call.cond } : {}) });
      return tf.reshape(y, [y.shape[0], dims]) as tfNs.Tensor2D;
    },
    namedVariables: (p) => G.namedVariables(p),
    trainable: () => G.trainable(),
    dispose: () => G.dispose(),
  };
}

/**
 * The discriminator: 2-D, the MLP [dims + cond] → hidden → hidden → outputs (the last hidden
 * layer its `features`); images, the DCGAN ConvDiscriminator (LeakyReLU 0.2; the condition as
 * one-hot maps on the input), with `norm` in its hidden layers.
 */
export function buildDiscriminator(spec: NetworkSpec, d: DiscriminatorSpec = {}): Discriminator {
  return spec.image ? convDiscriminator(spec, spec.image, d) : mlpDiscriminator(spec, d);
}

function mlpDiscriminator(spec: NetworkSpec, d: DiscriminatorSpec): Discriminator {
  const { tf, rng, dims, hidden } = spec;
  const outputs = d.outputs ?? 1;
  if (d.norm === 'batch') throw internalError("the 2-D MLP discriminator has no batch norm: ask for norm 'none' on 2-D data");
  const act = d.activation ?? 'relu';
  const m = new Mlp(tf, rng, [dims + (d.condDim ?? 0), hidden, hidden, outputs], { activation: act });
  // Spectral norm's u, v are drawn after the MLP's weights (the order the 2-D sngan always used).
  const sn = d.norm === 'spectral' ? m.layers.map((l) => new SpectralNorm(tf, rng, l.W.shape[0], l.W.shape[1]!, { powerIterations: d.powerIterations ?? 1 })) : null;
  const last = m.layers.length - 1;
  /** Layer i's weight: W, or W/σ(W) (one power-iteration step when training). */
  const weight = (i: number, training: boolean): tfNs.Tensor2D => {
    const W = m.layers[i]!.W as tfNs.Tensor2D;
    return sn ? sn[i]!.normalize(W, training) : W;
  };
  /** D with fixed weights (the same W/σ for every batch it sees). */
  const fixed = (training: boolean) => {
    if (!sn) return (x: tfNs.Tensor2D, cond?: tfNs.Tensor2D) => m.apply(mlpInput(tf, x, cond));
    const W = m.layers.map((_, i) => weight(i, training));
    return (x: tfNs.Tensor2D, cond?: tfNs.Tensor2D) => m.apply(mlpInput(tf, x, cond), (_, i) => W[i]!);
  };
  const layer = (i: number, h: tfNs.Tensor2D, training: boolean) => m.layers[i]!.affine(h, weight(i, training));
  // InfoGAN's 2-D checkpoints name its body and D head separately: keep those names.
  const named = (p: string): [string, Variable][] =>
    d.bodyHeadNames ? m.layers.flatMap((l, i) => l.namedVariables(i < last ? `${p}.body.${i}` : `${p}.head.0`)) : m.namedVariables(p);
  return {
    outDim: outputs,
    featureDim: hidden,
    apply: (x, call = {}) => fixed(call.training ?? true)(x, call.cond),
    features: (x, call = {}) => {
      let h = mlpInput(tf, x, call.cond);
      for (let i = 0; i < last; i++) h = activate(tf, layer(i, h, call.training ?? true), act);
      return h;
    },
    head: (h, call = {}) => layer(last, h, call.training ?? true),
    critic: fixed,
    namedVariables: (p) => [...named(p), ...(sn ? sn.flatMap((s, i) => s.namedVariables(`${p}.${i}.sn`)) : [])],
    trainable: () => m.trainable(),
    dispose: () => {
      m.dispose();
      sn?.forEach((s) => s.dispose());
    },
  };
}

function convDiscriminator(spec: NetworkSpec, image: ImageInfo, d: DiscriminatorSpec): Discriminator {
  const { tf, rng, hidden } = spec;
  const condDim = d.condDim ?? 0;
  if (d.norm === 'spectral' && (d.powerIterations ?? 1) !== 1)
    throw usageError('the conv discriminator runs one power-iteration step per update (powerIterations must be 1 on images)');
  const D = new ConvDiscriminator(tf, rng, { size: imageSide(image), channels: image.channels, width: hidden, outputs: d.outputs ?? 1, norm: d.norm ?? 'none', condDim });
  const callOf = (call: NetworkCall) => ({ training: call.training ?? true, ...(call.cond ? { cond: call.cond } : {}) });
  return {
    outDim: d.outputs ?? 1,
    featureDim: D.featureDim,
    apply: (x, call = {}) => D.apply(x, callOf(call)),
    features: (x, call = {}) => D.features(x, callOf(call)),
    head: (h, call = {}) => D.head.apply(h, call.training ?? true),
    critic: (training) => {
      // Spectral norm: only the first call advances the power iteration; later calls reuse the
      // stored u, v (the same W/σ). With batch norm, every call in training mode uses its own
      // batch's statistics (DCGAN's separate real and fake passes).
      let first = true;
      const spectral = d.norm === 'spectral';
      return (x, cond) => {
        const t = spectral ? training && first : training;
        first = false;
        return D.apply(x, { training: t, ...(cond ? { cond } : {}) });
      };
    },
    namedVariables: (p) => D.namedVariables(p),
    trainable: () => D.trainable(),
    dispose: () => D.dispose(),
  };
}
