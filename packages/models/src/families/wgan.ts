/**
 * Wasserstein GAN (Arjovsky, Chintala & Bottou 2017, Algorithm 1). The critic f_w estimates the
 * Kantorovich–Rubinstein dual W(P_r, P_g) = sup_{‖f‖_L ≤ 1} E_r f − E_g f over a family of
 * functions kept K-Lipschitz by clipping every weight to [−c, c]; G descends the estimate.
 * Defaults are the paper's: α = 5e-5, c = 0.01, n_critic = 5, RMSprop (the authors found
 * momentum-based optimisers such as Adam unstable with the critic's non-stationary loss).
 *
 * for each step:
 *   for t = 1…n_critic:                    (n_critic = dSteps)
 *     x ~ data, z ~ N(0, I)
 *     w ← w − RMSprop(∇_w [ mean f_w(G(z)) − mean f_w(x) ])
 *     w ← clip(w, −c, c)
 *   z ~ N(0, I)
 *   θ ← θ − RMSprop(∇_θ −mean f_w(G(z)))
 *
 * Choices:
 * - Batch 256 (the paper's m = 64), so that every 2-D family trains on the same batches.
 * - No "100 critic iterations for the first 25 generator steps" warm-up: it is in the authors'
 *   released code (martinarjovsky/WassersteinGAN), not in Algorithm 1.
 * - RMSprop with PyTorch's conventions (α = 0.99, ε outside the root), the optimiser of that code.
 * - On images the DCGAN networks, batch norm in the critic too (`hyperParams` gives each default per data kind).
 * With c = 0.01 the critic is nearly linear and training is slow: on ring-easy the modes sharpen
 * only after many thousands of steps.
 *
 * Reported per step: d_loss (the critic's loss at its last update), g_loss, and w_estimate =
 * mean f(x) − mean f(G(z)) (= −d_loss), the running Wasserstein estimate (up to the scale K)
 * whose decrease the paper plots as its training curve.
 */
import type { FamilyDefinition } from '../family.js';
import { adversarialPair } from './adversarial-pair.js';
import { batchTensor, gaussianNoise } from './tensors.js';
import { rmsprop } from './model-state.js';
import { GAN_LOSSES, W_ESTIMATE } from './losses.js';
import { real } from '../hyper-param-schema.js';
import { batchSize, dSteps, GAN_HYPER_PARAMS, latentDim, lr, width } from './shared-hyper-params.js';

/**
 * 2-D: Algorithm 1's α = 5e-5, c = 0.01, n_critic = 5. Images: the paper's DCGAN experiments (batch
 * norm in the critic too, every critic parameter γ and β included clipped, as the authors' code
 * clamps them all; m = 64, z ∈ R^100, c = 0.01) but α = 2e-4 and n_critic = 2, so that a CPU budget
 * of minutes buys enough generator steps (docs/tuning.md); lr = 5e-5, dSteps = 5 give the paper's.
 */
const hyperParams = {
  batchSize: batchSize({ points: 256, images: 64 }),
  lr: lr({ points: 5e-5, images: 2e-4 }, 'RMSprop learning rate α (G and critic)'),
  latentDim: latentDim(GAN_HYPER_PARAMS.latentDim.default),
  hidden: width(GAN_HYPER_PARAMS.hidden.default, 'width of G and the critic: 2-D data, their two hidden layers; images, the conv channel width'),
  clip: real({ min: 0, minExclusive: true, max: 100, default: 0.01, help: 'clipping bound c: every critic weight is kept in [−c, c]' }),
  dSteps: dSteps({ points: 5, images: 2 }, 'critic updates per generator update (n_critic)', ['nCritic']),
};

export const wgan: FamilyDefinition<typeof hyperParams> = {
  name: 'wgan',
  title: 'Wasserstein GAN with weight clipping (Arjovsky et al. 2017, Algorithm 1)',
  defaultData: 'ring-easy',
  condition: { kind: 'none' },
  hyperParams,
  metrics: { ...GAN_LOSSES, w_estimate: W_ESTIMATE },
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
        for (let t = 0; t < hp.dSteps; t++) {
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
