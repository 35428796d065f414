/**
 * Variational auto-encoder (Kingma & Welling 2014, "Auto-Encoding Variational Bayes", Algorithm 1
 * with the Gaussian encoder and decoder of Appendix C.2). The encoder q_φ(z|x) = N(μ(x), diag σ²(x))
 * and the decoder p_θ(x|z) = N(m(z), diag σ_x²) are trained together by maximising the ELBO
 *
 *   L(x) = E_{q(z|x)}[log p(x|z)] − KL(q(z|x) ‖ N(0, I))
 *
 * with the KL in closed form (the paper's estimator B, eq. 10) and the expectation estimated with
 * one reparameterised draw z = μ + σ ⊙ ε, ε ~ N(0, I).
 *
 * for each step:
 *   x ~ data, ε ~ N(0, I)
 *   (μ, log σ²) = Enc(x);  z = μ + exp(½ log σ²) ⊙ ε
 *   recon = −log N(x; Dec(z), diag exp(log σ_x²))          (nats, summed over dims)
 *   kl    = ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²)              (analytic, summed over latent dims)
 *   θ, φ ← Adam(∇ mean(recon + kl))                         (loss = −ELBO)
 *
 * Choices for 2-D data (documented because the paper's experiments are images):
 * - The latent is 2-D by default: the data's intrinsic dimension is 2, and extra latent
 *   dimensions are switched off by the KL term ("inactive units") while costing compute. It is a
 *   hyper-parameter (`latentDim`).
 * - The decoder's observation noise is ONE learned log-variance per data dimension (global, not a
 *   function of z). A fixed σ_x would fix the trade-off between reconstruction and KL by hand; a
 *   learned one is the maximum-likelihood choice and makes the ELBO a proper bound in nats. A
 *   per-z variance can collapse onto single points (unbounded likelihood), a global one cannot.
 * - `sample` draws z ~ N(0, I), then x = Dec(z) + σ_x ⊙ ε: the decoder mean alone would be a
 *   smoothed curve through the modes, without the data's spread around them.
 *
 * Images (`data.image` set; the same algorithm, other networks and likelihood):
 * - Enc is nn/dcgan.ts's conv encoder (conv k4 s2 → LeakyReLU per level → dense 2·latentDim),
 *   Dec its conv decoder (dense → ConvT k4 s2 per level), `hidden` channels at full resolution.
 * - p_θ(x|z) is a discretised logistic per pixel over the 256 byte bins (PixelCNN++; see
 *   nn/image-likelihood.ts): Dec outputs a mean and a log-scale per pixel (2·C channels; the
 *   log-scale clamped at −7). A per-pixel, per-z scale is safe here because a bin's probability
 *   is at most 1. So `recon` + `kl` is −ELBO in nats per image of the BYTES, an upper bound on
 *   −log p(image), comparable with the flow's and the literature's MNIST numbers;
 *   `evaluate` returns it as `neg_elbo_nats` (and `bits_per_dim` = nats / (D·ln 2)).
 * - `sample` returns the decoder mean clipped to [−1, 1] (per-pixel logistic noise would only
 *   add speckle), as image VAEs are usually shown.
 * - Image defaults: latent 16, width 32, batch 64, Adam 1e-3. On MNIST (2 shared cores, ≈ 6
 *   steps/s) the held-out negative ELBO of 500 images went from 1 760 nats (untrained) to 874
 *   nats per image (1.61 bits/dim) in 895 steps (150 s).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Batch, FamilyDefinition, Optimizer, TF, TrainableModel, Variable } from '../family.js';
import { convDecoder, convEncoder } from '../nn/dcgan.js';
import { bitsPerDim, discretizedLogisticNll } from '../nn/image-likelihood.js';
import { Mlp } from '../nn/mlp.js';
import type { Rng } from '../rng.js';
import { adam, batchTensor, disposeAll, gaussianNoise, lossValue, namedVariables, sampleInChunks, sumInChunks } from './gan-common.js';
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
  title: 'variational auto-encoder (Kingma & Welling 2014): Gaussian encoder/decoder, analytic KL, learned σ_x',
  defaultData: 'ring-easy',
  hyperParams,
  metrics: { ...LOSS, recon: lossSpec('reconstruction loss') },
  create(ctx) {
    if (ctx.data.image) return imageVae(ctx);
    const { tf, hp, rng, data } = ctx;
    const L = hp.latentDim;
    const enc = new Mlp(tf, rng, [data.dims, hp.hidden, hp.hidden, 2 * L]);
    const dec = new Mlp(tf, rng, [L, hp.hidden, hp.hidden, data.dims]);
    // Global observation log-variance, one per data dimension, starting at σ_x = 1.
    const obsLogVar: Variable = tf.variable(tf.zeros([data.dims]));
    const opt = adam(tf, hp);
    const variables = namedVariables(
      [
        ['enc', enc],
        ['dec', dec],
      ],
      [['obsLogVar', obsLogVar]],
    );
    const optimizers = new Map([['vae', opt]]);
    const trainable = [...enc.trainable(), ...dec.trainable(), obsLogVar];
    const terms = elboTerms(
      tf,
      L,
      (x) => enc.apply(x),
      (x, z) => gaussianNll(tf, x, dec.apply(z), obsLogVar),
    );

    return {
      variables,
      optimizers,
      step: elboStep(tf, opt, trainable, L, terms),
      sample: (n, noise) =>
        sampleInChunks(tf, n, data.dims, (count) => {
          const mean = dec.apply(gaussianNoise(tf, noise, count, L));
          const e = gaussianNoise(tf, noise, count, data.dims);
          return tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, obsLogVar)), e));
        }),
      evaluate(heldOut: Batch, noise: Rng) {
        // One reparameterised draw per held-out point: an unbiased estimate of the mean ELBO.
        const elbo = tf.tidy(() => {
          const t = terms(batchTensor(tf, heldOut), gaussianNoise(tf, noise, heldOut.n, L));
          return tf.neg(tf.mean(tf.add(t.recon, t.kl))) as tfNs.Scalar;
        });
        return { elbo: lossValue(elbo) };
      },
      dispose: () => disposeAll(variables, optimizers),
    };
  },
};

/** Per-row recon and KL terms of the one-sample ELBO estimate for a batch x and its ε. */
type ElboTerms = (x: tfNs.Tensor2D, eps: tfNs.Tensor2D) => { recon: tfNs.Tensor1D; kl: tfNs.Tensor1D };

