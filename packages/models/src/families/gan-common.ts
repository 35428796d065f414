/**
 * What the GAN family modules share: the adversarial pair (G and D — the default 2-D MLPs, the
 * same for every family so that they differ only in their game, or DCGAN's conv networks on
 * images, nn/networks.ts — with their optimisers and sampling), latent noise from the step's Rng,
 * and the logistic GAN game of `gan` and `ns-gan`; also the chunked sampling and held-out sums
 * that vae, flow and ddpm use. Each family module keeps its own algorithm box.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Batch, HpValues, ModelContext, Optimizer, TF, TrainableModel, Variable } from '../family.js';
import type { GAN_HYPER_PARAMS } from './shared-hyper-params.js';
import { buildDiscriminator, buildGenerator, type Discriminator, type DiscriminatorSpec, type Network } from '../nn/networks.js';
import { Adam, RmsProp } from '../nn/optimizers.js';
import type { Rng } from '../rng.js';
import { internalError } from '@gen-eval/metrics/errors';

/** The hyper-parameters the networks read. */
type NetHp = { latentDim: number; hidden: number };
type GanHp = HpValues<typeof GAN_HYPER_PARAMS>;

/** n × dim standard normal noise from the step's Rng. */
export function gaussianNoise(tf: TF, rng: Rng, n: number, dim: number): tfNs.Tensor2D {
  return tf.tensor2d(rng.normals(n * dim), [n, dim]);
}

/** A batch's points as an n × dims tensor. */
export function batchTensor(tf: TF, b: Batch, which: 'x' | 'y' = 'x'): tfNs.Tensor2D {
  const data = which === 'x' ? b.x : b.y;
  if (!data) throw internalError(`batch has no ${which} domain`);
  return tf.tensor2d(data, [b.n, b.dims]);
}

/** One-hot rows of the labels, n × classes. */
export function oneHot(tf: TF, labels: Int32Array, classes: number): tfNs.Tensor2D {
  return tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tfNs.Tensor2D;
}

