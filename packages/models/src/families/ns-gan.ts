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
import { adam, batchTensor, discriminator, disposeAll, GAN_DEFAULTS, GAN_HELP, gaussianNoise, generator, lossValue, namedVariables, sampleGenerator } from './gan-common.js';

const defaults = { ...GAN_DEFAULTS, dSteps: 1 };

export const nsGan: FamilyDefinition<typeof defaults> = {
  name: 'ns-gan',
  title: 'non-saturating GAN (Goodfellow et al. 2014): G maximises log D(G(z))',
  defaultData: 'ring-easy',
  defaults,
  help: { ...GAN_HELP, dSteps: 'discriminator steps per generator step' },
  create(ctx) {
    const { tf, hp } = ctx;
    const G = generator(ctx);
    const D = discriminator(ctx);
    const optD = adam(tf, hp);
    const optG = adam(tf, hp);
    const variables = namedVariables([['G', G], ['D', D]]);
    const optimizers = new Map([['D', optD], ['G', optG]]);
    return {
      variables,
      optimizers,
      step(batches, rng) {
        let dLoss = 0;
        for (let k = 0; k < hp.dSteps; k++) {
          const batch = batches();
          dLoss = lossValue(
            tf.tidy(() => {
              const x = batchTensor(tf, batch);
              const fake = G.apply(gaussianNoise(tf, rng, batch.n, hp.latentDim));
              return optD.minimize(() => tf.add(tf.mean(tf.softplus(tf.neg(D.apply(x)))), tf.mean(tf.softplus(D.apply(fake)))), true, D.trainable());
            }),
          );
        }
        const gLoss = lossValue(
          tf.tidy(() => {
            const z = gaussianNoise(tf, rng, hp.batchSize, hp.latentDim);
            return optG.minimize(() => tf.mean(tf.softplus(tf.neg(D.apply(G.apply(z))))), true, G.trainable());
          }),
        );
        return { d_loss: dLoss, g_loss: gLoss };
      },
      sample: (n, rng) => sampleGenerator(tf, G, hp.latentDim, n, rng),
      dispose: () => disposeAll(variables, optimizers),
    };
  },
};