/**
 * The ELBO's terms: (μ, log σ²) = Enc(x), z = μ + exp(½ log σ²) ⊙ ε, recon = −log p(x|z) from
 * `nll`, kl analytic.
 */
function elboTerms(tf: TF, L: number, encode: (x: tfNs.Tensor2D) => tfNs.Tensor2D, nll: (x: tfNs.Tensor2D, z: tfNs.Tensor2D) => tfNs.Tensor1D): ElboTerms {
  return (x, eps) => {
    const h = encode(x);
    const mu = tf.slice(h, [0, 0], [-1, L]) as tfNs.Tensor2D;
    const logVar = tf.slice(h, [0, L], [-1, L]) as tfNs.Tensor2D;
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps)) as tfNs.Tensor2D;
    return { recon: nll(x, z), kl: gaussianKl(tf, mu, logVar) };
  };
}

/** The step: x ~ data, ε ~ N(0, I); θ, φ ← Adam(∇ mean(recon + kl)); reports loss, recon and kl. */
function elboStep(tf: TF, opt: Optimizer, trainable: Variable[], L: number, terms: ElboTerms): TrainableModel['step'] {
  return (batches, noise) => {
    const batch = batches();
    let recon: tfNs.Scalar | undefined;
    let kl: tfNs.Scalar | undefined;
    const loss = lossValue(
      tf.tidy(() => {
        const x = batchTensor(tf, batch);
        const eps = gaussianNoise(tf, noise, batch.n, L);
        return opt.minimize(
          () => {
            const t = terms(x, eps);
            // Keep the two terms (outside the tape's tidy) to report them without a second pass.
            recon = tf.keep(tf.mean(t.recon));
            kl = tf.keep(tf.mean(t.kl));
            return tf.add(recon, kl) as tfNs.Scalar;
          },
          true,
          trainable,
        );
      }),
    );
    return { loss, recon: lossValue(recon ?? null), kl: lossValue(kl ?? null) };
  };
}

type VaeContext = Parameters<typeof vae.create>[0];

/** The image VAE: conv encoder/decoder, discretised-logistic likelihood (see the header). */
function imageVae(ctx: VaeContext): TrainableModel {
  const { tf, hp, rng, data } = ctx;
  const image = data.image!;
  if (image.height !== image.width) throw badInputError(`the conv VAE needs square images, got ${image.height}×${image.width}`);
  const L = hp.latentDim;
  const C = image.channels;
  const shape = { size: image.height, channels: C, latentDim: L, width: hp.hidden };
  const enc = convEncoder(tf, rng, shape);
  const dec = convDecoder(tf, rng, { ...shape, channels: 2 * C });
  const opt = adam(tf, hp);
  const variables = new Map([...enc.namedVariables('enc'), ...dec.namedVariables('dec')]);
  const optimizers = new Map([['vae', opt]]);
  const trainable = [...enc.trainable(), ...dec.trainable()];

  /** Decoder mean and log-scale, each [N, dims] in the data's NHWC row order. */
  function decode(z: tfNs.Tensor2D): { mean: tfNs.Tensor2D; logScale: tfNs.Tensor2D } {
    const out = dec.apply(z);
    const n = z.shape[0];
    const mean = tf.reshape(tf.slice(out, [0, 0, 0, 0], [-1, -1, -1, C]), [n, data.dims]) as tfNs.Tensor2D;
    const raw = tf.reshape(tf.slice(out, [0, 0, 0, C], [-1, -1, -1, C]), [n, data.dims]) as tfNs.Tensor2D;
    return { mean, logScale: tf.maximum(raw, -7) as tfNs.Tensor2D };
  }

  // recon in nats of the bytes.
  const terms = elboTerms(
    tf,
    L,
    (x) => enc.apply(x),
    (x, z) => {
      const { mean, logScale } = decode(z);
      return discretizedLogisticNll(tf, x, mean, logScale);
    },
  );

  return {
    variables,
    optimizers,
    step: elboStep(tf, opt, trainable, L, terms),
    sample: (n, noise) => sampleInChunks(tf, n, data.dims, (count) => tf.clipByValue(decode(gaussianNoise(tf, noise, count, L)).mean, -1, 1)),
    evaluate(heldOut: Batch, noise: Rng) {
      // One reparameterised draw per image (an unbiased estimate of the mean ELBO), in chunks.
      const sum = sumInChunks(heldOut, (part) =>
        lossValue(
          tf.tidy(() => {
            const t = terms(batchTensor(tf, part), gaussianNoise(tf, noise, part.n, L));
            return tf.sum(tf.add(t.recon, t.kl)) as tfNs.Scalar;
          }),
        ),
      );
      const nats = sum / heldOut.n;
      return { elbo: -nats, neg_elbo_nats: nats, bits_per_dim: bitsPerDim(nats, data.dims) };
    },
    dispose: () => disposeAll(variables, optimizers),
  };
}
