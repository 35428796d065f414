/**
 * Denoising diffusion probabilistic model (Ho et al. 2020, "Denoising Diffusion Probabilistic
 * Models"): a fixed forward process adds Gaussian noise over T steps, and a network ε_θ(x_t, t)
 * learns to predict the noise, which parameterises the reverse process. The schedule and the
 * forward process are pure functions in ./ddpm-schedule.ts, the samplers in ./ddpm-samplers.ts.
 *
 * Algorithm 1 (training), one iteration per step:
 *   x_0 ~ data,  t ~ Uniform{1, …, T},  ε ~ N(0, I)
 *   x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε
 *   θ ← Adam(∇ mean ‖ε − ε_θ(x_t, t)‖²)                 (L_simple, eq. 14; mean over dims too)
 *   ema ← ema_decay · ema + (1 − ema_decay) · θ
 *
 * sample: x_T ~ N(0, I), then `sampleSteps` k picks the sampler (ddpm-samplers.ts): 0 (or ≥ T)
 * runs all T steps of ancestral sampling (Algorithm 2); 0 < k < T runs deterministic DDIM (Song
 * et al. 2021, σ = 0) on k strided timesteps, the same trained ε_θ with T/k times fewer passes.
 *
 * One algorithm (`diffusion`), two builders of ε_θ (`EpsNetwork`):
 *
 * 2-D data (`mlpEpsNet`; the paper's ε_θ is a U-Net on images):
 * - ε_θ is an MLP on [x_t, sinusoidal features of t] (the paper's Transformer time encoding,
 *   `timeEmbed` features, t in 1…T unscaled, so the highest frequency resolves single steps).
 *   A bare t/T scalar would leave the network to build its own high-frequency features of t,
 *   which the small-t steps (those that set the modes' width) need.
 * - `sample` uses an exponential moving average of the weights (`ema`, as Ho et al. do with decay
 *   0.9999 over 800k steps; shorter here because runs are thousands of steps): it removes the
 *   step-to-step jitter of the last Adam iterates, which on 2-D data shows up as modes drifting.
 *   `ema` = 0 samples from the raw weights. The EMA weights are checkpointed (`ema.*` variables)
 *   but never trained.
 * - Adam lr 1e-3, not the paper's 2e-4 (tuned for a U-Net on images): the 2-D MLP trains several
 *   times faster (docs/tuning.md).
 * - Sampling batches every point through each step: one MLP pass per step whatever the number of
 *   samples (in chunks of 4096 rows to bound memory). The 2-D default is all T ancestral steps.
 *
 * Images (`convEpsNet`):
 * - ε_θ is nn/conv-denoiser.ts's small U-Net (two stride-2 levels, residual blocks with the
 *   sinusoidal time embedding added per channel, zero-initialised output): `hidden` channels at
 *   full resolution, `timeEmbed` sinusoid features (`layers` is not used).
 * - T = 1000 passes of that U-Net per sample would take hours per evaluation on a CPU, so images
 *   sample with DDIM, `sampleSteps` 50 by default, the predicted x̂_0 clipped to [−1, 1] at each
 *   step (as improved-diffusion does); every image sample is clipped to [−1, 1].
 *   `--hp sampleSteps=0` gives the full Algorithm 2.
 * - The image defaults (width 16, batch 32, Adam 1e-3, EMA 0.99) are sized for CPU runs of
 *   hundreds to a few thousand steps: a CPU budget is counted in seconds, and batch 32 reaches
 *   batch 64's FID in less time (docs/tuning.md).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { FamilyDefinition, TrainableModel, Variable } from '../family.js';
import { Mlp } from '../nn/mlp.js';
import { Rng } from '../rng.js';
import { adam, disposeAll, type Named, namedVariables } from './model-state.js';
import { rowsInChunks } from './chunked-sampling.js';
import { ddpmSchedule, qSample, timeEmbedding, type DdpmSchedule } from './ddpm-schedule.js';
import { samplerFor } from './ddpm-samplers.js';
import { ConvDenoiser } from '../nn/conv-denoiser.js';
import { badInputError } from '@gen-eval/metrics/errors';
import { LOSS } from './losses.js';
import { int, real } from '../hyper-param-schema.js';
import { adamHyperParams, width } from './shared-hyper-params.js';

/** β_t is a variance fraction: 1 − β_t must stay positive. */
const betaT = (d: number, help: string) => real({ min: 0, minExclusive: true, max: 1, maxExclusive: true, default: d, help });

