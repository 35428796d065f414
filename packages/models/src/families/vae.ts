/**
 * Variational auto-encoder (Kingma & Welling 2014, "Auto-Encoding Variational Bayes", Algorithm 1
 * with the Gaussian encoder of Appendix C.2). The encoder q_φ(z|x) = N(μ(x), diag σ²(x)) and a
 * decoder p_θ(x|z) are trained together by maximising the ELBO
 *
 *   L(x) = E_{q(z|x)}[log p(x|z)] − KL(q(z|x) ‖ N(0, I))
 *
 * with the KL in closed form (the paper's estimator B, eq. 10) and the expectation estimated with
 * one reparameterised draw z = μ + σ ⊙ ε, ε ~ N(0, I).
 *
 * for each step:
 *   x ~ data, ε ~ N(0, I)
 *   (μ, log σ²) = Enc(x);  z = μ + exp(½ log σ²) ⊙ ε
 *   recon = −log p_θ(x | z)                                (nats, summed over dims)
 *   kl    = ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²)              (analytic, summed over latent dims)
 *   θ, φ ← Adam(∇ mean(recon + kl))                         (loss = −ELBO)
 * sample: z ~ N(0, I), x read out of p_θ(x|z).
 * evaluate: `elbo` = −mean(recon + kl) over the held-out rows, one draw per row (unbiased).
 *
 * One algorithm (`elbo`), two builders of the parts that differ by data kind (`VaeParts`):
 *
 * 2-D data (`mlpVae`; the paper's experiments are images, so these choices are ours):
 * - Enc and Dec are MLPs (two hidden layers of `hidden`); the latent is 2-D by default, the data's
 *   intrinsic dimension (extra latent dimensions are switched off by the KL, at a compute cost).
 * - p_θ(x|z) = N(Dec(z), diag σ_x²) with ONE learned log-variance per data dimension (global, not
 *   a function of z): a fixed σ_x would set the recon/KL trade-off by hand, a learned one is the
 *   maximum-likelihood choice, and a per-z variance can collapse onto single points (unbounded
 *   likelihood) where a global one cannot.
 * - A sample is Dec(z) + σ_x ⊙ ε: the decoder mean alone is a smoothed curve through the modes,
 *   without the data's spread around them.
 *
 * Images (`convVae`):
 * - Enc and Dec are nn/dcgan.ts's conv encoder and decoder, `hidden` channels at full resolution.
 * - p_θ(x|z) is a discretised logistic per pixel over the 256 byte bins (PixelCNN++, Salimans et
 *   al. 2017; nn/image-likelihood.ts): Dec outputs a mean and a log-scale per pixel (2·C channels,
 *   the log-scale clamped at −7). A per-pixel, per-z scale is safe because a bin's probability is
 *   at most 1. −ELBO is then an upper bound on −log P(bytes) in nats per image, comparable with
 *   the flow's and the literature's numbers, so `evaluate` adds it as `neg_elbo_nats` and
 *   `bits_per_dim` (nats / (D·ln 2)).
 * - A sample is the decoder mean clipped to [−1, 1] (per-pixel logistic noise only adds speckle),
 *   as image VAEs are usually shown.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Batch, FamilyDefinition, TF, TrainableModel, Variable } from '../family.js';
import { convDecoder, convEncoder } from '../nn/dcgan.js';
import { bitsPerDim, discretizedLogisticNll } from '../nn/image-likelihood.js';
import { Mlp } from '../nn/mlp.js';
import type { Rng } from '../rng.js';
import { adam, disposeAll, namedVariables } from './model-state.js';
import { batchTensor, gaussianNoise, scalarValue } from './tensors.js';
import { sampleInChunks, sumInChunks } from './chunked-sampling.js';
import { badInputError } from '@gen-eval/metrics/errors';
import { LOSS, lossSpec } from './losses.js';
import { adamHyperParams, latentDim, width } from './shared-hyper-params.js';

/** Adam's usual β; 2-D: a 2-D latent (the data's intrinsic dimension); images: latent 16, width 32, batch 64. */
const hyperParams = {
  ...adamHyperParams({ batchSize: { points: 256, images: 64 }, lr: 1e-3, beta1: 0.9, beta2: 0.999 }),
  latentDim: latentDim({ points: 2, images: 16 }, 'dimension of the latent z (prior N(0, I))'),
  hidden: width({ points: 128, images: 32 }, 'width of the two hidden layers of encoder and decoder (images: channels of the first conv level)'),
};

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * The analytic KL(N(μ, diag exp(logVar)) ‖ N(0, I)) per row, summed over the latent dimensions
 * (Kingma & Welling 2014, Appendix B): ½ Σ (μ² + σ² − 1 − log σ²).
 */
