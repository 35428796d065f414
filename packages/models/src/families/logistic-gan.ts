/**
 * The logistic GAN game shared by `gan` and `ns-gan` (see `logisticGan`).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { HpValues, ModelContext, TrainableModel } from '../family.js';
import type { Rng } from '../rng.js';
import { adversarialPair } from './adversarial-pair.js';
import { adam } from './model-state.js';
import type { GAN_HYPER_PARAMS } from './shared-hyper-params.js';
import { batchTensor, gaussianNoise } from './tensors.js';

type GanHp = HpValues<typeof GAN_HYPER_PARAMS>;

/**
 * The logistic GAN game of `gan` and `ns-gan` (Goodfellow et al. 2014, Algorithm 1), which differ
 * only in G's loss, a function of the logits D(G(z)):
 *
 * for each step:
 *   for k = 1…dSteps:
 *     x ~ data, z ~ N(0, I), n, n' ~ N(0, σ²I)                              (σ = instanceNoise)
 *     θ_D ← Adam(∇ [ mean softplus(−D(x + n)) + mean softplus(D(G(z) + n')) ])
 *   z ~ N(0, I), n ~ N(0, σ²I)
 *   θ_G ← Adam(∇ generatorLoss(D(G(z) + n)))
 *
 * D's loss is the binary cross-entropy (real → 1, fake → 0) on logits. Networks: the default
 * 2-D MLPs (no normalisation); on images DCGAN's, batch norm in G and D (Radford et al. 2016);
 * G and D in training mode during the step, G in evaluation mode when sampling.
 */
export function logisticGan(ctx: ModelContext<GanHp & { dSteps: number; instanceNoise?: number }>, generatorLoss: (logits: tfNs.Tensor2D) => tfNs.Scalar): TrainableModel {
  const { tf, hp } = ctx;
  const sigma = hp.instanceNoise ?? 0;
  const { G, D, optD, optG, model } = adversarialPair(ctx, { D: { norm: ctx.data.image ? 'batch' : 'none' }, optimizer: () => adam(tf, hp) });
  // Instance noise (Arjovsky & Bottou 2017, §3): D sees x + σn and G(z) + σn'. Convolving both
  // distributions with one Gaussian keeps the game's optimum (p_data ∗ N = p_g ∗ N ⇔ p_data = p_g)
  // but keeps their supports overlapping, so D cannot become certain and G's gradient survives.
  const noisy = (x: tfNs.Tensor2D, rng: Rng): tfNs.Tensor2D => (sigma > 0 ? tf.add(x, tf.mul(gaussianNoise(tf, rng, x.shape[0], x.shape[1]), sigma)) : x);
  return {
    ...model,
    step(batches, rng) {
      let dLoss = 0;
      for (let k = 0; k < hp.dSteps; k++) {
        const batch = batches();
        dLoss = tf.tidy(() => {
          const x = noisy(batchTensor(tf, batch), rng);
          const fake = noisy(G.apply(gaussianNoise(tf, rng, batch.n, hp.latentDim)), rng);
          return optD.minimize(() => tf.add(tf.mean(tf.softplus(tf.neg(D.apply(x)))), tf.mean(tf.softplus(D.apply(fake)))), D.trainable());
        }).loss;
      }
      const gLoss = tf.tidy(() => {
        const z = gaussianNoise(tf, rng, hp.batchSize, hp.latentDim);
        const n = sigma > 0 ? gaussianNoise(tf, rng, hp.batchSize, ctx.data.dims) : null;
        return optG.minimize(() => generatorLoss(D.apply(n ? tf.add(G.apply(z), tf.mul(n, sigma)) : G.apply(z))), G.trainable());
      }).loss;
      return { d_loss: dLoss, g_loss: gLoss };
    },
  };
}
