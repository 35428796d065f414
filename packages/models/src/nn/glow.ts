/**
 * Glow (Kingma & Dhariwal 2018, "Glow: Generative Flow with Invertible 1×1 Convolutions"), the
 * multi-scale architecture of RealNVP (Dinh et al. 2017, §3.6) with Glow's step of flow, CPU-sized.
 * An exact bijection between an image y (NHWC rows) and a standard-normal latent z, with log |det|:
 *
 *   for each level l = 1 … L:
 *     h ← squeeze(h)                                   (2×2 blocks → channels; log-det 0)
 *     repeat K times (one step of flow, Glow table 1):
 *       h ← actnorm(h)        = (h + b) ⊙ exp(log s)        log-det H·W·Σ log s
 *       h ← invconv(h)        = h · W, W = P L (U + diag(σ ⊙ exp(log d)))   log-det H·W·Σ log d
 *       h ← coupling(h): (h_a, h_b) = split(h); (t, r) = NN(h_a); c = sigmoid(r + 2)
 *                        h_b ← (h_b + t) ⊙ c                 log-det Σ log c
 *     if l < L: (h, z_l) = split(h); z_l is factored out under a learned conditional prior
 *               N(μ(h), exp(2ρ(h))) (Glow's split2d: a zero-initialised conv of the kept half)
 *   z_L = h under a learned prior N(μ, exp(2ρ)) per value (Glow's learned top prior)
 *
 * Each prior is written as its standardising affine ε = (z − μ) ⊙ exp(−ρ), so the whole model is
 * one bijection y ↔ ε with ε ~ N(0, I) and log p(y) = log N(ε; 0, I) + log |det ∂ε/∂y|, which the
 * tests check against an autodiff Jacobian. Sampling inverts it: y = f⁻¹(T·ε) at temperature T.
 *
 * Choices:
 * - Every output layer (the couplings' last conv, the split priors' conv) starts at zero and the
 *   1×1 convolutions start as a random channel permutation (L = I, U = 0, d = 1), so the untrained
 *   flow is a permutation of a standard normal; actnorm starts at the identity (Glow initialises
 *   it from the first batch; a fixed start keeps a run independent of its first batch).
 * - W's LU parameterisation makes log |det W| = Σ log d exact and cheap; P and σ = sign(d) are
 *   fixed. The inverse of W (sampling only) is taken in float64 on the CPU.
 * - NN = conv3×3 → ReLU → conv1×1 → ReLU → conv3×3 (zero-initialised), as in Glow, with `hidden`
 *   channels. Glow's sigmoid(r + 2) scale (≤ 1, starting at 0.88) keeps one step from blowing up.
 * - Each level doubles the steps and the channels of the one below (Glow keeps both fixed): the
 *   coarse levels carry the digit's shape and cost a quarter as much per pixel, so the doubling
 *   improves samples at little cost (docs/tuning.md has the runs).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF, Variable } from '../family.js';
import type { Rng } from '../rng.js';
import { Conv2d } from './conv.js';
import { namedVariablesOf, type ParamModule, variableFrom } from './params.js';
import { badInputError, internalError, usageError } from '@gen-eval/metrics/errors';

const LOG_2PI = Math.log(2 * Math.PI);

/** Options of a Glow flow on H×W×C images. */
export interface GlowOptions {
  height: number;
  width: number;
  channels: number;
  /** Levels L (each starts with a 2×2 squeeze, so both sides must divide by 2^L). */
  levels: number;
  /** Steps of flow K at the first level; each further level doubles it. */
  depth: number;
  /** Channels of the first level's coupling networks; each further level doubles them. */
  hidden: number;
}

/** Per-channel affine (h + b) ⊙ exp(log s), starting at the identity. */
class ActNorm implements ParamModule {
  readonly bias: Variable;
  readonly logScale: Variable;
  constructor(tf: TF, channels: number) {
    this.bias = variableFrom(tf, new Float32Array(channels), [channels]);
    this.logScale = variableFrom(tf, new Float32Array(channels), [channels]);
  }
  namedVariables(prefix: string): [string, Variable][] {
    return [
      [`${prefix}.bias`, this.bias],
      [`${prefix}.logScale`, this.logScale],
    ];
  }
  trainable(): Variable[] {
    return [this.bias, this.logScale];
  }
  dispose(): void {
    this.bias.dispose();
    this.logScale.dispose();
  }
}

