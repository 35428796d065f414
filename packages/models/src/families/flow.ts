/**
 * RealNVP normalising flow (Dinh, Sohl-Dickstein & Bengio 2017, "Density estimation using Real
 * NVP"): an invertible map f from data x to a latent z ~ N(0, I), built from affine coupling
 * layers whose Jacobians are triangular, so the likelihood is exact (eq. 3):
 *
 *   log p(x) = log N(f(x); 0, I) + Σ_layers log |det ∂f_k/∂x_{k−1}|
 *
 * One affine coupling (eq. 6–9) splits the coordinates into a conditioning part x_a and a
 * transformed part x_b:
 *   y_a = x_a
 *   y_b = x_b ⊙ exp(s(x_a)) + t(x_a)          log |det J| = Σ_j s_j(x_a)
 * and its inverse is x_b = (y_b − t(y_a)) ⊙ exp(−s(y_a)). Successive couplings alternate which
 * part is conditioned (on 2-D data: y conditioned on x, then x on y, …), so every coordinate is
 * transformed by half of the layers.
 *
 * for each step:
 *   x ~ data
 *   θ ← Adam(∇ −mean log p(x))                 (maximum likelihood; the loss is in nats)
 * sample: z ~ N(0, I), x = f⁻¹(z) (the couplings inverted in reverse order).
 *
 * Choices:
 * - s and t come from one MLP per coupling, x_a → hidden → hidden → (raw s, t), whose last
 *   layer starts at zero so that the initial flow is the identity (the model starts as N(0, I),
 *   and deep stacks do not start with exploding scales).
 * - The scale is tanh-bounded with a learned per-coupling gain, s = g ⊙ tanh(raw) (the paper's
 *   implementation does the same): the tanh keeps one bad step from producing exp(huge), the
 *   gain (starting at 2) still lets the stack contract the N(0, I) mass onto modes of σ 0.05.
 * - Defaults (8 couplings of width 64, Adam 1e-3, batch 256) were compared on ring-easy at 2 000
 *   steps: 59.8 % of 2 500 samples within 0.15 of a mode centre, against 41.3 % at lr 3e-3 and
 *   46.9 % with 6 couplings of width 128 (8/8 modes in each case).
 *
 * Images (`data.image` set; the same maximum-likelihood algorithm on dequantised data):
 * - The flow is nn/glow.ts's multi-scale Glow (Kingma & Dhariwal 2018): `levels` levels, each a
 *   2×2 squeeze and steps of flow (actnorm, invertible 1×1 conv, affine coupling), with half of
 *   the channels factored out between levels under a learned conditional prior. The first level
 *   has `couplings` steps with `hidden`-channel coupling networks; each further level doubles both.
 * - It models y = logit(α + (1 − 2α)u), u = (q + U(0, 1))/2ⁿ, where q is the byte reduced to
 *   n = `bits` bits (Glow's n_bits_x; RealNVP's dequantisation and logit transform, α = 0.05;
 *   nn/image-likelihood.ts), with fresh noise every step. loss = −E[log p_Y(y) + log |dy/du|] +
 *   D·log 256 is an upper bound on −log P(bytes) in nats per image at every n (the byte is uniform
 *   within its n-bit bin), the unit of the image VAE's negative ELBO. `evaluate` returns it as
 *   `nll_nats`, with `bits_per_dim` and `log_likelihood` = −nll_nats. At n < 8 it includes
 *   8 − n bits/dim for the uniform choice within a bin.
 * - `sample` draws ε ~ N(0, T²I) (T = `temperature`), inverts the flow and the logit, and shows
 *   each n-bit level as an evenly spaced byte (0 and 255 at the ends).
 * - Image defaults, and what was measured on MNIST at 28 px. Seed 0; FID with the embedded
 *   classifier, 1 000 samples against 2 000 held-out images; two runs sharing the 2 cores:
 *   - The single-scale RealNVP that this replaced (8 checkerboard/row couplings of width 16, at
 *     8 bits) learned likelihood (2.66 bits/dim at step 1 200), but its samples stayed speckles:
 *     FID 1 990 untrained, 1 588 at step 1 200.
 *   - Glow with 4 steps × 32 channels at both levels, at 8 bits: 951 at step 400, 916 at 1 600.
 *   - The same at 3 bits: 891 / 612 / 555 at steps 400 / 1 200 / 2 000 (5 bits: 1 233 / 683 at 400 /
 *     1 200). MNIST is nearly binary, so at 8 bits the dequantised data are thin slabs, which the
 *     flow must contract its Gaussian onto.
 *   - Doubling steps and width at the 7×7 level (8 × 64), which costs little at that size:
 *     616 / 501 / 393 / 363 at steps 500 / 1 000 / 1 500 / 2 000 (untrained: 1 971 at 3 bits).
 *   - Adam 2e-3 instead of 1e-3: 452 / 402 / 361 / 314 at steps 500 / 1 000 / 1 500 / 2 000.
 *   - Batch 32 instead of 64 (Adam 2e-3): 438 / 364 / 367 / 342 at steps 750 / 1 500 / 2 250 /
 *     3 000. Its step takes about half as long, so batch 32 is the default: it reaches batch 64's
 *     FID in about half the time.
 *   - These defaults, alone on the idle machine: 3.95 steps/s. `bench/train.mjs --images --steps
 *     flow=2250` (570 s): FID 1 924 → 367 (5.2×) with seed 0, 1 942 → 350 (5.5×) with seed 1.
 *     Held-out bound 5.60 bits/dim, of which 5 are the uniform choice within 3-bit bins.
 *   - A lower temperature makes FID worse (the 3-bit run at step 400, T 0.6: 2 296 against 896 at
 *     T 1). The share of ink pixels falls from 7.6 % to 1.3 %: the model's mode is a blank page.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Batch, FamilyDefinition, TF, TrainableModel, Variable } from '../family.js';
import { Glow } from '../nn/glow.js';
import { bitsPerDim, dequantizeLogit, logitToImage } from '../nn/image-likelihood.js';
import { Mlp, type Activation } from '../nn/mlp.js';
import type { Rng } from '../rng.js';
import { adam, batchTensor, disposeAll, gaussianNoise, lossValue, sampleInChunks, sumInChunks } from './gan-common.js';
import { badInputError, usageError } from '@gen-eval/metrics/errors';
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

const LOG_2PI = Math.log(2 * Math.PI);

/** One affine coupling: which columns condition, which are transformed, and its s/t network. */
interface Coupling {
  readonly cond: readonly number[];
  readonly moved: readonly number[];
  readonly net: Mlp;
  /** Gain g of s = g ⊙ tanh(raw), one per transformed coordinate. */
  readonly gain: Variable;
}