export function gaussianKl(tf: TF, mu: tfNs.Tensor2D, logVar: tfNs.Tensor2D): tfNs.Tensor1D {
  return tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(1, logVar)), 1)) as tfNs.Tensor1D;
}

/** −log N(x; mean, diag exp(logVar)) per row, summed over dimensions (logVar broadcasts). */
export function gaussianNll(tf: TF, x: tfNs.Tensor2D, mean: tfNs.Tensor2D, logVar: tfNs.Tensor): tfNs.Tensor1D {
  const sq = tf.div(tf.square(tf.sub(x, mean)), tf.exp(logVar));
  return tf.mul(0.5, tf.sum(tf.add(tf.add(sq, logVar), LOG_2PI), 1)) as tfNs.Tensor1D;
}

export const vae: FamilyDefinition<typeof hyperParams> = {
  name: 'vae',
  title: 'variational auto-encoder (Kingma & Welling 2014): Gaussian encoder, analytic KL; Gaussian decoder with learned σ_x (images: discretised logistic)',
  defaultData: 'ring-easy',
  condition: { kind: 'none' },
  hyperParams,
  metrics: { ...LOSS, recon: lossSpec('reconstruction loss') },
  create: (ctx) => elbo(ctx, ctx.data.image ? convVae(ctx) : mlpVae(ctx)),
};

type VaeContext = Parameters<typeof vae.create>[0];

/** What differs between data kinds: the networks, p_θ(x|z), and how samples and scores read out. */
interface VaeParts {
  /** Checkpoint names (`enc/…`, `dec/…`, the likelihood's own) → variables. */
  readonly variables: Map<string, Variable>;
  /** What Adam trains, in this order. */
  readonly trainable: Variable[];
  /** Enc(x) = [μ ‖ log σ²], n × 2L. */
  encode(x: tfNs.Tensor2D): tfNs.Tensor2D;
  /** recon = −log p_θ(x|z) per row, in nats. */
  nll(x: tfNs.Tensor2D, z: tfNs.Tensor2D): tfNs.Tensor1D;
  /** The sample shown for latents z (`noise`: any observation noise). */
  readOut(z: tfNs.Tensor2D, noise: Rng): tfNs.Tensor2D;
  /** Held-out rows 256 at a time (images: bounded memory) rather than in one pass. */
  readonly evalInChunks: boolean;
  /** What `evaluate` reports beside `elbo`, from the held-out mean −ELBO in nats per row. */
  heldOutMetrics(nats: number): Record<string, number>;
}

/** 2-D data: MLP encoder and decoder, Gaussian p_θ(x|z) with a learned global σ_x (see the header). */
function mlpVae(ctx: VaeContext): VaeParts {
  const { tf, hp, rng, data } = ctx;
  const L = hp.latentDim;
  const enc = new Mlp(tf, rng, [data.dims, hp.hidden, hp.hidden, 2 * L]);
  const dec = new Mlp(tf, rng, [L, hp.hidden, hp.hidden, data.dims]);
  // Global observation log-variance, one per data dimension, starting at σ_x = 1.
  const obsLogVar: Variable = tf.variable(tf.zeros([data.dims]));
  return {
    variables: namedVariables(
      [
        ['enc', enc],
        ['dec', dec],
      ],
      [['obsLogVar', obsLogVar]],
    ),
    trainable: [...enc.trainable(), ...dec.trainable(), obsLogVar],
    encode: (x) => enc.apply(x),
    nll: (x, z) => gaussianNll(tf, x, dec.apply(z), obsLogVar),
    readOut(z, noise) {
      const mean = dec.apply(z);
      const e = gaussianNoise(tf, noise, z.shape[0], data.dims);
      return tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, obsLogVar)), e));
    },
    evalInChunks: false,
    heldOutMetrics: () => ({}),
  };
}

