/**
 * Wasserstein GAN (Arjovsky, Chintala & Bottou 2017, Algorithm 1). The critic f_w estimates the
 * Kantorovich–Rubinstein dual W(P_r, P_g) = sup_{‖f‖_L ≤ 1} E_r f − E_g f over a family of
 * functions kept K-Lipschitz by clipping every weight to [−c, c]; G descends the estimate.
 * Defaults are the paper's: α = 5e-5, c = 0.01, n_critic = 5, RMSprop (the authors found
 * momentum-based optimisers such as Adam unstable with the critic's non-stationary loss).
 *
 * for each step:
 *   for t = 1…n_critic:
 *     x ~ data, z ~ N(0, I)
 *     w ← w − RMSprop(∇_w [ mean f_w(G(z)) − mean f_w(x) ])
 *     w ← clip(w, −c, c)
 *   z ~ N(0, I)
 *   θ ← θ − RMSprop(∇_θ −mean f_w(G(z)))
 *
 * Choices:
 * - Batch 256 (the paper's m = 64), so that every 2-D family trains on the same batches.
 * - No "100 critic iterations for the first 25 generator steps" warm-up: it is in the authors'
 *   code (martinarjovsky/WassersteinGAN, main.py), not in Algorithm 1.
 * - RMSprop with PyTorch's conventions (α = 0.99, ε outside the root), the optimiser of that code.
 * - On images the DCGAN networks, batch norm in the critic too (see `imageDefaults`).
 * With c = 0.01 the critic is nearly linear and training is slow: on ring-easy the modes sharpen
 * only after many thousands of steps.
 *
 * Reported per step: d_loss (the critic's loss at its last update), g_loss, and w_estimate =
 * mean f(x) − mean f(G(z)) (= −d_loss), the running Wasserstein estimate (up to the scale K)
 * whose decrease the paper plots as its training curve.
 */
import type { FamilyDefinition } from '../family.js';
import { adversarialPair, batchTensor, GAN_DEFAULTS, D_STEPS_RANGE, LATENT_RANGE, WIDTH_RANGE, GAN_IMAGE_DEFAULTS, gaussianNoise, rmsprop } from './gan-common.js';
import { GAN_LOSSES, W_ESTIMATE } from './losses.js';

const defaults = {
  batchSize: GAN_DEFAULTS.batchSize,
  lr: 5e-5,
  latentDim: GAN_DEFAULTS.latentDim,
  hidden: GAN_DEFAULTS.hidden,
  clip: 0.01,
  nCritic: 5,
};

/**
 * Images: the paper's DCGAN experiments — the DCGAN networks with batch norm in the critic too
 * (every critic parameter, γ and β included, is clipped, as the authors' code clamps them all),
 * m = 64, z of 100 dimensions and c = 0.01 — but α = 2e-4 and n_critic = 2 instead of Algorithm
 * 1's 5e-5 and 5, so that a CPU budget of minutes buys enough generator steps. Measured on MNIST
 * 28 px (seed 0, FID with the embedded classifier; untrained 2 590): the paper's setting reached
 * 1 940 after 255 generator steps (10 minutes on the 2 shared cores), α = 2e-4 and n_critic = 2
 * reached 711 after 200 and 614 after 400. Set lr = 5e-5, nCritic = 5 for the paper's setting.
 */
const imageDefaults = { batchSize: 64, lr: 2e-4, latentDim: GAN_IMAGE_DEFAULTS.latentDim, hidden: GAN_IMAGE_DEFAULTS.hidden, clip: 0.01, nCritic: 2 };

export const wgan: FamilyDefinition<typeof defaults> = {
  name: 'wgan',
  title: 'Wasserstein GAN with weight clipping (Arjovsky et al. 2017, Algorithm 1)',
  defaultData: 'ring-easy',
  condition: { kind: 'none' },
  defaults,
  imageDefaults,
  ranges: { latentDim: LATENT_RANGE, hidden: WIDTH_RANGE, clip: { type: 'real', min: 0, minExclusive: true, max: 100 }, nCritic: D_STEPS_RANGE },
  metrics: { ...GAN_LOSSES, w_estimate: W_ESTIMATE },
  help: {
    batchSize: 'samples per batch',
    lr: 'RMSprop learning rate α (G and critic)',
    latentDim: "dimension of the generator's Gaussian noise z",
    hidden: 'width of G and the critic: 2-D data, their two hidden layers; images, the conv channel width',
    clip: 'clipping bound c: every critic weight is kept in [−c, c]',
    nCritic: 'critic iterations per generator iteration',
  },
  create(ctx) {
    const { tf, hp } = ctx;
    const { G, D, optD, optG, model } = adversarialPair(ctx, { D: { norm: ctx.data.image ? 'batch' : 'none' }, optimizer: () => rmsprop(tf, hp.lr) });
    // The paper clips the critic's weights from the start, so the initial critic is clipped too.
    const clipCritic = (): void =>
      tf.tidy(() => {
        for (const w of D.trainable()) w.assign(tf.clipByValue(w, -hp.clip, hp.clip));
      });
    clipCritic();
    return {
      ...model,
      step(batches, rng) {
        let dLoss = 0;
        for (let t = 0; t < hp.nCritic; t++) {
          const batch = batches();
          dLoss = tf.tidy(() => {
            const x = batchTensor(tf, batch);
            const fake = G.apply(gaussianNoise(tf, rng, batch.n, hp.latentDim));
            return optD.minimize(() => tf.sub(tf.mean(D.apply(fake)), tf.mean(D.apply(x))), D.trainable());
          }).loss;
          clipCritic();
        }
        const gLoss = tf.tidy(() => {
          const z = gaussianNoise(tf, rng, hp.batchSize, hp.latentDim);
          return optG.minimize(() => tf.neg(tf.mean(D.apply(G.apply(z)))), G.trainable());
        }).loss;
        return { d_loss: dLoss, g_loss: gLoss, w_estimate: -dLoss };
      },
    };
  },
};