/** Options of a RealNVP stack. */
export interface RealNvpOptions {
  /** Number of affine couplings (alternating halves). */
  couplings: number;
  /** Width of the two hidden layers of each coupling's s/t network. */
  hidden: number;
  /** Hidden activation of the s/t networks (default relu). */
  activation?: Activation;
  /** Initial gain of the tanh-bounded scales (default 2). */
  initialGain?: number;
}

/**
 * A RealNVP stack of affine couplings on `dims`-dimensional data, with exact log-likelihood.
 * Exported (not only the family) so tests can check log |det J| and the density directly.
 */
export class RealNvp {
  readonly couplings: readonly Coupling[];

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly dims: number,
    opts: RealNvpOptions,
  ) {
    if (dims < 2) throw badInputError(`a coupling flow needs at least 2 dimensions, got ${dims}`);
    if (!Number.isInteger(opts.couplings) || opts.couplings < 1) throw usageError(`couplings must be an integer ≥ 1, got ${opts.couplings}`);
    const first = Array.from({ length: Math.ceil(dims / 2) }, (_, i) => i);
    const second = Array.from({ length: dims - first.length }, (_, i) => first.length + i);
    const layers: Coupling[] = [];
    for (let k = 0; k < opts.couplings; k++) {
      const [cond, moved] = k % 2 === 0 ? [first, second] : [second, first];
      layers.push({
        cond,
        moved,
        net: new Mlp(tf, rng, [cond.length, opts.hidden, opts.hidden, 2 * moved.length], { activation: opts.activation ?? 'relu', lastScale: 0 }),
        gain: tf.variable(tf.fill([moved.length], opts.initialGain ?? 2)),
      });
    }
    this.couplings = layers;
  }

  /** The columns `idx` of x (contiguous ranges here, so one slice). */
  private cols(x: tfNs.Tensor2D, idx: readonly number[]): tfNs.Tensor2D {
    return this.tf.slice(x, [0, idx[0]!], [-1, idx.length]) as tfNs.Tensor2D;
  }

  /** Puts the two parts back in column order. */
  private join(c: Coupling, a: tfNs.Tensor2D, b: tfNs.Tensor2D): tfNs.Tensor2D {
    return this.tf.concat(c.cond[0]! < c.moved[0]! ? [a, b] : [b, a], 1) as tfNs.Tensor2D;
  }

  /** s(x_a) (tanh-bounded, with gain) and t(x_a) of one coupling. */
  private scaleShift(c: Coupling, xa: tfNs.Tensor2D): { s: tfNs.Tensor2D; t: tfNs.Tensor2D } {
    const tf = this.tf;
    const h = c.net.apply(xa);
    const m = c.moved.length;
    const raw = tf.slice(h, [0, 0], [-1, m]) as tfNs.Tensor2D;
    return { s: tf.mul(c.gain, tf.tanh(raw)) as tfNs.Tensor2D, t: tf.slice(h, [0, m], [-1, m]) as tfNs.Tensor2D };
  }

  /** z = f(x) and log |det ∂f/∂x| per row. */
  forward(x: tfNs.Tensor2D): { z: tfNs.Tensor2D; logDet: tfNs.Tensor1D } {
    const tf = this.tf;
    let h = x;
    let logDet = tf.zeros([x.shape[0]]) as tfNs.Tensor1D;
    for (const c of this.couplings) {
      const xa = this.cols(h, c.cond);
      const { s, t } = this.scaleShift(c, xa);
      const yb = tf.add(tf.mul(this.cols(h, c.moved), tf.exp(s)), t) as tfNs.Tensor2D;
      logDet = tf.add(logDet, tf.sum(s, 1)) as tfNs.Tensor1D;
      h = this.join(c, xa, yb);
    }
    return { z: h, logDet };
  }

  /** x = f⁻¹(z): the couplings undone in reverse order. */
  inverse(z: tfNs.Tensor2D): tfNs.Tensor2D {
    const tf = this.tf;
    let h = z;
    for (let k = this.couplings.length - 1; k >= 0; k--) {
      const c = this.couplings[k]!;
      const ya = this.cols(h, c.cond);
      const { s, t } = this.scaleShift(c, ya);
      const xb = tf.mul(tf.sub(this.cols(h, c.moved), t), tf.exp(tf.neg(s))) as tfNs.Tensor2D;
      h = this.join(c, ya, xb);
    }
    return h;
  }

  /** log p(x) per row, in nats: log N(f(x); 0, I) + log |det ∂f/∂x|. */
  logProb(x: tfNs.Tensor2D): tfNs.Tensor1D {
    const tf = this.tf;
    const { z, logDet } = this.forward(x);
    const logN = tf.mul(-0.5, tf.add(tf.sum(tf.square(z), 1), this.dims * LOG_2PI));
    return tf.add(logN, logDet) as tfNs.Tensor1D;
  }

  /** The variables as [name, variable] pairs: `c${k}.net.*` and `c${k}.gain`. */
  namedVariables(): [string, Variable][] {
    return this.couplings.flatMap((c, k) => [...c.net.namedVariables(`c${k}.net`), [`c${k}.gain`, c.gain] as [string, Variable]]);
  }

  /** The trainable variables. */
  trainable(): Variable[] {
    return this.couplings.flatMap((c) => [...c.net.trainable(), c.gain]);
  }
}

