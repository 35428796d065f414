/**
 * The conv feature maps of an embedded 28×28 classifier of @gen-eval/metrics (`mnist`,
 * `fashion-mnist`; architecture in its extractors/classifiers/graph.ts) rebuilt in tfjs from the
 * shipped weights as frozen tensors: a fixed network whose activations a loss can compare, as
 * SRGAN's content loss compares VGG19 activations (Ledig et al. 2017, §2.2.1).
 *
 *   NHWC in [−1, 1] → RGB in [0, 1] → gray = 0.299 R + 0.587 G + 0.114 B (one channel: itself)
 *   → (gray − mean)/std → [conv 3×3 pad 1 → ReLU → (maxpool 2)] × 3   (16, 32, 64 channels)
 *
 * `apply(x, layer)` returns ReLU(conv_layer) before that layer's pool — φ_{i,j} of the paper's
 * notation, "the feature map obtained by the j-th convolution (after activation) before the i-th
 * maxpooling layer". The weights are constants, never variables: no optimiser sees them.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { GRAY_WEIGHTS, loadClassifierModel, type ClassifierName } from '@gen-eval/metrics/extract';
import { internalError, usageError } from '@gen-eval/metrics/errors';
import type { TF } from '../family.js';

/** The classifiers' conv layers, in order. */
export const CLASSIFIER_CONV_LAYERS = 3;

/** Zero padding 1 on each side (explicit: the training fixes' conv gradient takes explicit pads). */
const PAD_1: [[number, number], [number, number], [number, number], [number, number]] = [
  [0, 0],
  [1, 1],
  [1, 1],
  [0, 0],
];

export class ClassifierFeatures {
  private readonly convs: { W: tfNs.Tensor4D; b: tfNs.Tensor1D }[];
  private readonly mean: number;
  private readonly std: number;

  /** @param channels of the images it will see: 1 (gray) or 3 (RGB). */
  constructor(
    private readonly tf: TF,
    readonly name: ClassifierName,
    readonly channels: number,
  ) {
    if (channels !== 1 && channels !== 3) throw usageError(`the ${name} classifier's features need 1- or 3-channel images, got ${channels} channels`);
    const { weights } = loadClassifierModel(name);
    const get = (k: string) =>
      weights.get(k) ??
      (() => {
        throw internalError(`classifier ${name}: weight ${k} missing`);
      })();
    this.mean = get('norm_mean').data[0]!;
    this.std = get('norm_std').data[0]!;
    this.convs = [1, 2, 3].map((i) => {
      const w = get(`conv${i}.weight`);
      const [out, inC, kh, kw] = w.shape as [number, number, number, number];
      // torch's [out, in, kh, kw] → tfjs's [kh, kw, in, out].
      const W = tf.tidy(() => tf.transpose(tf.tensor4d(w.data, [out, inC, kh, kw]), [2, 3, 1, 0]) as tfNs.Tensor4D);
      return { W, b: tf.tensor1d(get(`conv${i}.bias`).data) };
    });
  }

  /** ReLU(conv_layer) before its pool ([N, 28, 28, 16], [N, 14, 14, 32] or [N, 7, 7, 64]) of x: [N, 28, 28, C] in [−1, 1]. */
  apply(x: tfNs.Tensor4D, layer = CLASSIFIER_CONV_LAYERS): tfNs.Tensor4D {
    if (!Number.isInteger(layer) || layer < 1 || layer > CLASSIFIER_CONV_LAYERS) throw internalError(`classifier conv layer ${layer} does not exist`);
    const tf = this.tf;
    const rgb01 = tf.mul(tf.add(x, 1), 0.5);
    const gray = this.channels === 1 ? rgb01 : tf.sum(tf.mul(rgb01, tf.tensor1d([...GRAY_WEIGHTS])), 3, true);
    let h = tf.div(tf.sub(gray, this.mean), this.std) as tfNs.Tensor4D;
    for (let i = 0; i < layer; i++) {
      if (i > 0) h = tf.maxPool(h, 2, 2, 'valid');
      const { W, b } = this.convs[i]!;
      h = tf.relu(tf.add(tf.conv2d(h, W, 1, PAD_1), b)) as tfNs.Tensor4D;
    }
    return h;
  }

  dispose(): void {
    for (const { W, b } of this.convs) this.tf.dispose([W, b]);
  }
}