const hyperParams = {
  ...adamHyperParams(
    { batchSize: { points: 256, images: 32 }, lr: 1e-3, beta1: 0.9, beta2: 0.999 },
    'Adam learning rate (the paper: 2e-4 on images; 1e-3 trains the 2-D MLP ~4× faster)',
  ),
  timesteps: int({ min: 1, max: 10_000, default: 1000, help: 'number of diffusion steps T' }),
  betaStart: betaT(1e-4, 'β_1 of the linear schedule'),
  betaEnd: betaT(0.02, 'β_T of the linear schedule'),
  hidden: width({ points: 128, images: 16 }, "width of the hidden layers of ε_θ (images: channels of the U-Net's full-resolution level)"),
  layers: int({ min: 1, max: 64, default: 3, help: 'number of hidden layers of ε_θ (2-D MLP only)' }),
  // Images: the U-Net's time MLP needs at least 4 features.
  timeEmbed: int({ min: 2, imageMin: 4, max: 1024, even: true, default: 32, help: 'number of sinusoidal time features (even)' }),
  ema: real({
    min: 0,
    max: 1,
    maxExclusive: true,
    default: { points: 0.995, images: 0.99 },
    help: "decay of the weights' moving average used for sampling (0: sample from the raw weights)",
  }),
  sampleSteps: int({
    min: 0,
    max: 10_000,
    default: { points: 0, images: 50 },
    help: 'sampling: 0 = all T ancestral steps (Algorithm 2); k = deterministic DDIM on k strided steps',
  }),
};

export const ddpm: FamilyDefinition<typeof hyperParams> = {
  name: 'ddpm',
  title: 'denoising diffusion (Ho et al. 2020): ε-prediction MLP (images: U-Net), linear β schedule, ancestral or DDIM sampling',
  defaultData: 'ring-easy',
  condition: { kind: 'none' },
  // Sampling runs the network once per step for every batch of points, so evaluations are spaced
  // further apart than the loop's default.
  evalEvery: 2000,
  hyperParams,
  metrics: LOSS,
  create(ctx) {
    const sched = ddpmSchedule(ctx.hp.timesteps, ctx.hp.betaStart, ctx.hp.betaEnd);
    return ctx.data.image ? diffusion(ctx, sched, convEpsNet(ctx)) : diffusion(ctx, sched, mlpEpsNet(ctx));
  },
};

type DdpmContext = Parameters<typeof ddpm.create>[0];

/** The network ε_θ of one data kind, as the algorithm uses it. */
interface EpsNetwork<M> {
  /** A fresh network with its initial weights from `rng`. */
  build(rng: Rng): M;
  /**
   * Builds the inputs for rows x_t (n × dims) at timesteps t (one per row, or one for all rows)
   * and returns the forward pass ε_θ(x_t, t) → n × dims, to run on the tape or in a tidy.
   */
  epsTheta(model: M, xt: Float32Array, t: Int32Array | number): () => tfNs.Tensor2D;
  /** Images: DDIM's x̂_0 and every sample clipped to [−clip, clip]. */
  clip?: number;
}

/** 2-D data: an MLP on [x_t, sinusoidal features of t]. */
function mlpEpsNet(ctx: DdpmContext): EpsNetwork<Mlp> {
  const { tf, hp, data } = ctx;
  const dims = data.dims;
  const E = hp.timeEmbed;
  const sizes = [dims + E, ...Array.from({ length: hp.layers }, () => hp.hidden), dims];

  /**
   * Network input rows [x_t, features(t)]: `t` holds each row's timestep, or is one timestep
   * shared by all rows (sampling; its features are computed once and copied).
   */
  function inputs(xt: Float32Array, t: Int32Array | number): tfNs.Tensor2D {
    const n = xt.length / dims;
    const w = dims + E;
    const buf = new Float32Array(n * w);
    if (typeof t === 'number') timeEmbedding(t, E, buf, 0, w, dims);
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < dims; d++) buf[i * w + d] = xt[i * dims + d]!;
      if (typeof t !== 'number') timeEmbedding(t[i]!, E, buf, i, w, dims);
      else if (i > 0) buf.copyWithin(i * w + dims, dims, w);
    }
    return tf.tensor2d(buf, [n, w]);
  }

  return {
    build: (r) => new Mlp(tf, r, sizes),
    epsTheta(model, xt, t) {
      const input = inputs(xt, t);
      return () => model.apply(input);
    },
  };
}

