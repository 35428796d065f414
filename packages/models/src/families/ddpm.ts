/**
 * Denoising diffusion probabilistic model (Ho et al. 2020, "Denoising Diffusion Probabilistic
 * Models"): a fixed forward process adds Gaussian noise over T steps, and a network ε_θ(x_t, t)
 * learns to predict the noise, which parameterises the reverse process. The schedule and the
 * forward process are pure functions in ./ddpm-schedule.ts.
 *
 * Algorithm 1 (training), one iteration per step:
 *   x_0 ~ data,  t ~ Uniform{1, …, T},  ε ~ N(0, I)
 *   x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε
 *   θ ← Adam(∇ mean ‖ε − ε_θ(x_t, t)‖²)                 (L_simple, eq. 14; mean over dims too)
 *
 * Algorithm 2 (sampling):
 *   x_T ~ N(0, I)
 *   for t = T, …, 1:
 *     z ~ N(0, I) if t > 1, else z = 0
 *     x_{t−1} = 1/√α_t (x_t − β_t/√(1 − ᾱ_t) ε_θ(x_t, t)) + σ_t z,   σ_t² = β_t
 *   return x_0
 *
 * Choices for 2-D data (the paper's ε_θ is a U-Net on images):
 * - ε_θ is an MLP on [x_t, sinusoidal features of t] (the paper's Transformer time encoding,
 *   `timeEmbed` features, t in 1…T unscaled, so the highest frequency resolves single steps).
 *   A bare t/T scalar would leave the network to build its own high-frequency features of t,
 *   which the small-t steps (those that set the modes' width) need.
 * - An exponential moving average of the weights (`ema`, as Ho et al. use with decay 0.9999 over
 *   800k steps; shorter here because runs are thousands of steps) is what `sample` uses; it
 *   removes the step-to-step jitter of the last Adam iterates, which on 2-D data shows up as
 *   modes drifting. `ema` = 0 samples from the raw weights. The EMA weights are checkpointed
 *   (`ema.*` variables) but never trained.
 * - Adam lr 1e-3, not the paper's 2e-4 (which was tuned for a U-Net on images): on ring-easy after
 *   3 000 steps, 83.6 % of 2 500 samples lie within 0.15 of a mode centre at lr 1e-3 with EMA,
 *   75.9 % without EMA, and 19 % at lr 2e-4 (all 8 modes covered in each case).
 * - Sampling batches every point through each of the T steps: T forward passes of the MLP,
 *   whatever the number of samples (in chunks of 4096 rows to bound memory).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { FamilyDefinition, Variable } from '../family.js';
import { Mlp } from '../nn/mlp.js';
import { Rng } from '../rng.js';
import { adam, disposeAll, lossValue, namedVariables } from './gan-common.js';
import { ddpmSchedule, qSample, timeEmbedding } from './ddpm-schedule.js';

const defaults = {
  batchSize: 256,
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  timesteps: 1000,
  betaStart: 1e-4,
  betaEnd: 0.02,
  hidden: 128,
  layers: 3,
  timeEmbed: 32,
  ema: 0.995,
};

export const ddpm: FamilyDefinition<typeof defaults> = {
  name: 'ddpm',
  title: 'denoising diffusion (Ho et al. 2020): ε-prediction MLP, linear β schedule, ancestral sampling',
  defaultData: 'ring-easy',
  // Sampling runs the network T times per point batch (about 14 s for 2 500 points at T = 1000
  // here), so evaluations are spaced further apart than the loop's default.
  evalEvery: 2000,
  defaults,
  help: {
    batchSize: 'samples per batch',
    lr: 'Adam learning rate (the paper: 2e-4 on images; 1e-3 trains the 2-D MLP ~4× faster)',
    beta1: 'Adam β1',
    beta2: 'Adam β2',
    timesteps: 'number of diffusion steps T',
    betaStart: 'β_1 of the linear schedule',
    betaEnd: 'β_T of the linear schedule',
    hidden: 'width of the hidden layers of ε_θ',
    layers: 'number of hidden layers of ε_θ',
    timeEmbed: 'number of sinusoidal time features (even)',
    ema: 'decay of the weights\' moving average used for sampling (0: sample from the raw weights)',
  },
  create(ctx) {
    const { tf, hp, rng, data } = ctx;
    const dims = data.dims;
    const E = hp.timeEmbed;
    if (!Number.isInteger(E) || E < 2 || E % 2 !== 0) throw new RangeError(`timeEmbed must be an even integer ≥ 2, got ${E}`);
    if (!(hp.ema >= 0 && hp.ema < 1)) throw new RangeError(`ema must be in [0, 1), got ${hp.ema}`);
    const sched = ddpmSchedule(hp.timesteps, hp.betaStart, hp.betaEnd);
    const T = sched.T;
    const sizes = [dims + E, ...Array.from({ length: hp.layers }, () => hp.hidden), dims];
    const net = new Mlp(tf, rng, sizes);
    // The EMA copy starts equal to the network (its own initialisation draws are overwritten, so
    // they come from a throw-away generator and do not shift the init stream).
    const emaNet = hp.ema > 0 ? new Mlp(tf, new Rng(0), sizes) : undefined;
    const pairs: [Variable, Variable][] = emaNet
      ? net.trainable().map((v, i) => [emaNet.trainable()[i]!, v])
      : [];
    for (const [e, v] of pairs) e.assign(v);
    const opt = adam(tf, hp);
    const variables = namedVariables(emaNet ? [['eps', net], ['ema', emaNet]] : [['eps', net]]);
    const optimizers = new Map([['eps', opt]]);

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
      variables,
      optimizers,
      step(batches, noise) {
        const batch = batches();
        const n = batch.n;
        const t = new Int32Array(n);
        for (let i = 0; i < n; i++) t[i] = 1 + noise.int(T);
        const eps = noise.normals(n * dims);
        const xt = qSample(sched, batch.x, t, eps, dims);
        const loss = lossValue(
          tf.tidy(() => {
            const input = inputs(xt, t);
            const target = tf.tensor2d(eps, [n, dims]);
            return opt.minimize(() => tf.mean(tf.squaredDifference(target, net.apply(input))), true, net.trainable());
          }),
        );
        if (pairs.length > 0) {
          tf.tidy(() => {
            for (const [e, v] of pairs) e.assign(tf.add(tf.mul(hp.ema, e), tf.mul(1 - hp.ema, v)));
          });
        }
        return { loss };
      },
      sample(n, noise) {
        const model = emaNet ?? net;
        const out = new Float32Array(n * dims);
        const chunk = 4096;
        for (let start = 0; start < n; start += chunk) {
          const count = Math.min(chunk, n - start);
          const x = noise.normals(count * dims);
          for (let t = T; t >= 1; t--) {
            const epsHat = tf.tidy(() => model.apply(inputs(x, t)));
            const e = epsHat.dataSync();
            epsHat.dispose();
            const a = 1 / Math.sqrt(sched.alphas[t - 1]!);
            const c = sched.betas[t - 1]! / sched.sqrtOneMinusAlphaBars[t - 1]!;
            const sigma = t > 1 ? Math.sqrt(sched.betas[t - 1]!) : 0;
            for (let i = 0; i < count * dims; i++) {
              x[i] = a * (x[i]! - c * e[i]!) + (sigma > 0 ? sigma * noise.normal() : 0);
            }
          }
          out.set(x, start * dims);
        }
        return out;
      },
      dispose: () => disposeAll(variables, optimizers),
    };
  },
};
