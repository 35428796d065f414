/**
 * WGAN with gradient penalty (Gulrajani et al. 2017, Algorithm 1): the critic's 1-Lipschitz
 * constraint of `wgan` is enforced softly, by penalising the gradient norm of the critic at
 * random interpolates between real and generated points, instead of clipping its weights.
 * Algorithm 1's defaults are λ = 10, n_critic = 5, Adam α = 1e-4, β = (0, 0.9); the authors'
 * own toy-data script (gan_toy.py) uses β = (0.5, 0.9) and lowers λ to 0.1 (a smaller λ, its
 * comment says, helps on toy tasks). With λ = 10 a small critic whose slope starts the wrong way
 * round is held there by the penalty (turning it through ‖∇D‖ = 0 costs λ), and G first drifts
 * away from the data. Our 2-D defaults follow the toy script, with a larger step:
 * λ = 0.1, n_critic = 5, Adam α = 5e-4, β = (0.5, 0.9). Measured on ring-easy (seed 1, 2500
 * samples; modes covered / high-quality share): α 1e-4 λ 10 (the reference setting): 2/8, 2.9 %
 * at 2000 steps; α 1e-4 λ 0.1: 8/8, 1.5 % at 1500; α 5e-4 λ 10: 4/8, 1.8 % at 1500 (critic
 * stuck with negative W estimate); α 5e-4 λ 0.1: 8/8, 28.6 % at 1500, and in a timed run
 * 8/8, 61.3 % at 2000 steps (108 s) and 89.3 % at 4000 (226 s). Set lambda = 10, lr = 1e-4,
 * beta1 = 0 for Algorithm 1's setting. No batch normalisation in the
 * critic (the penalty is per sample; batch norm would couple the samples). On images the
 * penalty is the same, on the NHWC-flattened rows: x̂ interpolates whole images, ‖∇D(x̂)‖ is
 * taken over all pixels (see `imageDefaults`).
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
 * The penalty differentiates a gradient: its hidden activations must have correct second-order
 * gradients in tfjs (relu and softplus do; tanh and sigmoid need the training fixes, see
 * tfjs/training-fixes.ts). ε comes from the step's Rng like all noise.
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
    // No normalisation in the critic: the penalty is per sample, batch norm would couple the samples.
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