/** Invertible 1×1 convolution W = P L (U + diag(σ ⊙ exp(log d))) over C channels. */
class InvConv implements ParamModule {
  readonly lower: Variable;
  readonly upper: Variable;
  readonly logD: Variable;
  /** Fixed: the permutation P, the signs σ and the triangular masks. */
  readonly perm: Variable;
  readonly sign: Variable;
  private readonly lowerMask: tfNs.Tensor2D;
  private readonly upperMask: tfNs.Tensor2D;
  private readonly eye: tfNs.Tensor2D;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly channels: number,
  ) {
    const C = channels;
    // A random permutation (Fisher–Yates on the seeded stream).
    const order = Array.from({ length: C }, (_, i) => i);
    for (let i = C - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const p = new Float32Array(C * C);
    order.forEach((j, i) => (p[i * C + j] = 1));
    const lowerMask = new Float32Array(C * C);
    const eye = new Float32Array(C * C);
    for (let i = 0; i < C; i++) {
      eye[i * C + i] = 1;
      for (let j = 0; j < i; j++) lowerMask[i * C + j] = 1;
    }
    this.perm = variableFrom(tf, p, [C, C], false);
    this.sign = variableFrom(tf, new Float32Array(C).fill(1), [C], false);
    this.lower = variableFrom(tf, new Float32Array(C * C), [C, C]);
    this.upper = variableFrom(tf, new Float32Array(C * C), [C, C]);
    this.logD = variableFrom(tf, new Float32Array(C), [C]);
    this.lowerMask = tf.tensor2d(lowerMask, [C, C]);
    this.upperMask = tf.transpose(this.lowerMask);
    this.eye = tf.tensor2d(eye, [C, C]);
  }

  /** W as a C×C tensor (rows: input channel, columns: output channel). */
  weight(): tfNs.Tensor2D {
    const tf = this.tf;
    const L = tf.add(tf.mul(this.lower, this.lowerMask), this.eye) as tfNs.Tensor2D;
    const U = tf.add(tf.mul(this.upper, this.upperMask), tf.mul(this.eye, tf.mul(this.sign, tf.exp(this.logD)))) as tfNs.Tensor2D;
    return tf.matMul(this.perm, tf.matMul(L, U));
  }

  /** h · M per pixel, for a C×C matrix M. */
  apply(h: tfNs.Tensor4D, m: tfNs.Tensor2D): tfNs.Tensor4D {
    const [n, hh, ww, C] = h.shape;
    return this.tf.reshape(this.tf.matMul(this.tf.reshape(h, [n * hh * ww, C]), m), [n, hh, ww, C]);
  }

  /** W⁻¹, inverted in float64 (Gauss–Jordan with partial pivoting); sampling only. */
  inverseWeight(): tfNs.Tensor2D {
    const C = this.channels;
    const w = this.tf.tidy(() => this.weight().dataSync());
    return this.tf.tensor2d(Float32Array.from(invert(Float64Array.from(w), C)), [C, C]);
  }

  namedVariables(prefix: string): [string, Variable][] {
    return [
      [`${prefix}.lower`, this.lower],
      [`${prefix}.upper`, this.upper],
      [`${prefix}.logD`, this.logD],
      [`${prefix}.perm`, this.perm],
      [`${prefix}.sign`, this.sign],
    ];
  }
  trainable(): Variable[] {
    return [this.lower, this.upper, this.logD];
  }
  dispose(): void {
    for (const t of [this.lower, this.upper, this.logD, this.perm, this.sign, this.lowerMask, this.upperMask, this.eye]) t.dispose();
  }
}

