/**
 * WGAN with gradient penalty (Gulrajani et al. 2017, Algorithm 1): the critic's 1-Lipschitz
 * constraint of `wgan` is enforced softly, by penalising the gradient norm of the critic at
 * random interpolates between real and generated points, instead of clipping its weights.
 *
 * for each step:
 *   for t = 1…n_critic:                    (n_critic = dSteps)
 *     x ~ data, z ~ N(0, I), ε ~ U[0, 1] (one per sample)
 *     x̃ = G(z);  x̂ = ε x + (1 − ε) x̃
 *     L = mean D(x̃) − mean D(x) + λ mean (‖∇_x̂ D(x̂)‖₂ − 1)²
 *     w ← Adam(∇_w L)
 *   z ~ N(0, I)
 *   θ ← Adam(∇_θ −mean D(G(z)))
 *
 * Choices:
 * - 2-D: λ = 0.1, n_critic = 5, Adam α = 5e-4, β = (0.5, 0.9) instead of Algorithm 1's λ = 10,
 *   α = 1e-4, β = (0, 0.9): the authors' released toy-data experiment (igul222/improved_wgan_training)
 *   uses β = (0.5, 0.9) and λ = 0.1, since with λ = 10 a small critic whose slope
 *   starts the wrong way round is held there (turning it through ‖∇D‖ = 0 costs λ) while G
 *   drifts away from the data; the larger step covers the modes sooner (docs/tuning.md, GAN
 *   families). Set lambda = 10, lr = 1e-4, beta1 = 0 for Algorithm 1's setting.
 * - No normalisation in the critic: the penalty is per sample, batch norm would couple the samples.
 * - On images the same penalty on the NHWC-flattened rows: x̂ interpolates whole images and
 *   ‖∇D(x̂)‖ is taken over all pixels (`hyperParams` gives each default per data kind).
 * - ε comes from the step's Rng like all noise.
 * The penalty differentiates a gradient, which tfjs gets right only with the training fixes
 * (tfjs/training-fixes.ts; nn/gradient-penalty.ts refuses to run without them).
 *
 * Reported per step: d_loss (the critic's whole loss L at its last update), g_loss, gp (the
 * penalty term λ·mean(…)² of that update) and w_estimate = mean D(x) − mean D(x̃).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { FamilyDefinition } from '../family.js';
import { gradientPenalty } from '../nn/gradient-penalty.js';
import { adam } from './model-state.js';
import { adversarialPair } from './adversarial-pair.js';
import { batchTensor, gaussianNoise } from './tensors.js';
import { GAN_LOSSES, lossSpec, W_ESTIMATE } from './losses.js';
import { real, withDefault } from '../hyper-param-schema.js';
import { beta2, dSteps, GAN_HYPER_PARAMS } from './shared-hyper-params.js';

/**
 * 2-D: the authors' toy script with a larger step (see above). Images: their image setting
 * (their MNIST and CIFAR experiments: Adam β = (0.5, 0.9), λ = 10; no normalisation in the critic;
 * batch 64 and z ∈ R^100 like the other image GANs) but one critic update at Adam 5e-4 instead of
 * five at 1e-4: the penalty's double backward makes a critic update ~3× a plain one on wasm
 * (docs/tuning.md). lr = 1e-4, dSteps = 5 give the authors' setting.
 */
const hyperParams = {
  ...GAN_HYPER_PARAMS,
  lr: withDefault(GAN_HYPER_PARAMS.lr, 5e-4),
  beta2: beta2(0.9),
  lambda: real({ min: 0, max: 1000, default: { points: 0.1, images: 10 }, help: 'gradient penalty weight λ' }),
  dSteps: dSteps({ points: 5, images: 1 }, 'critic updates per generator update (n_critic)', ['nCritic']),
};

export const wganGp: FamilyDefinition<typeof hyperParams> = {
  name: 'wgan-gp',
  title: 'WGAN with gradient penalty (Gulrajani et al. 2017, Algorithm 1)',
  defaultData: 'ring-easy',
  condition: { kind: 'none' },
  hyperParams,
  metrics: { ...GAN_LOSSES, gp: lossSpec('gradient penalty', [0, Infinity]), w_estimate: W_ESTIMATE },
  create(ctx) {
    const { tf, hp } = ctx;
    const { G, D, optD, optG, model } = adversarialPair(ctx, { D: { norm: 'none' }, optimizer: () => adam(tf, hp) });
    const critic = (x: tfNs.Tensor2D): tfNs.Tensor2D => D.apply(x);
    return {
      ...model,
      step(batches, rng) {
        let critics = { loss: 0, w: 0, gp: 0 };
        for (let t = 0; t < hp.dSteps; t++) {
          const batch = batches();
          critics = tf.tidy(() => {
            const x = batchTensor(tf, batch);
            const fake = G.apply(gaussianNoise(tf, rng, batch.n, hp.latentDim));
            const eps = tf.tensor2d(rng.uniforms(batch.n), [batch.n, 1]);
            return optD.minimize(() => {
              const w = tf.sub(tf.mean(critic(x)), tf.mean(critic(fake))) as tfNs.Scalar;
              const gp = gradientPenalty(tf, critic, x, fake, eps, hp.lambda);
              return { loss: tf.add(tf.neg(w), gp) as tfNs.Scalar, w, gp };
            }, D.trainable());
          });
        }
        const gLoss = tf.tidy(() => {
          const z = gaussianNoise(tf, rng, hp.batchSize, hp.latentDim);
          return optG.minimize(() => tf.neg(tf.mean(critic(G.apply(z)))), G.trainable());
        }).loss;
        const { loss: dLoss, gp, w } = critics;
        return { d_loss: dLoss, g_loss: gLoss, gp, w_estimate: w };
      },
    };
  },
};
