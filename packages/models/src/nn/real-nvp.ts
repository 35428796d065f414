/**
 * RealNVP (Dinh, Sohl-Dickstein & Bengio 2017, "Density estimation using Real NVP") on
 * `dims`-dimensional rows: an invertible map f from data x to a latent z ~ N(0, I), built from
 * affine coupling layers whose Jacobians are triangular, so the likelihood is exact (eq. 3):
 *
 *   log p(x) = log N(f(x); 0, I) + Σ_layers log |det ∂f_k/∂x_{k−1}|
 *
 * One affine coupling (eq. 6–9) splits the coordinates into a conditioning part x_a and a
 * transformed part x_b:
 *   y_a = x_a
 *   y_b = x_b ⊙ exp(s(x_a)) + t(x_a)          log |det J| = Σ_j s_j(x_a)
 * and its inverse is x_b = (y_b − t(y_a)) ⊙ exp(−s(y_a)). Successive couplings alternate which
 * half is conditioned (on 2-D data: y on x, then x on y, …), so every coordinate is transformed by
 * half of the layers.
 *
 * Choices:
 * - s and t come from one MLP per coupling, x_a → hidden → hidden → (raw s, t), whose last layer
 *   starts at zero: the initial flow is the identity (the model starts as N(0, I)), and deep
 *   stacks do not start with exploding scales.
 * - The scale is tanh-bounded with a learned per-coupling gain, s = g ⊙ tanh(raw) (as the paper's
 *   implementation): the tanh keeps one bad step from producing exp(huge), the gain (starting
 *   at 2) still lets the stack contract the N(0, I) mass onto narrow modes.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF, Variable } from '../family.js';
import type { Rng } from '../rng.js';
import { Mlp, type Activation } from './mlp.js';
import { badInputError, usageError } from '@gen-eval/metrics/errors';

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
 * A RealNVP stack of affine couplings on `dims`-dimensional data, with exact log-likelihood
 * (families/flow.ts trains it on 2-D data; its tests check log |det J| and the density).
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

  /** Releases the variables. */
  dispose(): void {
    for (const v of this.trainable()) v.dispose();
  }
}