/** Affine coupling: the second half of the channels moved by (t, sigmoid(r + 2)) of the first. */
class AffineCoupling implements ParamModule {
  readonly c1: Conv2d;
  readonly c2: Conv2d;
  readonly c3: Conv2d;
  readonly half: number;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly channels: number,
    hidden: number,
  ) {
    this.half = Math.floor(channels / 2);
    const moved = channels - this.half;
    this.c1 = new Conv2d(tf, rng, this.half, hidden, { kernel: 3, pad: 1 });
    this.c2 = new Conv2d(tf, rng, hidden, hidden, { kernel: 1 });
    this.c3 = new Conv2d(tf, rng, hidden, 2 * moved, { kernel: 3, pad: 1, init: 'zero' });
  }

  /** (h_a, h_b), t and log c of the coupling. */
  private parts(h: tfNs.Tensor4D): { a: tfNs.Tensor4D; b: tfNs.Tensor4D; t: tfNs.Tensor4D; logC: tfNs.Tensor4D } {
    const tf = this.tf;
    const [a, b] = splitChannels(tf, h, this.half);
    const [t, r] = splitChannels(tf, this.c3.apply(tf.relu(this.c2.apply(tf.relu(this.c1.apply(a))))), b.shape[3]);
    // log sigmoid(r + 2) = −softplus(−(r + 2)) (tf.logSigmoid's custom gradient fails on wasm).
    const logC = tf.neg(tf.softplus(tf.neg(tf.add(r, 2)))) as tfNs.Tensor4D;
    return { a, b, t, logC };
  }

  forward(h: tfNs.Tensor4D): { y: tfNs.Tensor4D; logDet: tfNs.Tensor1D } {
    const tf = this.tf;
    const { a, b, t, logC } = this.parts(h);
    const yb = tf.mul(tf.add(b, t), tf.exp(logC));
    return { y: tf.concat([a, yb as tfNs.Tensor4D], 3), logDet: tf.sum(logC, [1, 2, 3]) };
  }

  inverse(y: tfNs.Tensor4D): tfNs.Tensor4D {
    const tf = this.tf;
    const { a, b, t, logC } = this.parts(y); // y_a = h_a
    return tf.concat([a, tf.sub(tf.mul(b, tf.exp(tf.neg(logC))), t)], 3);
  }

  namedVariables(prefix: string): [string, Variable][] {
    return namedVariablesOf(prefix, [
      ['c1', this.c1],
      ['c2', this.c2],
      ['c3', this.c3],
    ]);
  }
  trainable(): Variable[] {
    return [...this.c1.trainable(), ...this.c2.trainable(), ...this.c3.trainable()];
  }
  dispose(): void {
    for (const m of [this.c1, this.c2, this.c3]) m.dispose();
  }
}

/** One step of flow: actnorm → invertible 1×1 conv → affine coupling. */
class FlowStep implements ParamModule {
  readonly actnorm: ActNorm;
  readonly invconv: InvConv;
  readonly coupling: AffineCoupling;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    channels: number,
    hidden: number,
  ) {
    this.actnorm = new ActNorm(tf, channels);
    this.invconv = new InvConv(tf, rng, channels);
    this.coupling = new AffineCoupling(tf, rng, channels, hidden);
  }

  forward(h: tfNs.Tensor4D): { y: tfNs.Tensor4D; logDet: tfNs.Tensor1D } {
    const tf = this.tf;
    const pixels = h.shape[1] * h.shape[2];
    const a = tf.mul(tf.add(h, this.actnorm.bias), tf.exp(this.actnorm.logScale)) as tfNs.Tensor4D;
    const w = this.invconv.apply(a, this.invconv.weight());
    const c = this.coupling.forward(w);
    const constant = tf.mul(pixels, tf.add(tf.sum(this.actnorm.logScale), tf.sum(this.invconv.logD)));
    return { y: c.y, logDet: tf.add(c.logDet, constant) as tfNs.Tensor1D };
  }

  inverse(y: tfNs.Tensor4D): tfNs.Tensor4D {
    const tf = this.tf;
    const w = this.coupling.inverse(y);
    const a = this.invconv.apply(w, this.invconv.inverseWeight());
    return tf.sub(tf.mul(a, tf.exp(tf.neg(this.actnorm.logScale))), this.actnorm.bias) as tfNs.Tensor4D;
  }

  namedVariables(prefix: string): [string, Variable][] {
    return namedVariablesOf(prefix, [
      ['actnorm', this.actnorm],
      ['invconv', this.invconv],
      ['coupling', this.coupling],
    ]);
  }
  trainable(): Variable[] {
    return [...this.actnorm.trainable(), ...this.invconv.trainable(), ...this.coupling.trainable()];
  }
  dispose(): void {
    for (const m of [this.actnorm, this.invconv, this.coupling]) m.dispose();
  }
}

/** One level: K steps at h×w×c, then (below the top) a split with a learned conditional prior. */
interface Level {
  readonly steps: FlowStep[];
  /** The split prior's conv (kept half → μ, ρ of the factored half); null at the top. */
  readonly prior: Conv2d | null;
  readonly shape: readonly [number, number, number];
  /** Channels kept for the next level (the rest are factored out); all of them at the top. */
  readonly kept: number;
}

