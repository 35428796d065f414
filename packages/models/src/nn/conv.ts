/**
 * Convolutional layers with weights in tf.Variables, initialised from our seeded Rng (the same
 * seed gives the same network on every backend), for training on tfjs-backend-wasm:
 * - Conv2d: tf.conv2d with explicit padding. Its gradient is the one installTrainingFixes
 *   registers (wasm has no Conv2DBackpropFilter kernel), so a layer refuses to be built without
 *   the fixes (installed once where the backend is chosen: train/loop.ts activateBackend).
 * - ConvTranspose2d: PyTorch's ConvTranspose2d semantics, computed as a polyphase conv
 *   (tfjs/conv-grad.ts), several times faster on wasm than tf.conv2dTranspose.
 * Images are NHWC. Filters use tfjs's layouts: Conv2d W [k, k, in, out]; ConvTranspose2d
 * W [k, k, out, in]. Batch norm lives in batch-norm.ts.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF } from '../family.js';
import type { Rng } from '../rng.js';
import { transposedConv2d } from '../tfjs/conv-grad.js';
import { requireTrainingFixes } from '../tfjs/training-fixes.js';
import { WeightLayer, type WeightOptions } from './weight-layer.js';

export interface Conv2dOptions extends WeightOptions {
  /** Square kernel size. */
  kernel: number;
  /** Stride (default 1). */
  stride?: number;
  /** Zero padding on every side (default 0; k = 3, pad = 1 keeps the size at stride 1). */
  pad?: number;
}

/** What both convolutions share: channels, square kernel, stride, padding, the conv gradients. */
abstract class ConvLayer extends WeightLayer {
  readonly kernel: number;
  readonly stride: number;
  readonly pad: number;

  protected constructor(
    tf: TF,
    rng: Rng,
    readonly inChannels: number,
    readonly outChannels: number,
    opts: Conv2dOptions,
    filter: { shape: number[]; fanIn: number },
  ) {
    requireTrainingFixes(tf, 'a conv layer'); // its gradients are the fixes' (conv-grad.ts)
    super(tf, rng, filter.shape, outChannels, filter.fanIn, opts);
    this.kernel = opts.kernel;
    this.stride = opts.stride ?? 1;
    this.pad = opts.pad ?? 0;
  }
}

/** A 2-D convolution layer, y = conv2d(x, W) + b, NHWC. */
export class Conv2d extends ConvLayer {
  constructor(tf: TF, rng: Rng, inChannels: number, outChannels: number, opts: Conv2dOptions) {
    const k = opts.kernel;
    super(tf, rng, inChannels, outChannels, opts, { shape: [k, k, inChannels, outChannels], fanIn: k * k * inChannels });
  }

  /** The weight the layer uses: W, or W/σ(W) under spectral norm (power iteration when training). */
  weight(training = true): tfNs.Tensor4D {
    if (!this.sn) return this.W as tfNs.Tensor4D;
    const tf = this.tf;
    const m = tf.reshape(this.W, [this.sn.inDim, this.sn.outDim]) as tfNs.Tensor2D;
    return tf.reshape(this.sn.normalize(m, training), this.W.shape as [number, number, number, number]);
  }

  /** Output size along one axis for input size `n`. */
  outSize(n: number): number {
    return Math.floor((n + 2 * this.pad - this.kernel) / this.stride) + 1;
  }

  apply(x: tfNs.Tensor4D, training = true): tfNs.Tensor4D {
    const tf = this.tf;
    const p = this.pad;
    const y = tf.conv2d(x, this.weight(training), this.stride, [
      [0, 0],
      [p, p],
      [p, p],
      [0, 0],
    ]);
    return this.b ? (tf.add(y, this.b) as tfNs.Tensor4D) : y;
  }
}

export type ConvTranspose2dOptions = Omit<Conv2dOptions, 'spectralNorm'>;

/**
 * A transposed convolution with PyTorch's ConvTranspose2d(in, out, k, stride, pad) semantics:
 * output size (n − 1)·stride + k − 2·pad (k = 4, stride 2, pad 1 doubles the size). Computed by
 * one stride-1 conv2d plus depth-to-space (tfjs/conv-grad.ts transposedConv2d).
 * W is [k, k, out, in] — tf.conv2dTranspose's filter layout.
 */
export class ConvTranspose2d extends ConvLayer {
  constructor(tf: TF, rng: Rng, inChannels: number, outChannels: number, opts: ConvTranspose2dOptions) {
    const k = opts.kernel;
    // PyTorch's fan_in for ConvTranspose2d is weight.size(1)·k² = out·k² (its weight is [in, out, k, k]).
    super(tf, rng, inChannels, outChannels, opts, { shape: [k, k, outChannels, inChannels], fanIn: k * k * outChannels });
  }

  /** Output size along one axis for input size `n`. */
  outSize(n: number): number {
    return (n - 1) * this.stride + this.kernel - 2 * this.pad;
  }

  apply(x: tfNs.Tensor4D): tfNs.Tensor4D {
    const tf = this.tf;
    const [, h, w] = x.shape;
    const p = this.pad;
    const s = this.stride;
    const y = transposedConv2d(tf, x, this.W as tfNs.Tensor4D, [this.outSize(h), this.outSize(w)], [s, s], { top: p, bottom: p, left: p, right: p });
    return this.b ? (tf.add(y, this.b) as tfNs.Tensor4D) : y;
  }
}

/**
 * LeakyReLU, max(x, αx) for 0 < α < 1 (default 0.2, DCGAN's). tf.leakyRelu's gradient compares
 * x with 0; its second-order gradient (the WGAN-GP penalty) needs the zero gradients of the
 * comparison ops that installTrainingFixes registers — checked against float64 finite differences
 * in tfjs/training-fixes.test.ts and through a conv critic in dcgan.test.ts.
 */
export function leakyRelu<R extends tfNs.Rank>(tf: TF, x: tfNs.Tensor<R>, alpha = 0.2): tfNs.Tensor<R> {
  return tf.leakyRelu(x, alpha);
}
