/**
 * Classification Accuracy Score (Ravuri & Vinyals 2019, "Classification Accuracy Score for
 * Conditional Generative Models"): train a classifier on generated images only, each labelled with
 * the class it was generated for, and report its top-1 accuracy on real held-out images. Unlike FID
 * it sees whether each class's samples carry what tells that class apart from the others; the
 * baseline is the same classifier, same budget and seed, trained on as many real training images.
 *
 * The classifier is the digit CNN of the embedded classifiers (nn/digit-cnn.ts), trained with
 * Adam on mini-batches for a fixed number of epochs over the training images (CAS_DEFAULTS),
 * shuffled each epoch from the seed's `cas-order` stream: the score depends on the images, their
 * labels, the budget and the seed, nothing else.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { classAccuracy } from '@gen-eval/metrics/conditional';
import { usageError } from '@gen-eval/metrics/errors';
import type { TF } from '../family.js';
import { DIGIT_CNN_SIDE, DigitCnn } from '../nn/digit-cnn.js';
import { Adam } from '../nn/optimizers.js';
import { Rng } from '../rng.js';
import { CAS_DEFAULTS } from './defaults.js';

/** Images with a class each: n × 28 × 28 × 1 (NHWC) in [−1, 1]. */
export interface LabelledImages {
  readonly x: Float32Array;
  readonly labels: Int32Array;
}

/** How long the classifier trains. */
export interface CasBudget {
  /** Passes over the training images. */
  readonly epochs: number;
  /** Images per Adam step (the last step of an epoch takes the remainder). */
  readonly batchSize: number;
  readonly lr: number;
}

/** The default budget (train/defaults.ts). */
export const CAS_BUDGET: CasBudget = { epochs: CAS_DEFAULTS.epochs, batchSize: CAS_DEFAULTS.batchSize, lr: CAS_DEFAULTS.lr };

const PIXELS = DIGIT_CNN_SIDE * DIGIT_CNN_SIDE;

/** n of a labelled set, after checking its shape and labels against `classes`. */
function countOf(set: LabelledImages, classes: number, what: string): number {
  const n = set.labels.length;
  if (n < 1 || set.x.length !== n * PIXELS)
    throw usageError(`${what}: need n ≥ 1 images of 28×28×1 (${PIXELS} values each) and one label each, got ${set.x.length} values and ${n} labels`);
  for (const l of set.labels) if (!(l >= 0 && l < classes)) throw usageError(`${what}: label ${l} is not a class 0…${classes - 1}`);
  return n;
}

/** The rows of `set` at `idx` as a batch tensor and its one-hot labels. */
function batchOf(tf: TF, set: LabelledImages, idx: ArrayLike<number>, classes: number): { x: tfNs.Tensor4D; y: tfNs.Tensor2D } {
  const m = idx.length;
  const x = new Float32Array(m * PIXELS);
  const y = new Float32Array(m * classes);
  for (let i = 0; i < m; i++) {
    const r = idx[i]!;
    x.set(set.x.subarray(r * PIXELS, (r + 1) * PIXELS), i * PIXELS);
    y[i * classes + set.labels[r]!] = 1;
  }
  return { x: tf.tensor4d(x, [m, DIGIT_CNN_SIDE, DIGIT_CNN_SIDE, 1]), y: tf.tensor2d(y, [m, classes]) };
}

/** Trains a fresh DigitCnn (weights from the seed's `cas-init` stream) on `train`; the caller disposes it. */
export function trainDigitCnn(tf: TF, train: LabelledImages, classes: number, seed: number, budget: CasBudget = CAS_BUDGET): DigitCnn {
  const n = countOf(train, classes, 'training images');
  const net = new DigitCnn(tf, Rng.stream(seed, 'cas-init'), classes);
  const opt = new Adam(tf, budget.lr);
  const order = Rng.stream(seed, 'cas-order');
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  try {
    for (let epoch = 0; epoch < budget.epochs; epoch++) {
      // Fisher–Yates from the seed's stream.
      for (let i = n - 1; i > 0; i--) {
        const j = order.int(i + 1);
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      for (let start = 0; start < n; start += budget.batchSize) {
        tf.tidy(() => {
          const { x, y } = batchOf(tf, train, perm.subarray(start, Math.min(n, start + budget.batchSize)), classes);
          // Softmax cross-entropy, mean over the batch: logsumexp(l) − l_y.
          opt.minimize(() => {
            const logits = net.logits(x);
            return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, y), 1)));
          }, net.trainable());
        });
      }
    }
  } catch (err) {
    net.dispose();
    throw err;
  } finally {
    opt.dispose();
  }
  return net;
}

/** Images classified per forward pass (bounds the activations' memory). */
const EVAL_CHUNK = 500;

/** Top-1 accuracy of `net` on `test`: the fraction of images whose largest logit is their label. */
export function topOneAccuracy(tf: TF, net: DigitCnn, test: LabelledImages): number {
  const n = countOf(test, net.classes, 'test images');
  const logits = new Float32Array(n * net.classes);
  for (let start = 0; start < n; start += EVAL_CHUNK) {
    const idx = Int32Array.from({ length: Math.min(EVAL_CHUNK, n - start) }, (_, i) => start + i);
    const t = tf.tidy(() => net.logits(batchOf(tf, test, idx, net.classes).x));
    logits.set(t.dataSync(), start * net.classes);
    t.dispose();
  }
  return classAccuracy({ rows: n, cols: net.classes, data: logits }, test.labels, ["the CAS classifier's logits", 'test labels']).classAccuracy;
}

/**
 * The classification accuracy score of `train`: top-1 on `test` of a DigitCnn trained on it (the
 * network is released). CAS proper when `train` is generated; its real-data baseline when real.
 */
export function classificationAccuracy(tf: TF, train: LabelledImages, test: LabelledImages, classes: number, seed: number, budget: CasBudget = CAS_BUDGET): number {
  const net = trainDigitCnn(tf, train, classes, seed, budget);
  try {
    return topOneAccuracy(tf, net, test);
  } finally {
    net.dispose();
  }
}
