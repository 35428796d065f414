/**
 * The original minimax GAN (Goodfellow et al. 2014, Algorithm 1): D maximises
 * log D(x) + log(1 − D(G(z))) and G MINIMISES log(1 − D(G(z))) — the saturating game of the
 * paper's analysis, kept as the baseline `ns-gan` improves on (its G gradient vanishes while D
 * confidently rejects the fakes). With logits l = D(x): log σ(l) = −softplus(−l) and
 * log(1 − σ(l)) = −softplus(l).
 *
 * for each step:
 *   for k = 1…dSteps:                      (Algorithm 1; k = 1 in the paper's experiments)
 *     x ~ data, z ~ N(0, I), n, n' ~ N(0, σ²I)                              (σ = instanceNoise)
 *     θ_D ← Adam(∇ [ mean softplus(−D(x + n)) + mean softplus(D(G(z) + n')) ])   (= −V, minimised)
 *   z ~ N(0, I), n ~ N(0, σ²I)
 *   θ_G ← Adam(∇ mean −softplus(D(G(z) + n)))                             (= mean log(1 − D(G(z) + n)))
 *
 * Choices:
 * - Adam 1e-3, β = (0.5, 0.999) on 2-D data instead of the paper's SGD with momentum: the shared
 *   2-D setting, so that gan, ns-gan and the other GAN families differ only in their game.
 * - On images DCGAN's conv networks and optimiser (Adam 2e-4, batch 64, z ∈ R^100; Radford et
 *   al. 2016), the game and its box unchanged (gan-common.ts logisticGan).
 * - Instance noise σ = 1 on images (Arjovsky & Bottou 2017, §3; σ = 0 on 2-D data): the convolved
 *   game has the same optimum but D cannot become certain, so G's saturating gradient survives;
 *   without it D wins within ~100 steps on MNIST and G never moves (docs/tuning.md, GAN families).
 */
import type { FamilyDefinition } from '../family.js';
import { D_STEPS_RANGE, GAN_DEFAULTS, GAN_HELP, GAN_IMAGE_DEFAULTS, GAN_RANGES, logisticGan } from './gan-common.js';
import { GAN_LOSSES } from './losses.js';

const defaults = { ...GAN_DEFAULTS, dSteps: 1, instanceNoise: 0 };

export const gan: FamilyDefinition<typeof defaults> = {
  name: 'gan',
  title: 'minimax GAN (Goodfellow et al. 2014, Algorithm 1): G minimises log(1 − D(G(z)))',
  defaultData: 'ring-easy',
  condition: { kind: 'none' },
  defaults,
  // Images: DCGAN's networks and optimiser (gan-common's GAN_IMAGE_DEFAULTS).
  imageDefaults: { ...GAN_IMAGE_DEFAULTS, instanceNoise: 1 },
  ranges: { ...GAN_RANGES, dSteps: D_STEPS_RANGE, instanceNoise: { type: 'real', min: 0, max: 100 } },
  metrics: GAN_LOSSES,
  help: {
    ...GAN_HELP,
    dSteps: 'discriminator steps per generator step (k of Algorithm 1)',
    instanceNoise: 'σ of the Gaussian noise added to every input of D (real and generated; 0: none)',
  },
  // log(1 − σ(l)) = −softplus(l): G descends mean −softplus(D(G(z))), pushing its logits up.
  create: (ctx) => logisticGan(ctx, (logits) => ctx.tf.neg(ctx.tf.mean(ctx.tf.softplus(logits)))),
};