/** Images: conv encoder and decoder, discretised-logistic p_θ(x|z) over the bytes (see the header). */
function convVae(ctx: VaeContext): VaeParts {
  const { tf, hp, rng, data } = ctx;
  const image = data.image!;
  if (image.height !== image.width) throw badInputError(`the conv VAE needs square images, got ${image.height}×${image.width}`);
  const C = image.channels;
  const shape = { size: image.height, channels: C, latentDim: hp.latentDim, width: hp.hidden };
  const enc = convEncoder(tf, rng, shape);
  const dec = convDecoder(tf, rng, { ...shape, channels: 2 * C });

  /** Decoder mean and log-scale, each [N, dims] in the data's NHWC row order. */
  function decode(z: tfNs.Tensor2D): { mean: tfNs.Tensor2D; logScale: tfNs.Tensor2D } {
    const out = dec.apply(z);
    const n = z.shape[0];
    const mean = tf.reshape(tf.slice(out, [0, 0, 0, 0], [-1, -1, -1, C]), [n, data.dims]) as tfNs.Tensor2D;
    const raw = tf.reshape(tf.slice(out, [0, 0, 0, C], [-1, -1, -1, C]), [n, data.dims]) as tfNs.Tensor2D;
    return { mean, logScale: tf.maximum(raw, -7) as tfNs.Tensor2D };
  }

  return {
    variables: new Map([...enc.namedVariables('enc'), ...dec.namedVariables('dec')]),
    trainable: [...enc.trainable(), ...dec.trainable()],
    encode: (x) => enc.apply(x),
    nll(x, z) {
      const { mean, logScale } = decode(z);
      return discretizedLogisticNll(tf, x, mean, logScale);
    },
    readOut: (z) => tf.clipByValue(decode(z).mean, -1, 1),
    evalInChunks: true,
    heldOutMetrics: (nats) => ({ neg_elbo_nats: nats, bits_per_dim: bitsPerDim(nats, data.dims) }),
  };
}

/** The ELBO algorithm of the header (training, sampling, held-out ELBO) on either kind's parts. */
function elbo(ctx: VaeContext, parts: VaeParts): TrainableModel {
  const { tf, hp, data } = ctx;
  const L = hp.latentDim;
  const opt = adam(tf, hp);
  const { variables, trainable } = parts;
  const optimizers = new Map([['vae', opt]]);

  /** Per-row recon and KL of the one-draw ELBO estimate: z = μ + exp(½ log σ²) ⊙ ε. */
  function terms(x: tfNs.Tensor2D, eps: tfNs.Tensor2D): { recon: tfNs.Tensor1D; kl: tfNs.Tensor1D } {
    const h = parts.encode(x);
    const mu = tf.slice(h, [0, 0], [-1, L]) as tfNs.Tensor2D;
    const logVar = tf.slice(h, [0, L], [-1, L]) as tfNs.Tensor2D;
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps)) as tfNs.Tensor2D;
    return { recon: parts.nll(x, z), kl: gaussianKl(tf, mu, logVar) };
  }

  return {
    variables,
    optimizers,
    step(batches, noise) {
      const batch = batches();
      return tf.tidy(() => {
        const x = batchTensor(tf, batch);
        const eps = gaussianNoise(tf, noise, batch.n, L);
        return opt.minimize(() => {
          const t = terms(x, eps);
          const recon = tf.mean(t.recon);
          const kl = tf.mean(t.kl);
          return { loss: tf.add(recon, kl) as tfNs.Scalar, recon, kl };
        }, trainable);
      });
    },
    sample: (n, noise) => sampleInChunks(tf, n, data.dims, (count) => parts.readOut(gaussianNoise(tf, noise, count, L), noise)),
    evaluate(heldOut: Batch, noise: Rng) {
      // One reparameterised draw per held-out row: an unbiased estimate of the mean ELBO.
      const negElbo = (rows: Batch) => {
        const t = terms(batchTensor(tf, rows), gaussianNoise(tf, noise, rows.n, L));
        return tf.add(t.recon, t.kl);
      };
      const nats = parts.evalInChunks
        ? sumInChunks(heldOut, (part) => scalarValue(tf.tidy(() => tf.sum(negElbo(part)) as tfNs.Scalar))) / heldOut.n
        : scalarValue(tf.tidy(() => tf.mean(negElbo(heldOut)) as tfNs.Scalar));
      return { elbo: -nats, ...parts.heldOutMetrics(nats) };
    },
    dispose: () => disposeAll(variables, optimizers),
  };
}
