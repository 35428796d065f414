/**
 * Batch normalisation (Ioffe & Szegedy 2015) over the channel axis (the last one: [N, C] or
 * NHWC), with PyTorch's BatchNorm conventions: ε = 1e-5, momentum 0.1, running variance from the
 * unbiased batch variance, γ = 1 and β = 0 at start.
 *
 * Written from sums rather than with tf.batchNorm / tf.moments: tf.batchNorm without scale and
 * offset breaks its gradient, its gradient uses Tile (slow on wasm), and reductions over the
 * leading axes of a [M, C] view are the column sums the wasm kernel override makes fast.
 *
 * The running mean and variance are persistent, non-trainable state: they are in
 * `namedVariables`, so a checkpoint saves them and a resumed run continues bit for bit (like the
 * u and v of spectral-norm.ts). Training-mode calls update them, as PyTorch's forward does.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF, Variable } from '../family.js';
import type { Rng } from '../rng.js';
import { type ParamModule, variableFrom } from './params.js';
import { internalError, usageError } from '@gen-eval/metrics/errors';

export interface BatchNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of the new batch statistic in the running averages (default 0.1). */
  momentum?: number;
  /** 'pytorch' (γ = 1) or 'dcgan' (γ ~ N(1, 0.02²), the DCGAN reference code's init); β = 0. */
  init?: 'pytorch' | 'dcgan';
}

export class BatchNorm implements ParamModule {
  readonly gamma: Variable;
  readonly beta: Variable;
  readonly runningMean: Variable;
  readonly runningVar: Variable;
  private readonly eps: number;
  private readonly momentum: number;

  /** @param rng draws γ under the 'dcgan' init (nothing is drawn otherwise). */
  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly channels: number,
    opts: BatchNormOptions = {},
  ) {
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    const g = opts.init === 'dcgan' ? rng.normals(channels).map((v) => 1 + 0.02 * v) : new Float32Array(channels).fill(1);
    this.gamma = variableFrom(tf, g, [channels]);
    this.beta = variableFrom(tf, new Float32Array(channels), [channels]);
    this.runningMean = variableFrom(tf, new Float32Array(channels), [channels], false);
    this.runningVar = variableFrom(tf, new Float32Array(channels).fill(1), [channels], false);
  }

  /**
   * Normalises x ([N, C] or [N, H, W, C]). `training`: with the batch's statistics (biased
   * variance, as PyTorch normalises) and an update of the running averages; otherwise with the
   * running averages (evaluation, sampling).
   */
  apply<T extends tfNs.Tensor2D | tfNs.Tensor4D>(x: T, training = true): T {
    const tf = this.tf;
    const C = this.channels;
    if (x.shape[x.rank - 1] !== C) throw internalError(`batch norm over ${C} channels got shape [${x.shape.join(', ')}]`);
    const m = x.size / C;
    const x2 = tf.reshape(x, [m, C]) as tfNs.Tensor2D;
    let y: tfNs.Tensor2D;
    if (training) {
      if (m < 2) throw usageError('batch norm in training mode needs more than one value per channel');
      const mean = tf.div(tf.sum(x2, 0), m);
      const centred = tf.sub(x2, mean);
      const variance = tf.div(tf.sum(tf.square(centred), 0), m);
      y = tf.add(tf.mul(centred, tf.mul(this.gamma, tf.rsqrt(tf.add(variance, this.eps)))), this.beta) as tfNs.Tensor2D;
      // The running averages are state, not part of the loss: assign new values (off the gradient path).
      const [rm, rv] = tf.tidy((): [tfNs.Tensor, tfNs.Tensor] => {
        const mom = this.momentum;
        return [tf.add(tf.mul(1 - mom, this.runningMean), tf.mul(mom, mean)), tf.add(tf.mul(1 - mom, this.runningVar), tf.mul(mom * (m / (m - 1)), variance))];
      });
      this.runningMean.assign(rm);
      this.runningVar.assign(rv);
      tf.dispose([rm, rv]);
    } else {
      const scale = tf.mul(this.gamma, tf.rsqrt(tf.add(this.runningVar, this.eps)));
      y = tf.add(tf.mul(tf.sub(x2, this.runningMean), scale), this.beta) as tfNs.Tensor2D;
    }
    return tf.reshape(y, x.shape) as T;
  }

  namedVariables(prefix: string): [string, Variable][] {
    return [
      [`${prefix}.gamma`, this.gamma],
      [`${prefix}.beta`, this.beta],
      [`${prefix}.running_mean`, this.runningMean],
      [`${prefix}.running_var`, this.runningVar],
    ];
  }

  trainable(): Variable[] {
    return [this.gamma, this.beta];
  }

  dispose(): void {
    for (const v of [this.gamma, this.beta, this.runningMean, this.runningVar]) v.dispose();
  }
}
