/**
 * Conditional GAN (Mirza & Osindero 2014): G and D both receive the condition y — here the
 * data's mode index, one-hot — concatenated to their input, so G learns p(x | y) and D judges
 * (x, y) pairs. The game is the non-saturating one of `ns-gan` (as in the paper's experiments,
 * which follow Goodfellow et al.'s practice); with logits l = D(x, y):
 *
 * for each step:
 *   for k = 1…dSteps:
 *     (x, y) ~ data, z ~ N(0, I), y' ~ U{0…K−1}
 *     θ_D ← Adam(∇ [ mean softplus(−D(x, y)) + mean softplus(D(G(z, y'), y')) ])
 *   z ~ N(0, I), y' ~ U{0…K−1}
 *   θ_G ← Adam(∇ mean softplus(−D(G(z, y'), y')))
 *
 * The fakes' labels y' are drawn uniformly from the step's Rng (as eriklindernoren/PyTorch-GAN's
 * cgan does), so G is trained on every class equally often whatever the
 * data's class balance.
 * `sample(n, rng, { label })` generates class `label` only; without it, classes are uniform.
 *
 * On images (class-conditional digits): DCGAN's networks and optimiser; y is concatenated to z
 * at G's input and enters D as K constant one-hot maps stacked on the image's channels (the
 * input concatenation of the paper, in conv form).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { FamilyDefinition } from '../family.js';
import type { Rng } from '../rng.js';
import { adam } from './model-state.js';
import { adversarialPair, sampleGenerator } from './adversarial-pair.js';
import { batchTensor, gaussianNoise, oneHot } from './tensors.js';
import { internalError, usageError } from '@gen-eval/metrics/errors';
import { GAN_LOSSES } from './losses.js';
import { dSteps, GAN_HYPER_PARAMS } from './shared-hyper-params.js';

const hyperParams = { ...GAN_HYPER_PARAMS, dSteps: dSteps(1) };

export const cgan: FamilyDefinition<typeof hyperParams> = {
  name: 'cgan',
  title: 'conditional GAN (Mirza & Osindero 2014): G(z, y) and D(x, y) on the mode label y',
  defaultData: 'ring-easy',
  condition: { kind: 'label' },
  hyperParams,
  metrics: GAN_LOSSES,
  create(ctx) {
    const { tf, hp, data } = ctx;
    const K = data.classes;
    if (K === undefined || !Number.isInteger(K) || K < 1) {
      throw usageError('cgan needs a data set with labels (modes or classes), e.g. ring-easy, grid or mnist');
    }
    const { G, D, optD, optG, model } = adversarialPair(ctx, { gCondDim: K, D: { condDim: K, norm: data.image ? 'batch' : 'none' }, optimizer: () => adam(tf, hp) });

    /** G(z, y) for n fresh z and the given labels. */
    const fakes = (rng: Rng, labels: Int32Array): { x: tfNs.Tensor2D; y: tfNs.Tensor2D } => {
      const z = gaussianNoise(tf, rng, labels.length, hp.latentDim);
      const y = oneHot(tf, labels, K);
      return { x: G.apply(z, { cond: y }), y };
    };
    const critic = (x: tfNs.Tensor2D, y: tfNs.Tensor2D): tfNs.Tensor2D => D.apply(x, { cond: y });

    return {
      ...model,
      step(batches, rng) {
        let dLoss = 0;
        for (let k = 0; k < hp.dSteps; k++) {
          const batch = batches();
          if (!batch.labels) throw internalError('cgan needs labelled batches (a data set with modes)');
          const realLabels = batch.labels;
          dLoss = tf.tidy(() => {
            const x = batchTensor(tf, batch);
            const yReal = oneHot(tf, realLabels, K);
            const fake = fakes(rng, rng.ints(batch.n, K));
            return optD.minimize(() => tf.add(tf.mean(tf.softplus(tf.neg(critic(x, yReal)))), tf.mean(tf.softplus(critic(fake.x, fake.y)))), D.trainable());
          }).loss;
        }
        const gLoss = tf.tidy(() => {
          const labels = rng.ints(hp.batchSize, K);
          return optG.minimize(() => {
            const fake = fakes(rng, labels);
            return tf.mean(tf.softplus(tf.neg(critic(fake.x, fake.y))));
          }, G.trainable());
        }).loss;
        return { d_loss: dLoss, g_loss: gLoss };
      },
      sample(n, rng, opts) {
        const label = opts?.label;
        if (label !== undefined && !(Number.isInteger(label) && label >= 0 && label < K)) {
          throw usageError(`label must be an integer in [0, ${K - 1}] (the data has ${K} classes), got ${label}`);
        }
        return sampleGenerator(tf, G, hp.latentDim, n, rng, (count) => oneHot(tf, label === undefined ? rng.ints(count, K) : new Int32Array(count).fill(label), K));
      },
    };
  },
};