/** A multi-scale Glow on NHWC-flattened rows, with exact log-likelihood. */
export class Glow implements ParamModule {
  readonly dims: number;
  readonly levels: readonly Level[];
  /** The top prior's μ and ρ per value of the last level. */
  readonly topMean: Variable;
  readonly topLogScale: Variable;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: GlowOptions,
  ) {
    const { height: H, width: W, channels: C, levels: L } = opts;
    if (!Number.isInteger(L) || L < 1) throw usageError(`levels must be an integer ≥ 1, got ${L}`);
    if (!Number.isInteger(opts.depth) || opts.depth < 1) throw usageError(`depth must be an integer ≥ 1, got ${opts.depth}`);
    const f = 2 ** L;
    if (H % f !== 0 || W % f !== 0) throw badInputError(`a ${L}-level flow squeezes 2×2 blocks ${L} times: it needs sides divisible by ${f}, got ${H}×${W}`);
    this.dims = H * W * C;
    const levels: Level[] = [];
    let [h, w, c] = [H, W, C];
    for (let l = 0; l < L; l++) {
      [h, w, c] = [h / 2, w / 2, 4 * c];
      const steps = Array.from({ length: opts.depth * 2 ** l }, () => new FlowStep(tf, rng, c, opts.hidden * 2 ** l));
      const top = l === L - 1;
      const kept = top ? c : Math.floor(c / 2);
      const prior = top ? null : new Conv2d(tf, rng, kept, 2 * (c - kept), { kernel: 3, pad: 1, init: 'zero' });
      levels.push({ steps, prior, shape: [h, w, c], kept });
      c = kept;
    }
    this.levels = levels;
    this.topMean = variableFrom(tf, new Float32Array(h * w * c), [h, w, c]);
    this.topLogScale = variableFrom(tf, new Float32Array(h * w * c), [h, w, c]);
  }

  private squeeze(x: tfNs.Tensor4D): tfNs.Tensor4D {
    const [n, h, w, c] = x.shape;
    const t = this.tf.transpose(this.tf.reshape(x, [n, h / 2, 2, w / 2, 2, c]), [0, 1, 3, 2, 4, 5]);
    return this.tf.reshape(t, [n, h / 2, w / 2, 4 * c]);
  }

  private unsqueeze(x: tfNs.Tensor4D): tfNs.Tensor4D {
    const [n, h, w, c4] = x.shape;
    const c = c4 / 4;
    const t = this.tf.transpose(this.tf.reshape(x, [n, h, w, 2, 2, c]), [0, 1, 3, 2, 4, 5]);
    return this.tf.reshape(t, [n, 2 * h, 2 * w, c]);
  }

  /** μ and ρ of a split prior from the kept half. */
  private splitPrior(conv: Conv2d, kept: tfNs.Tensor4D): { mean: tfNs.Tensor4D; logScale: tfNs.Tensor4D } {
    const out = conv.apply(kept);
    const [mean, logScale] = splitChannels(this.tf, out, out.shape[3] / 2);
    return { mean, logScale };
  }

  /** ε = f(y) (standard normal under the model, [N, dims]) and log |det ∂ε/∂y| per row. */
  forward(y: tfNs.Tensor2D): { z: tfNs.Tensor2D; logDet: tfNs.Tensor1D } {
    const tf = this.tf;
    const { height: H, width: W, channels: C } = this.opts;
    const n = y.shape[0];
    let h = tf.reshape(y, [n, H, W, C]) as tfNs.Tensor4D;
    let logDet = tf.zeros([n]) as tfNs.Tensor1D;
    const eps: tfNs.Tensor2D[] = [];
    const standardise = (z: tfNs.Tensor4D, mean: tfNs.Tensor, logScale: tfNs.Tensor): void => {
      eps.push(tf.reshape(tf.mul(tf.sub(z, mean), tf.exp(tf.neg(logScale))), [n, -1]));
      logDet = tf.sub(logDet, logScale.rank === 4 ? tf.sum(logScale, [1, 2, 3]) : tf.sum(logScale)) as tfNs.Tensor1D;
    };
    for (const level of this.levels) {
      h = this.squeeze(h);
      for (const step of level.steps) {
        const r = step.forward(h);
        h = r.y;
        logDet = tf.add(logDet, r.logDet) as tfNs.Tensor1D;
      }
      if (level.prior) {
        const [zKept, zOut] = splitChannels(tf, h, level.kept);
        const { mean, logScale } = this.splitPrior(level.prior, zKept);
        standardise(zOut, mean, logScale);
        h = zKept;
      }
    }
    standardise(h, this.topMean, this.topLogScale);
    // The top latent first, then the factored-out ones from the last split back to the first.
    const z = tf.concat([eps[eps.length - 1]!, ...eps.slice(0, -1).reverse()], 1) as tfNs.Tensor2D;
    return { z, logDet };
  }

  /** y = f⁻¹(ε) for ε laid out as `forward` returns it. */
  inverse(z: tfNs.Tensor2D): tfNs.Tensor2D {
    const tf = this.tf;
    const n = z.shape[0];
    let offset = 0;
    const take = (shape: readonly [number, number, number]): tfNs.Tensor4D => {
      const size = shape[0] * shape[1] * shape[2];
      const part = tf.reshape(tf.slice(z, [0, offset], [n, size]), [n, ...shape]) as tfNs.Tensor4D;
      offset += size;
      return part;
    };
    let h = tf.add(tf.mul(take(this.topMean.shape as [number, number, number]), tf.exp(this.topLogScale)), this.topMean) as tfNs.Tensor4D;
    for (let l = this.levels.length - 1; l >= 0; l--) {
      const level = this.levels[l]!;
      if (level.prior) {
        const [hh, ww, c] = level.shape;
        const { mean, logScale } = this.splitPrior(level.prior, h);
        const zOut = tf.add(tf.mul(take([hh, ww, c - level.kept]), tf.exp(logScale)), mean) as tfNs.Tensor4D;
        h = tf.concat([h, zOut], 3);
      }
      for (let k = level.steps.length - 1; k >= 0; k--) h = level.steps[k]!.inverse(h);
      h = this.unsqueeze(h);
    }
    if (offset !== this.dims) throw internalError(`glow: the latent has ${this.dims} values, the levels took ${offset}`);
    return tf.reshape(h, [n, this.dims]);
  }

  /** log p(y) per row in nats: log N(f(y); 0, I) + log |det ∂f/∂y|. */
  logProb(y: tfNs.Tensor2D): tfNs.Tensor1D {
    const tf = this.tf;
    const { z, logDet } = this.forward(y);
    return tf.add(tf.mul(-0.5, tf.add(tf.sum(tf.square(z), 1), this.dims * LOG_2PI)), logDet) as tfNs.Tensor1D;
  }

  namedVariables(prefix: string): [string, Variable][] {
    return [
      ...this.levels.flatMap((level, l) => [
        ...level.steps.flatMap((s, k) => s.namedVariables(`${prefix}.l${l}.s${k}`)),
        ...(level.prior ? level.prior.namedVariables(`${prefix}.l${l}.prior`) : []),
      ]),
      [`${prefix}.top.mean`, this.topMean],
      [`${prefix}.top.logScale`, this.topLogScale],
    ];
  }

  trainable(): Variable[] {
    return [...this.levels.flatMap((level) => [...level.steps.flatMap((s) => s.trainable()), ...(level.prior ? level.prior.trainable() : [])]), this.topMean, this.topLogScale];
  }

  dispose(): void {
    for (const level of this.levels) {
      for (const s of level.steps) s.dispose();
      level.prior?.dispose();
    }
    this.topMean.dispose();
    this.topLogScale.dispose();
  }
}

