/**
 * Non-saturating GAN (Goodfellow et al. 2014, §3): the minimax game of `gan`, except that G
 * maximises log D(G(z)) instead of minimising log(1 − D(G(z))), which gives strong gradients
 * early in training. With logits l = D(x), −log σ(l) = softplus(−l) and −log(1 − σ(l)) = softplus(l).
 *
 * for each step:
 *   for k = 1…dSteps:                      (Algorithm 1, k = 1 in the paper's experiments)
 *     x ~ data, z ~ N(0, I)
 *     θ_D ← Adam(∇ [ mean softplus(−D(x)) + mean softplus(D(G(z))) ])
 *   z ~ N(0, I)
 *   θ_G ← Adam(∇ mean softplus(−D(G(z))))
 */
import type { FamilyDefinition } from '../family.js';
import { logisticGan } from './logistic-gan.js';
import { GAN_LOSSES } from './losses.js';
import { dSteps, GAN_HYPER_PARAMS } from './shared-hyper-params.js';

// Images: DCGAN (Radford et al. 2016), which is this game on conv networks: Adam 2e-4, β1 0.5,
// batch 64, z ∈ R^100, batch norm in G and D.
const hyperParams = { ...GAN_HYPER_PARAMS, dSteps: dSteps(1) };

export const nsGan: FamilyDefinition<typeof hyperParams> = {
  name: 'ns-gan',
  title: 'non-saturating GAN (Goodfellow et al. 2014): G maximises log D(G(z))',
  defaultData: 'ring-easy',
  condition: { kind: 'none' },
  hyperParams,
  metrics: GAN_LOSSES,
  // −log σ(l) = softplus(−l): G descends mean softplus(−D(G(z))).
  create: (ctx) => logisticGan(ctx, (logits) => ctx.tf.mean(ctx.tf.softplus(ctx.tf.neg(logits)))),
};
