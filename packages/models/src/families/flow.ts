/**
 * Normalising flow trained by maximum likelihood: an invertible map f from (transformed) data y to
 * a latent ε ~ N(0, I) with a tractable Jacobian, so log p(y) = log N(f(y); 0, I) + log |det ∂f/∂y|
 * is exact (Dinh, Sohl-Dickstein & Bengio 2017, "Density estimation using Real NVP", eq. 3).
 *
 * for each step:
 *   x ~ data;  (y, log |dy/dx|) = transform(x)          (2-D: y = x; images: see below)
 *   θ ← Adam(∇ −mean[log p_θ(y) + log |dy/dx|])        (nats per row, plus a constant on images)
 * sample: ε ~ N(0, T²I) (T = `temperature`), y = f⁻¹(ε), x = transform⁻¹(y).
 * evaluate: the same mean −log-likelihood on held-out rows (`log_likelihood` = its negative).
 *
 * One algorithm (`maximumLikelihood`), two builders of the flow and the data transform
 * (`FlowParts`). One family rather than a separate `glow` family, so that `--model flow` on images
 * and the runs already made with it keep their meaning.
 *
 * 2-D data (`realNvpParts`): nn/real-nvp.ts's stack of `couplings` affine couplings (MLPs of width
 * `hidden`) on the points themselves; `levels` and `bits` are not used.
 *
 * Images (`glowParts`):
 * - The flow is nn/glow.ts's multi-scale Glow (Kingma & Dhariwal 2018): `levels` levels of a 2×2
 *   squeeze and steps of flow (actnorm, invertible 1×1 conv, affine coupling), half of the
 *   channels factored out between levels. The first level has `couplings` steps with
 *   `hidden`-channel coupling networks; each further level doubles both.
 * - It models y = logit(α + (1 − 2α)u), u = (q + U(0, 1))/2ⁿ, where q is the byte reduced to
 *   n = `bits` bits (Glow's n_bits_x; RealNVP's dequantisation and logit transform, α = 0.05;
 *   nn/image-likelihood.ts), with fresh noise every step. Fewer bits help on nearly binary data
 *   like MNIST: at 8 bits the dequantised data are thin slabs the flow must contract onto.
 * - loss = −E[log p_Y(y) + log |dy/du|] + D·log 256 bounds −log P(bytes) in nats per image at
 *   every n (the byte is uniform within its n-bit bin; at n < 8 that costs 8 − n bits/dim), the
 *   unit of the image VAE's negative ELBO, so the step adds `bits_per_dim` and `evaluate` adds
 *   `nll_nats` and `bits_per_dim`.
 * - `sample` shows each n-bit level as an evenly spaced byte (0 and 255 at the ends).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Batch, FamilyDefinition, TrainableModel, Variable } from '../family.js';
import { Glow } from '../nn/glow.js';
import { bitsPerDim, dequantizeLogit, logitToImage } from '../nn/image-likelihood.js';
import { RealNvp } from '../nn/real-nvp.js';
import type { Rng } from '../rng.js';
import { adam } from './model-state.js';
import { gaussianNoise, scalarValue } from './tensors.js';
import { sampleInChunks, sumInChunks } from './chunked-sampling.js';
import { LOSS } from './losses.js';
import { int, real } from '../hyper-param-schema.js';
import { adamHyperParams, width } from './shared-hyper-params.js';

/** Images: Glow at 3 bits of colour depth, Adam 2e-3, batch 32 (the measurements above). */
const hyperParams = {
  ...adamHyperParams({ batchSize: { points: 256, images: 32 }, lr: { points: 1e-3, images: 2e-3 }, beta1: 0.9, beta2: 0.999 }),
  couplings: int({
    min: 1,
    max: 64,
    default: { points: 8, images: 4 },
    help: 'number of affine coupling layers (alternating halves; images: steps of flow at the first level, doubling at each level)',
  }),
  hidden: width({ points: 64, images: 32 }, "width of the two hidden layers of each coupling's s/t network (images: conv channels at the first level, doubling at each level)"),
  levels: int({ min: 1, max: 6, default: 2, help: 'images: levels of the multi-scale Glow (each squeezes 2×2 blocks; the sides must divide by 2^levels)' }),
  temperature: real({ min: 0, minExclusive: true, max: 100, default: 1, help: 'sampling temperature T (latents drawn from N(0, T²I))' }),
  bits: int({
    min: 1,
    max: 8,
    default: { points: 8, images: 3 },
    help: "images: colour depth n the flow models (Glow's n_bits_x: each byte reduced to n bits, uniform within its bin; 1–8)",
  }),
};

export const flow: FamilyDefinition<typeof hyperParams> = {
  name: 'flow',
  title: 'normalising flow, exact log-likelihood: RealNVP couplings (Dinh et al. 2017); images: multi-scale Glow (Kingma & Dhariwal 2018)',
  defaultData: 'ring-easy',
  condition: { kind: 'none' },
  hyperParams,
  metrics: LOSS,
  create: (ctx) => maximumLikelihood(ctx, ctx.data.image ? glowParts(ctx) : realNvpParts(ctx)),
};

