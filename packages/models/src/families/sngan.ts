/**
 * SNGAN (Miyato et al. 2018): every layer of D uses W/σ(W), σ the largest singular value
 * estimated by one step of power iteration per update from a persistent vector u, which bounds
 * D's Lipschitz constant by 1 (with 1-Lipschitz activations) without weight clipping or a
 * gradient penalty. Trained with the hinge loss (the paper's best setting, after Lim & Ye 2017
 * and Tran et al. 2017) and Adam; with logits l = D(x):
 *
 * for each step:
 *   for k = 1…n_dis:                       (n_dis = dSteps)
 *     x ~ data, z ~ N(0, I)
 *     u, v ← one power-iteration step on each W of D;  W̄ = W / (vᵀ W u)
 *     θ_D ← Adam(∇ [ mean relu(1 − D̄(x)) + mean relu(1 + D̄(G(z))) ])
 *   z ~ N(0, I)
 *   θ_G ← Adam(∇ −mean D̄(G(z)))
 *
 * Hyper-parameters: the paper's setting (C) for its CNNs, Adam α = 2e-4, β = (0, 0.9),
 * n_dis = 5 — the defaults here (docs/tuning.md has the 2-D measurements behind n_dis). Each D update runs one
 * power-iteration step (PyTorch's spectral_norm runs one per forward pass in training mode; we
 * evaluate D̄ once per update on real and fake together, and G's step reuses the stored u, v).
 * The u and v vectors are persistent, non-trainable state: they are in `variables`, so a
 * checkpoint restores them and a resumed run continues the same power iteration.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { FamilyDefinition } from '../family.js';
import { adam } from './model-state.js';
import { adversarialPair } from './adversarial-pair.js';
import { batchTensor, gaussianNoise } from './tensors.js';
import { GAN_LOSSES } from './losses.js';
import { int, withDefault } from '../hyper-param-schema.js';
import { beta1, beta2, dSteps, GAN_HYPER_PARAMS } from './shared-hyper-params.js';

/**
 * 2-D: the paper's setting (C), Adam 2e-4, β = (0, 0.9), n_dis = 5 (n_dis = 1 or lr 1e-3 trained
 * far worse on ring-easy: docs/tuning.md). Images: DCGAN's optimiser setting, β = (0.5, 0.999) and
 * n_dis = 1 — one of the settings of the paper's Table 1 under which SN-GANs trained well — since on
 * 2 CPU cores a D update costs most of a G step, so n_dis = 1 buys ~3× more generator updates in a
 * fixed time, and the comparison with gan/ns-gan isolates spectral norm and the hinge loss.
 * dSteps = 5, beta1 = 0, beta2 = 0.9 give the paper's setting (C).
 */
const hyperParams = {
  ...GAN_HYPER_PARAMS,
  lr: withDefault(GAN_HYPER_PARAMS.lr, 2e-4),
  beta1: beta1({ points: 0, images: 0.5 }),
  beta2: beta2({ points: 0.9, images: 0.999 }),
  dSteps: dSteps({ points: 5, images: 1 }, 'discriminator updates per generator update (n_dis; the paper: 5)', ['nDis']),
  // Images: one power-iteration step per update (the conv critic's σ estimate is kept across updates).
  powerIterations: int({ min: 1, max: 20, imageMax: 1, default: 1, help: 'power-iteration steps per D update for each σ(W)' }),
};

export const sngan: FamilyDefinition<typeof hyperParams> = {
  name: 'sngan',
  title: 'spectrally normalised GAN with hinge loss (Miyato et al. 2018)',
  defaultData: 'ring-easy',
  condition: { kind: 'none' },
  hyperParams,
  metrics: GAN_LOSSES,
  create(ctx) {
    const { tf, hp } = ctx;
    // D̄: every layer W/σ(W), σ by power iteration from persistent u, v (in D's variables).
    const { G, D, optD, optG, model } = adversarialPair(ctx, { D: { norm: 'spectral', powerIterations: hp.powerIterations }, optimizer: () => adam(tf, hp) });

    /** D̄ with the spectrally normalised weights; `training` advances the power iteration once. */
    const criticFn = (training: boolean): ((x: tfNs.Tensor2D) => tfNs.Tensor2D) => D.critic(training);

    return {
      ...model,
      step(batches, rng) {
        let dLoss = 0;
        for (let k = 0; k < hp.dSteps; k++) {
          const batch = batches();
          dLoss = tf.tidy(() => {
            const x = batchTensor(tf, batch);
            const fake = G.apply(gaussianNoise(tf, rng, batch.n, hp.latentDim));
            return optD.minimize(() => {
              const Dbar = criticFn(true);
              return tf.add(tf.mean(tf.relu(tf.sub(1, Dbar(x)))), tf.mean(tf.relu(tf.add(1, Dbar(fake)))));
            }, D.trainable());
          }).loss;
        }
        const gLoss = tf.tidy(() => {
          const z = gaussianNoise(tf, rng, hp.batchSize, hp.latentDim);
          return optG.minimize(() => tf.neg(tf.mean(criticFn(false)(G.apply(z)))), G.trainable());
        }).loss;
        return { d_loss: dLoss, g_loss: gLoss };
      },
    };
  },
};
