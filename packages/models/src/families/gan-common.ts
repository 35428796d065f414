/**
 * Pieces shared by the GAN family modules: the default 2-D architecture (so step speeds compare
 * across tools), latent noise from the step's Rng, and reading a loss back as a number. Each
 * family module keeps its own algorithm box; only plumbing lives here.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Batch, ModelContext, Optimizer, TF, TrainableModel, Variable } from '../family.js';
import { Mlp, type Activation } from '../nn/mlp.js';
import { Adam, RmsProp } from '../nn/optimizers.js';
import type { Rng } from '../rng.js';

/**
 * The default 2-D GAN architecture and optimiser: G = MLP latent 64 → 128 → 128 → 2,
 * D = MLP 2 → 128 → 128 → 1, ReLU, batch 256, Adam(1e-3, β = (0.5, 0.999)). DCGAN's β1 = 0.5;
 * the learning rate is the toy-data one: on ring-easy, 4 000 ns-gan steps reached 8/8 modes with
 * 77–89 % high-quality points at 1e-3 (seeds 0–2; one seed 7/8), against 1/8 at 1e-4 and 0–1/8 at
 * DCGAN's 2e-4 (measured on this project's bench; see the issue notes).
 */
export const GAN_DEFAULTS = {
  batchSize: 256,
  lr: 1e-3,
  beta1: 0.5,
  beta2: 0.999,
  latentDim: 64,
  hidden: 128,
};

/** Help texts of the hyper-parameters every Adam-trained family has. */
export const ADAM_HELP = {
  batchSize: 'samples per batch',
  lr: 'Adam learning rate',
  beta1: 'Adam β1',
  beta2: 'Adam β2',
};

export const GAN_HELP = {
  ...ADAM_HELP,
  lr: 'Adam learning rate (G and D)',
  latentDim: 'dimension of the generator\'s Gaussian noise z',
  hidden: 'width of the two hidden layers of G and D',
};

type GanHp = typeof GAN_DEFAULTS;

/** n × dim standard normal noise from the step's Rng. */
export function gaussianNoise(tf: TF, rng: Rng, n: number, dim: number): tfNs.Tensor2D {
  return tf.tensor2d(rng.normals(n * dim), [n, dim]);
}

/** A batch's points as an n × dims tensor. */
export function batchTensor(tf: TF, b: Batch, which: 'x' | 'y' = 'x'): tfNs.Tensor2D {
  const data = which === 'x' ? b.x : b.y;
  if (!data) throw new Error(`batch has no ${which} domain`);
  return tf.tensor2d(data, [b.n, b.dims]);
}

/** One-hot rows of the labels, n × classes. */
export function oneHot(tf: TF, labels: Int32Array, classes: number): tfNs.Tensor2D {
  return tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tfNs.Tensor2D;
}

/** Reads a scalar loss tensor back as a number and releases it. */
export function lossValue(t: tfNs.Scalar | null): number {
  if (!t) throw new Error('optimizer.minimize returned no cost');
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

/** The default generator: [latent (+ extra inputs)] → hidden → hidden → dims. */
export function generator(ctx: ModelContext<GanHp & object>, extraInputs = 0, activation: Activation = 'relu'): Mlp {
  const { tf, rng, hp, data } = ctx;
  return new Mlp(tf, rng, [hp.latentDim + extraInputs, hp.hidden, hp.hidden, data.dims], { activation });
}

/** The default discriminator: [dims (+ extra inputs)] → hidden → hidden → outputs (logits). */
export function discriminator(ctx: ModelContext<GanHp & object>, extraInputs = 0, outputs = 1, activation: Activation = 'relu'): Mlp {
  const { tf, rng, hp, data } = ctx;
  return new Mlp(tf, rng, [data.dims + extraInputs, hp.hidden, hp.hidden, outputs], { activation });
}

/** Adam with the family's lr and betas (our Adam: its state checkpoints exactly; never tf.train.*). */
export function adam(tf: TF, hp: { lr: number; beta1: number; beta2: number }): Optimizer {
  return new Adam(tf, hp.lr, hp.beta1, hp.beta2);
}

/** RMSprop with PyTorch's defaults (α = 0.99) at learning rate `lr` (never tf.train.*). */
export function rmsprop(tf: TF, lr: number): Optimizer {
  return new RmsProp(tf, lr);
}

/** Map of named variables from [prefix, network] pairs, plus any extra named variables. */
export function namedVariables(nets: [string, Mlp][], extra: [string, Variable][] = []): Map<string, Variable> {
  return new Map([...nets.flatMap(([p, net]) => net.namedVariables(p)), ...extra]);
}

/**
 * Generates n points from G(z) in chunks (bounded memory), z ~ N(0, I) from `rng`. `extra`
 * builds extra generator inputs for a chunk (conditional codes), given its size.
 */
export function sampleGenerator(
  tf: TF,
  G: Mlp,
  latentDim: number,
  n: number,
  rng: Rng,
  extra?: (count: number) => tfNs.Tensor2D,
): Float32Array {
  const dims = G.sizes[G.sizes.length - 1]!;
  const out = new Float32Array(n * dims);
  const chunk = 4096;
  for (let start = 0; start < n; start += chunk) {
    const count = Math.min(chunk, n - start);
    const y = tf.tidy(() => {
      const z = gaussianNoise(tf, rng, count, latentDim);
      return G.apply(extra ? tf.concat([z, extra(count)], 1) : z);
    });
    out.set(y.dataSync(), start * dims);
    y.dispose();
  }
  return out;
}

/** Disposes every variable and optimiser of a model. */
export function disposeAll(variables: ReadonlyMap<string, Variable>, optimizers: ReadonlyMap<string, Optimizer>): void {
  for (const v of variables.values()) v.dispose();
  for (const o of optimizers.values()) o.dispose();
}

/**
 * The logistic GAN game shared by `gan` and `ns-gan` (Goodfellow et al. 2014, Algorithm 1): the
 * default G and D; for dSteps batches, D descends mean softplus(−D(x)) + mean softplus(D(G(z)))
 * (binary cross-entropy, real → 1, fake → 0); then one G step on `generatorLoss` of the logits
 * D(G(z)). The two families differ only in that loss.
 */
export function logisticGan(
  ctx: ModelContext<GanHp & { dSteps: number }>,
  generatorLoss: (logits: tfNs.Tensor2D) => tfNs.Scalar,
): TrainableModel {
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
          return optG.minimize(() => generatorLoss(D.apply(G.apply(z))), true, G.trainable());
        }),
      );
      return { d_loss: dLoss, g_loss: gLoss };
    },
    sample: (n, rng) => sampleGenerator(tf, G, hp.latentDim, n, rng),
    dispose: () => disposeAll(variables, optimizers),
  };
}