type FlowContext = Parameters<typeof flow.create>[0];

/** A bijection to N(0, I) with exact log-density, as the algorithm uses it. */
interface DensityFlow {
  /** log p(y) per row, in nats. */
  logProb(y: tfNs.Tensor2D): tfNs.Tensor1D;
  /** y = f⁻¹(ε). */
  inverse(eps: tfNs.Tensor2D): tfNs.Tensor2D;
  trainable(): Variable[];
  dispose(): void;
}

/** What differs between data kinds: the flow, the data transform, and the keys it adds. */
interface FlowParts {
  readonly net: DensityFlow;
  /** Checkpoint names → variables. */
  readonly variables: Map<string, Variable>;
  /**
   * Mean −log p(x) in nats per row of the n data rows x, as a closure to run on the tape; the
   * flow's inputs (and any dequantisation noise, from `noise`) are built now.
   */
  negLogLik(x: Float32Array, n: number, noise: Rng): () => tfNs.Scalar;
  /** Data rows from flow outputs y = f⁻¹(ε). */
  toData(y: tfNs.Tensor2D): tfNs.Tensor2D;
  /** Held-out rows 256 at a time (images: bounded memory) rather than in one pass. */
  readonly evalInChunks: boolean;
  /** What a step reports beside `loss`. */
  stepMetrics(loss: number): Record<string, number>;
  /** What `evaluate` reports beside `log_likelihood`, from the held-out mean −log p in nats per row. */
  heldOutMetrics(nats: number): Record<string, number>;
}

/** 2-D data: RealNVP on the points themselves. */
function realNvpParts(ctx: FlowContext): FlowParts {
  const { tf, hp, rng, data } = ctx;
  const nvp = new RealNvp(tf, rng, data.dims, { couplings: hp.couplings, hidden: hp.hidden });
  return {
    net: nvp,
    variables: new Map(nvp.namedVariables()),
    negLogLik(x, n) {
      const xt = tf.tensor2d(x, [n, data.dims]);
      return () => tf.neg(tf.mean(nvp.logProb(xt))) as tfNs.Scalar;
    },
    toData: (y) => y,
    evalInChunks: false,
    stepMetrics: () => ({}),
    heldOutMetrics: () => ({}),
  };
}

/** Images: a multi-scale Glow on dequantised, logit-transformed pixels (see the header). */
function glowParts(ctx: FlowContext): FlowParts {
  const { tf, hp, rng, data } = ctx;
  const dims = data.dims;
  const glow = new Glow(tf, rng, { ...data.image!, levels: hp.levels, depth: hp.couplings, hidden: hp.hidden });
  const log256 = dims * Math.log(256);
  return {
    net: glow,
    variables: new Map(glow.namedVariables('flow')),
    negLogLik(x, n, noise) {
      const { y, logDet } = dequantizeLogit(x, dims, noise, { bits: hp.bits });
      const yt = tf.tensor2d(y, [n, dims]);
      const ld = tf.tensor1d(logDet);
      return () => tf.sub(log256, tf.mean(tf.add(glow.logProb(yt), ld))) as tfNs.Scalar;
    },
    toData: (y) => logitToImage(tf, y, { bits: hp.bits }),
    evalInChunks: true,
    stepMetrics: (loss) => ({ bits_per_dim: bitsPerDim(loss, dims) }),
    heldOutMetrics: (nats) => ({ nll_nats: nats, bits_per_dim: bitsPerDim(nats, dims) }),
  };
}

/** The maximum-likelihood algorithm of the header (training, sampling, held-out likelihood). */
function maximumLikelihood(ctx: FlowContext, parts: FlowParts): TrainableModel {
  const { tf, hp, data } = ctx;
  const { net, variables } = parts;
  const opt = adam(tf, hp);
  const optimizers = new Map([['flow', opt]]);
  const trainable = net.trainable();
  return {
    variables,
    optimizers,
    step(batches, noise) {
      const batch = batches();
      const losses = tf.tidy(() => opt.minimize(parts.negLogLik(batch.x, batch.n, noise), trainable));
      return { ...losses, ...parts.stepMetrics(losses.loss) };
    },
    sample: (n, noise) =>
      sampleInChunks(tf, n, data.dims, (count) => parts.toData(net.inverse(tf.mul(hp.temperature, gaussianNoise(tf, noise, count, data.dims)) as tfNs.Tensor2D))),
    evaluate(heldOut: Batch, noise: Rng) {
      const meanNats = (rows: Batch) => scalarValue(tf.tidy(() => parts.negLogLik(rows.x, rows.n, noise)()));
      const nats = parts.evalInChunks ? sumInChunks(heldOut, (part) => part.n * meanNats(part)) / heldOut.n : meanNats(heldOut);
      return { log_likelihood: -nats, ...parts.heldOutMetrics(nats) };
    },
    dispose: () => {
      net.dispose();
      opt.dispose();
    },
  };
}
