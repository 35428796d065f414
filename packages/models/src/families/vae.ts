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
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Batch, FamilyDefinition, TF, Variable } from '../family.js';
import { Mlp } from '../nn/mlp.js';
import type { Rng } from '../rng.js';
import { adam, ADAM_HELP, batchTensor, disposeAll, gaussianNoise, lossValue, namedVariables } from './gan-common.js';

const defaults = {
  batchSize: 256,
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  latentDim: 2,
  hidden: 128,
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

export const vae: FamilyDefinition<typeof defaults> = {
  name: 'vae',
  title: 'variational auto-encoder (Kingma & Welling 2014): Gaussian encoder/decoder, analytic KL, learned σ_x',
  defaultData: 'ring-easy',
  defaults,
  help: {
    ...ADAM_HELP,
    latentDim: 'dimension of the latent z (prior N(0, I))',
    hidden: 'width of the two hidden layers of encoder and decoder',
  },
  create(ctx) {
    const { tf, hp, rng, data } = ctx;
    const L = hp.latentDim;
    const enc = new Mlp(tf, rng, [data.dims, hp.hidden, hp.hidden, 2 * L]);
    const dec = new Mlp(tf, rng, [L, hp.hidden, hp.hidden, data.dims]);
    // Global observation log-variance, one per data dimension, starting at σ_x = 1.
    const obsLogVar: Variable = tf.variable(tf.zeros([data.dims]));
    const opt = adam(tf, hp);
    const variables = namedVariables([['enc', enc], ['dec', dec]], [['obsLogVar', obsLogVar]]);
    const optimizers = new Map([['vae', opt]]);
    const trainable = [...enc.trainable(), ...dec.trainable(), obsLogVar];

    /** Per-row recon and KL terms of the one-sample ELBO estimate (ε from `rng`). */
    function terms(x: tfNs.Tensor2D, eps: tfNs.Tensor2D): { recon: tfNs.Tensor1D; kl: tfNs.Tensor1D } {
      const h = enc.apply(x);
      const mu = tf.slice(h, [0, 0], [-1, L]) as tfNs.Tensor2D;
      const logVar = tf.slice(h, [0, L], [-1, L]) as tfNs.Tensor2D;
      const z = tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps)) as tfNs.Tensor2D;
      return { recon: gaussianNll(tf, x, dec.apply(z), obsLogVar), kl: gaussianKl(tf, mu, logVar) };
    }

    return {
      variables,
      optimizers,
      step(batches, noise) {
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
      },
      sample(n, noise) {
        const out = new Float32Array(n * data.dims);
        const chunk = 4096;
        for (let start = 0; start < n; start += chunk) {
          const count = Math.min(chunk, n - start);
          const y = tf.tidy(() => {
            const mean = dec.apply(gaussianNoise(tf, noise, count, L));
            const e = gaussianNoise(tf, noise, count, data.dims);
            return tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, obsLogVar)), e));
          });
          out.set(y.dataSync(), start * data.dims);
          y.dispose();
        }
        return out;
      },
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