/** Reads a scalar tensor (an evaluation's value) back as a number and releases it. */
export function lossValue(t: tfNs.Scalar): number {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

/** A discriminator's normalisation: DCGAN's batch norm, SNGAN's spectral norm, or none. */
export type Norm = NonNullable<DiscriminatorSpec['norm']>;

/** The two networks a GAN family picks and how each is optimised. */
export interface PairSpec {
  /** Extra generator inputs concatenated to z (cgan's label, InfoGAN's codes; default 0). */
  readonly gCondDim?: number;
  /**
   * The discriminator: 2-D, the MLP [dims + condDim] → hidden → hidden → outputs (logits), ReLU;
   * images, DCGAN's ConvDiscriminator (the condition as constant maps). `norm` is required: the
   * family says what it wants on each kind of data ('batch' on 2-D data is an internal error,
   * the MLP has no batch norm).
   */
  readonly D: DiscriminatorSpec & { readonly norm: Norm };
  /** Each network's optimiser (built for D, then G). */
  readonly optimizer: (net: 'D' | 'G') => Optimizer;
}

/** A GAN's generator and discriminator with their optimisers, and the model around them. */
export interface AdversarialPair {
  /** 2-D: the ReLU MLP [latent + gCondDim] → hidden → hidden → dims; images: DCGAN's ConvGenerator. */
  readonly G: Network;
  readonly D: Discriminator;
  readonly optG: Optimizer;
  readonly optD: Optimizer;
  /**
   * Everything of the TrainableModel but its step: variables `G.*` then `D.*` (checkpoint
   * names), optimisers `D` then `G`, sampling G(z) with z ~ N(0, I) (G in evaluation mode), dispose.
   */
  readonly model: Omit<TrainableModel, 'step'>;
}

/**
 * Builds a GAN's pair from `ctx.rng`: G's weights drawn first, then D's, so a checkpoint's arrays
 * and a seed's numbers stay what they were (the networks: nn/networks.ts).
 */
export function adversarialPair(ctx: ModelContext<NetHp & object>, spec: PairSpec): AdversarialPair {
  const { tf, rng, hp, data } = ctx;
  const net = { tf, rng, dims: data.dims, hidden: hp.hidden, ...(data.image ? { image: data.image } : {}) };
  const G = buildGenerator(net, { latentDim: hp.latentDim, condDim: spec.gCondDim ?? 0 });
  const D = buildDiscriminator(net, spec.D);
  const optD = spec.optimizer('D');
  const optG = spec.optimizer('G');
  const variables = namedVariables([
    ['G', G],
    ['D', D],
  ]);
  const optimizers = new Map([
    ['D', optD],
    ['G', optG],
  ]);
  return {
    G,
    D,
    optG,
    optD,
    model: {
      variables,
      optimizers,
      sample: (n, sampleRng) => sampleGenerator(tf, G, hp.latentDim, n, sampleRng),
      dispose: () => disposeAll(variables, optimizers),
    },
  };
}

/** Adam with the family's lr and betas (our Adam: its state checkpoints exactly; never tf.train.*). */
export function adam(tf: TF, hp: { lr: number; beta1: number; beta2: number }): Optimizer {
  return new Adam(tf, hp.lr, hp.beta1, hp.beta2);
}

/** RMSprop with PyTorch's defaults (α = 0.99) at learning rate `lr` (never tf.train.*). */
export function rmsprop(tf: TF, lr: number): Optimizer {
  return new RmsProp(tf, lr);
}

/** Anything whose variables have names under a prefix (Mlp, Network, the conv modules). */
export interface Named {
  namedVariables(prefix: string): [string, Variable][];
}

/** Map of named variables from [prefix, network] pairs, plus any extra named variables. */
export function namedVariables(nets: [string, Named][], extra: [string, Variable][] = []): Map<string, Variable> {
  return new Map([...nets.flatMap(([p, net]) => net.namedVariables(p)), ...extra]);
}

/**
 * Generates n points from G(z) in chunks (bounded memory), z ~ N(0, I) from `rng`, G in
 * evaluation mode (batch norm's running averages, so a sample does not depend on its chunk).
 * `extra` builds extra generator inputs for a chunk (conditional codes), given its size.
 */
export function sampleGenerator(tf: TF, G: Network, latentDim: number, n: number, rng: Rng, extra?: (count: number) => tfNs.Tensor2D): Float32Array {
  return sampleInChunks(tf, n, G.outDim, (count) => {
    const z = gaussianNoise(tf, rng, count, latentDim);
    return G.apply(z, { training: false, ...(extra ? { cond: extra(count) } : {}) });
  });
}

/** The most values (rows × dims, 16 MiB of float32) one chunk of {@link rowsInChunks} holds. */
const CHUNK_VALUES = 1 << 22;

/**
 * n × dims generated values, `rows(count)` giving the next count × dims of them, at most
 * CHUNK_VALUES values (≥ 1 row) at a time: bounded memory whatever the sample's size.
 *
 * Within that bound a chunk keeps the rows samples were always drawn with — 4 096 of 2-D data,
 * 256 of images (dims > 64; a network's activations are a multiple of its output): cgan and
 * infogan draw noise then labels/codes per chunk, the full DDPM its noise per step per chunk, so
 * another chunk size would change their samples whenever n exceeds it. Every image size trained
 * today (28, 32, 64 px; 1 or 3 channels: at most 256 × 12 288 values) keeps its 256 rows.
 */
export function rowsInChunks(n: number, dims: number, rows: (count: number) => Float32Array): Float32Array {
  const out = new Float32Array(n * dims);
  const chunk = Math.max(1, Math.min(dims > 64 ? 256 : 4096, Math.floor(CHUNK_VALUES / Math.max(dims, 1))));
  for (let start = 0; start < n; start += chunk) out.set(rows(Math.min(chunk, n - start)), start * dims);
  return out;
}

/** rowsInChunks with the rows computed as a tensor by `draw(count)` (in a tidy, then released). */
export function sampleInChunks(tf: TF, n: number, dims: number, draw: (count: number) => tfNs.Tensor): Float32Array {
  return rowsInChunks(n, dims, (count) => {
    const y = tf.tidy(() => draw(count));
    const values = y.dataSync() as Float32Array;
    y.dispose();
    return values;
  });
}

/**
 * The sum of `partial(rows)` over `b`'s rows taken 256 at a time (a held-out image set in bounded
 * memory); `rows` is a view of the batch's samples, and `partial` returns that chunk's total.
 */
export function sumInChunks(b: Batch, partial: (rows: Batch) => number): number {
  let sum = 0;
  const chunk = 256;
  for (let start = 0; start < b.n; start += chunk) {
    const count = Math.min(chunk, b.n - start);
    sum += partial({ n: count, dims: b.dims, x: b.x.subarray(start * b.dims, (start + count) * b.dims) });
  }
  return sum;
}

/** Disposes every variable and optimiser of a model. */
export function disposeAll(variables: ReadonlyMap<string, Variable>, optimizers: ReadonlyMap<string, Optimizer>): void {
  for (const v of variables.values()) v.dispose();
  for (const o of optimizers.values()) o.dispose();
}

/**
 * The logistic GAN game of `gan` and `ns-gan` (Goodfellow et al. 2014, Algorithm 1), which differ
 * only in G's loss, a function of the logits D(G(z)):
 *
 * for each step:
 *   for k = 1…dSteps:
 *     x ~ data, z ~ N(0, I), n, n' ~ N(0, σ²I)                              (σ = instanceNoise)
 *     θ_D ← Adam(∇ [ mean softplus(−D(x + n)) + mean softplus(D(G(z) + n')) ])
 *   z ~ N(0, I), n ~ N(0, σ²I)
 *   θ_G ← Adam(∇ generatorLoss(D(G(z) + n)))
 *
 * D's loss is the binary cross-entropy (real → 1, fake → 0) on logits. Networks: the default
 * 2-D MLPs (no normalisation); on images DCGAN's, batch norm in G and D (Radford et al. 2016);
 * G and D in training mode during the step, G in evaluation mode when sampling.
 */
export function logisticGan(ctx: ModelContext<GanHp & { dSteps: number; instanceNoise?: number }>, generatorLoss: (logits: tfNs.Tensor2D) => tfNs.Scalar): TrainableModel {
  const { tf, hp } = ctx;
  const sigma = hp.instanceNoise ?? 0;
  const { G, D, optD, optG, model } = adversarialPair(ctx, { D: { norm: ctx.data.image ? 'batch' : 'none' }, optimizer: () => adam(tf, hp) });
  // Instance noise (Arjovsky & Bottou 2017, §3): D sees x + σn and G(z) + σn'. Convolving both
  // distributions with one Gaussian keeps the game's optimum (p_data ∗ N = p_g ∗ N ⇔ p_data = p_g)
  // but keeps their supports overlapping, so D cannot become certain and G's gradient survives.
  const noisy = (x: tfNs.Tensor2D, rng: Rng): tfNs.Tensor2D => (sigma > 0 ? tf.add(x, tf.mul(gaussianNoise(tf, rng, x.shape[0], x.shape[1]), sigma)) : x);
  return {
    ...model,
    step(batches, rng) {
      let dLoss = 0;
      for (let k = 0; k < hp.dSteps; k++) {
        const batch = batches();
        dLoss = tf.tidy(() => {
          const x = noisy(batchTensor(tf, batch), rng);
          const fake = noisy(G.apply(gaussianNoise(tf, rng, batch.n, hp.latentDim)), rng);
          return optD.minimize(() => tf.add(tf.mean(tf.softplus(tf.neg(D.apply(x)))), tf.mean(tf.softplus(D.apply(fake)))), D.trainable());
        }).loss;
      }
      const gLoss = tf.tidy(() => {
        const z = gaussianNoise(tf, rng, hp.batchSize, hp.latentDim);
        const n = sigma > 0 ? gaussianNoise(tf, rng, hp.batchSize, ctx.data.dims) : null;
        return optG.minimize(() => generatorLoss(D.apply(n ? tf.add(G.apply(z), tf.mul(n, sigma)) : G.apply(z))), G.trainable());
      }).loss;
      return { d_loss: dLoss, g_loss: gLoss };
    },
  };
}