/** Images: the conv U-Net ε_θ, every sample clipped to [−1, 1] (see the header). */
function convEpsNet(ctx: DdpmContext): EpsNetwork<ConvDenoiser> {
  const { tf, hp, data } = ctx;
  const image = data.image!;
  if (image.height !== image.width) throw badInputError(`the conv denoiser needs square images, got ${image.height}×${image.width}`);
  const dims = data.dims;
  const opts = { size: image.height, channels: image.channels, width: hp.hidden, timeDim: hp.timeEmbed };
  return {
    build: (r) => new ConvDenoiser(tf, r, opts),
    epsTheta(model, xt, t) {
      const n = xt.length / dims;
      const input = tf.tensor2d(xt, [n, dims]);
      const tt = (typeof t === 'number' ? tf.fill([n], t) : tf.tensor1d(Float32Array.from(t))) as tfNs.Tensor1D;
      return () => tf.reshape(model.apply(input, tt), [n, dims]) as tfNs.Tensor2D;
    },
    clip: 1,
  };
}

/** Algorithm 1 (with the EMA copy) and the sampler `sampleSteps` picks, for either ε_θ. */
function diffusion<M extends Named & { trainable(): Variable[] }>(ctx: DdpmContext, sched: DdpmSchedule, epsNet: EpsNetwork<M>): TrainableModel {
  const { tf, hp, rng, data } = ctx;
  const dims = data.dims;
  const T = sched.T;
  const net = epsNet.build(rng);
  // The EMA copy starts equal to the network (its own initialisation draws are overwritten, so
  // they come from a throw-away generator and do not shift the init stream).
  const emaNet = hp.ema > 0 ? epsNet.build(new Rng(0)) : undefined;
  const pairs: [Variable, Variable][] = emaNet ? net.trainable().map((v, i) => [emaNet.trainable()[i]!, v]) : [];
  for (const [e, v] of pairs) e.assign(v);
  const opt = adam(tf, hp);
  const variables = namedVariables(
    emaNet
      ? [
          ['eps', net],
          ['ema', emaNet],
        ]
      : [['eps', net]],
  );
  const optimizers = new Map([['eps', opt]]);
  const clip = epsNet.clip;
  const sampler = samplerFor(sched, hp.sampleSteps, clip);

  /** ε_θ(x_t, t) as n × dims values, all rows at one timestep. */
  function predict(model: M, xt: Float32Array, t: number): Float32Array {
    const y = tf.tidy(() => epsNet.epsTheta(model, xt, t)());
    const out = y.dataSync() as Float32Array;
    y.dispose();
    return out;
  }

  return {
    variables,
    optimizers,
    step(batches, noise) {
      // Algorithm 1: x_0, t ~ U{1…T}, ε; one Adam step on mean ‖ε − ε_θ(x_t, t)‖².
      const batch = batches();
      const n = batch.n;
      const t = new Int32Array(n);
      for (let i = 0; i < n; i++) t[i] = 1 + noise.int(T);
      const eps = noise.normals(n * dims);
      const xt = qSample(sched, batch.x, t, eps, dims);
      const { loss } = tf.tidy(() => {
        const epsHat = epsNet.epsTheta(net, xt, t);
        const target = tf.tensor2d(eps, [n, dims]);
        return opt.minimize(() => tf.mean(tf.squaredDifference(target, epsHat())), net.trainable());
      });
      if (pairs.length > 0) {
        tf.tidy(() => {
          for (const [e, v] of pairs) e.assign(tf.add(tf.mul(hp.ema, e), tf.mul(1 - hp.ema, v)));
        });
      }
      return { loss };
    },
    sample(n, noise) {
      const model = emaNet ?? net;
      const predictModel = (x: Float32Array, t: number) => predict(model, x, t);
      return rowsInChunks(n, dims, (count) => {
        const x = noise.normals(count * dims);
        sampler(x, predictModel, noise);
        if (clip !== undefined) for (let i = 0; i < x.length; i++) x[i] = Math.min(Math.max(x[i]!, -clip), clip);
        return x;
      });
    },
    dispose: () => disposeAll(variables, optimizers),
  };
}