/** [x[…, :k], x[…, k:]]: an NHWC tensor split after its first k channels. */
function splitChannels(tf: TF, x: tfNs.Tensor4D, k: number): [tfNs.Tensor4D, tfNs.Tensor4D] {
  const [a, b] = tf.split(x, [k, x.shape[3] - k], 3);
  return [a as tfNs.Tensor4D, b as tfNs.Tensor4D];
}

/** M⁻¹ of a C×C row-major matrix (Gauss–Jordan with partial pivoting, float64). */
export function invert(m: Float64Array, C: number): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(C * C);
  for (let i = 0; i < C; i++) inv[i * C + i] = 1;
  for (let col = 0; col < C; col++) {
    let p = col;
    for (let r = col + 1; r < C; r++) if (Math.abs(a[r * C + col]!) > Math.abs(a[p * C + col]!)) p = r;
    const pivot = a[p * C + col]!;
    if (pivot === 0 || !Number.isFinite(pivot)) throw internalError('glow: a 1×1 convolution became singular');
    for (let k = 0; k < C; k++) {
      [a[col * C + k], a[p * C + k]] = [a[p * C + k]!, a[col * C + k]!];
      [inv[col * C + k], inv[p * C + k]] = [inv[p * C + k]!, inv[col * C + k]!];
    }
    for (let k = 0; k < C; k++) {
      a[col * C + k]! /= pivot;
      inv[col * C + k]! /= pivot;
    }
    for (let r = 0; r < C; r++) {
      if (r === col) continue;
      const f = a[r * C + col]!;
      if (f === 0) continue;
      for (let k = 0; k < C; k++) {
        a[r * C + k]! -= f * a[col * C + k]!;
        inv[r * C + k]! -= f * inv[col * C + k]!;
      }
    }
  }
  return inv;
}