export const flow: FamilyDefinition<typeof hyperParams> = {
  name: 'flow',
  title: 'RealNVP flow (Dinh et al. 2017): affine couplings, exact log-likelihood',
  defaultData: 'ring-easy',
  hyperParams,
  metrics: LOSS,
  create(ctx) {
    if (ctx.data.image) return imageFlow(ctx);
    const { tf, hp, rng, data } = ctx;
    const nvp = new RealNvp(tf, rng, data.dims, { couplings: hp.couplings, hidden: hp.hidden });
    const opt = adam(tf, hp);
    const variables = new Map(nvp.namedVariables());
    const optimizers = new Map([['flow', opt]]);
    const trainable = nvp.trainable();
    return {
      variables,
      optimizers,
      step(batches) {
        const batch = batches();
        const loss = lossValue(
          tf.tidy(() => {
            const x = batchTensor(tf, batch);
            return opt.minimize(() => tf.neg(tf.mean(nvp.logProb(x))), true, trainable);
          }),
        );
        return { loss };
      },
      sample: (n, noise) => sampleInChunks(tf, n, data.dims, (count) => nvp.inverse(tf.mul(hp.temperature, gaussianNoise(tf, noise, count, data.dims)) as tfNs.Tensor2D)),
      evaluate(heldOut: Batch) {
        const ll = tf.tidy(() => tf.mean(nvp.logProb(batchTensor(tf, heldOut))) as tfNs.Scalar);
        return { log_likelihood: lossValue(ll) };
      },
      dispose: () => disposeAll(variables, optimizers),
    };
  },
};

