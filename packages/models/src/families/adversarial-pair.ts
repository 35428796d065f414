/**
 * The adversarial pair every GAN family trains: G and D (the default 2-D MLPs, the same for every
 * family so that they differ only in their game, or DCGAN's conv networks on images —
 * nn/networks.ts) with their optimisers, checkpoint names and sampling. Each family module keeps
 * its own algorithm box and picks the pair's parts.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { ModelContext, Optimizer, TF, TrainableModel } from '../family.js';
import { buildDiscriminator, buildGenerator, type Discriminator, type DiscriminatorSpec, type Network } from '../nn/networks.js';
import type { Rng } from '../rng.js';
import { sampleInChunks } from './chunked-sampling.js';
import { disposeAll, pairState } from './model-state.js';
import { gaussianNoise } from './tensors.js';

/** The hyper-parameters the networks read. */
type NetHp = { latentDim: number; hidden: number };

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
  const { variables, optimizers } = pairState(G, D, optG, optD);
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
