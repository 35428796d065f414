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
 * taken over all pixels (see `hyperParams`).
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
import { adam, batchTensor, discriminator, disposeAll, gaussianNoise, generator, lossValue, namedVariables, sampleGenerator } from './gan-common.js';
import { GAN_LOSSES, lossSpec, W_ESTIMATE } from './losses.js';
import { real, withDefault } from '../hyper-param-schema.js';
import { beta2, dSteps, GAN_HYPER_PARAMS } from './shared-hyper-params.js';

/**
 * 2-D: the authors' toy script with a larger step (see above). Images: their image setting
 * (gan_mnist.py / gan_cifar.py: Adam β = (0.5, 0.9), λ = 10; no normalisation in the critic;
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
  hyperParams,
  metrics: { ...GAN_LOSSES, gp: lossSpec('gradient penalty', [0, Infinity]), w_estimate: W_ESTIMATE },
  create(ctx) {
    const { tf, hp } = ctx;
    const G = generator(ctx);
    const D = discriminator(ctx);
    const optD = adam(tf, hp);
    const optG = adam(tf, hp);
    const variables = namedVariables([
      ['G', G],
      ['D', D],
    ]);
    const optimizers = new Map([
      ['D', optD],
      ['G', optG],
    ]);
    const critic = (x: tfNs.Tensor2D): tfNs.Tensor2D => D.apply(x);
    return {
      variables,
      optimizers,
      step(batches, rng) {
        let dLoss = 0;
        let gp = 0;
        let w = 0;
        for (let t = 0; t < hp.dSteps; t++) {
          const batch = batches();
          const values = tf.tidy(() => {
            const x = batchTensor(tf, batch);
            const fake = G.apply(gaussianNoise(tf, rng, batch.n, hp.latentDim));
            const eps = tf.tensor2d(rng.uniforms(batch.n), [batch.n, 1]);
            let parts: tfNs.Tensor1D | undefined;
            const total = optD.minimize(
              () => {
                const wDist = tf.sub(tf.mean(critic(x)), tf.mean(critic(fake)));
                const penalty = gradientPenalty(tf, critic, x, fake, eps, hp.lambda);
                parts = tf.keep(tf.stack([wDist, penalty]) as tfNs.Tensor1D);
                return tf.add(tf.neg(wDist), penalty);
              },
              true,
              D.trainable(),
            );
            // `parts` was kept to outlive the loss closure; tidy does not release kept tensors.
            const out = tf.concat([tf.reshape(total, [1]), parts!]);
            parts!.dispose();
            return out;
          });
          const [l, wDist, penalty] = values.dataSync();
          values.dispose();
          dLoss = l!;
          w = wDist!;
          gp = penalty!;
        }
        const gLoss = lossValue(
          tf.tidy(() => {
            const z = gaussianNoise(tf, rng, hp.batchSize, hp.latentDim);
            return optG.minimize(() => tf.neg(tf.mean(critic(G.apply(z)))), true, G.trainable());
          }),
        );
        return { d_loss: dLoss, g_loss: gLoss, gp, w_estimate: w };
      },
      sample: (n, rng) => sampleGenerator(tf, G, hp.latentDim, n, rng),
      dispose: () => disposeAll(variables, optimizers),
    };
  },
};