type FlowContext = Parameters<typeof flow.create>[0];

/** The image flow: a multi-scale Glow on dequantised, logit-transformed pixels. */
function imageFlow(ctx: FlowContext): TrainableModel {
  const { tf, hp, rng, data } = ctx;
  const image = data.image!;
  const dims = data.dims;
  const nvp = new Glow(tf, rng, { ...image, levels: hp.levels, depth: hp.couplings, hidden: hp.hidden });
  const opt = adam(tf, hp);
  const variables = new Map(nvp.namedVariables('flow'));
  const optimizers = new Map([['flow', opt]]);
  const trainable = nvp.trainable();
  const log256 = dims * Math.log(256);

  /** Mean −log P(bytes) bound in nats per image (a scalar tensor) of n × dims rows, noise from `rng`. */
  function negLogLik(x: Float32Array, n: number, noise: Rng): () => tfNs.Scalar {
    const { y, logDet } = dequantizeLogit(x, dims, noise, { bits: hp.bits });
    const yt = tf.tensor2d(y, [n, dims]);
    const ld = tf.tensor1d(logDet);
    return () => tf.sub(log256, tf.mean(tf.add(nvp.logProb(yt), ld))) as tfNs.Scalar;
  }

  return {
    variables,
    optimizers,
    step(batches, noise) {
      const batch = batches();
      const loss = lossValue(tf.tidy(() => opt.minimize(negLogLik(batch.x, batch.n, noise), true, trainable)));
      return { loss, bits_per_dim: bitsPerDim(loss, dims) };
    },
    sample: (n, noise) =>
      sampleInChunks(tf, n, dims, (count) => logitToImage(tf, nvp.inverse(tf.mul(hp.temperature, gaussianNoise(tf, noise, count, dims)) as tfNs.Tensor2D), { bits: hp.bits })),
    evaluate(heldOut: Batch, noise: Rng) {
      const sum = sumInChunks(heldOut, (part) => part.n * lossValue(tf.tidy(() => negLogLik(part.x, part.n, noise)())));
      const nats = sum / heldOut.n;
      return { log_likelihood: -nats, nll_nats: nats, bits_per_dim: bitsPerDim(nats, dims) };
    },
    dispose: () => {
      nvp.dispose();
      for (const o of optimizers.values()) o.dispose();
    },
  };
}
