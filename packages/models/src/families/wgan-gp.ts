/**
 * WGAN with gradient penalty (Gulrajani et al. 2017, Algorithm 1): the critic's 1-Lipschitz
 * constraint of `wgan` is enforced softly, by penalising the gradient norm of the critic at
 * random interpolates between real and generated points, instead of clipping its weights.
 *
 * for each step:
 *   for t = 1…n_critic:
 *     x ~ data, z ~ N(0, I), ε ~ U[0, 1] (one per sample)
 *     x̃ = G(z);  x̂ = ε x + (1 − ε) x̃
 *     L = mean D(x̃) − mean D(x) + λ mean (‖∇_x̂ D(x̂)‖₂ − 1)²
 *     w ← Adam(∇_w L)
 *   z ~ N(0, I)
 *   θ ← Adam(∇_θ −mean D(G(z)))
 *
 * Choices:
 * - 2-D: λ = 0.1, n_critic = 5, Adam α = 5e-4, β = (0.5, 0.9) instead of Algorithm 1's λ = 10,
 *   α = 1e-4, β = (0, 0.9): the authors' toy-data script (igul222/improved_wgan_training,
 *   gan_toy.py) uses β = (0.5, 0.9) and λ = 0.1, since with λ = 10 a small critic whose slope
 *   starts the wrong way round is held there (turning it through ‖∇D‖ = 0 costs λ) while G
 *   drifts away from the data; the larger step covers the modes sooner (docs/tuning.md, GAN
 *   families). Set lambda = 10, lr = 1e-4, beta1 = 0 for Algorithm 1's setting.
 * - No normalisation in the critic: the penalty is per sample, batch norm would couple the samples.
 * - On images the same penalty on the NHWC-flattened rows: x̂ interpolates whole images and
 *   ‖∇D(x̂)‖ is taken over all pixels (see `imageDefaults`).
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
import { adam, adversarialPair, batchTensor, GAN_DEFAULTS, D_STEPS_RANGE, GAN_RANGES, GAN_HELP, GAN_IMAGE_DEFAULTS, gaussianNoise } from './gan-common.js';
import { GAN_LOSSES, lossSpec, W_ESTIMATE } from './losses.js';

const defaults = { ...GAN_DEFAULTS, lr: 5e-4, beta1: 0.5, beta2: 0.9, lambda: 0.1, nCritic: 5 };

/**
 * Images: the authors' image setting (gan_mnist.py / gan_cifar.py) — Adam β = (0.5, 0.9), λ = 10;
 * DCGAN's networks (batch norm in G) with NO normalisation in the critic; batch 64 and z ∈ R^100
 * like the other image GANs (their MNIST script: 50 and 128) — but one critic iteration at
 * Adam 5e-4 instead of five at 1e-4: the penalty's double backward makes a critic iteration
 * ~3× a plain one on wasm, and five of them left 192 generator steps in 5 minutes. Measured on
 * MNIST 28 px (seed 0, FID with the embedded classifier; untrained 2 590): n_critic 5 at 1e-4,
 * 2 570 after 192 steps; n_critic 1 at 2e-4, 2 200 after 300 and 960 after 600; n_critic 1 at
 * 5e-4, 1 350 after 200 and 505 after 400. Set lr = 1e-4, nCritic = 5 for the authors' setting.
 */
const imageDefaults = { ...GAN_IMAGE_DEFAULTS, lr: 5e-4, beta1: 0.5, beta2: 0.9, lambda: 10, nCritic: 1 };

export const wganGp: FamilyDefinition<typeof defaults> = {
  name: 'wgan-gp',
  title: 'WGAN with gradient penalty (Gulrajani et al. 2017, Algorithm 1)',
  defaultData: 'ring-easy',
  condition: { kind: 'none' },
  defaults,
  imageDefaults,
  ranges: { ...GAN_RANGES, lambda: { type: 'real', min: 0, max: 1000 }, nCritic: D_STEPS_RANGE },
  metrics: { ...GAN_LOSSES, gp: lossSpec('gradient penalty', [0, Infinity]), w_estimate: W_ESTIMATE },
  help: {
    ...GAN_HELP,
    lambda: 'gradient penalty weight λ',
    nCritic: 'critic iterations per generator iteration',
  },
  create(ctx) {
    const { tf, hp } = ctx;
    const { G, D, optD, optG, model } = adversarialPair(ctx, { D: { norm: 'none' }, optimizer: () => adam(tf, hp) });
    const critic = (x: tfNs.Tensor2D): tfNs.Tensor2D => D.apply(x);
    return {
      ...model,
      step(batches, rng) {
        let critics = { loss: 0, w: 0, gp: 0 };
        for (let t = 0; t < hp.nCritic; t++) {
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
