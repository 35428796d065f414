/**
 * Small tensor helpers of the family modules: the step's noise, a batch as a tensor, one-hot
 * labels, the binary cross-entropy of logits, and reading a scalar back.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { internalError } from '@gen-eval/metrics/errors';
import type { Batch, TF } from '../family.js';
import type { Rng } from '../rng.js';

/** n × dim standard normal noise from the step's Rng. */
export function gaussianNoise(tf: TF, rng: Rng, n: number, dim: number): tfNs.Tensor2D {
  return tf.tensor2d(rng.normals(n * dim), [n, dim]);
}

/** A batch's points as an n × dims tensor. */
export function batchTensor(tf: TF, b: Batch, which: 'x' | 'y' = 'x'): tfNs.Tensor2D {
  const data = which === 'x' ? b.x : b.y;
  if (!data) throw internalError(`batch has no ${which} domain`);
  return tf.tensor2d(data, [b.n, b.dims]);
}

/** A captioned batch's conditioning embeddings (n × dims); the loop only feeds text families captioned data. */
export function batchText(b: Batch, dims: number): Float32Array {
  if (!b.text || b.text.length !== b.n * dims) throw internalError(`batch has no n × ${dims} caption embeddings`);
  return b.text;
}

/** One-hot rows of the labels, n × classes. */
export function oneHot(tf: TF, labels: Int32Array, classes: number): tfNs.Tensor2D {
  return tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tfNs.Tensor2D;
}

/** Reads a scalar tensor (an evaluation's value) back as a number and releases it. */
export function scalarValue(t: tfNs.Scalar): number {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

/** Mean binary cross-entropy of logits against label 1 or 0: softplus(∓l). */
export function bce(tf: TF, logits: tfNs.Tensor, label: 0 | 1): tfNs.Scalar {
  return tf.mean(tf.softplus(label === 1 ? tf.neg(logits) : logits)) as tfNs.Scalar;
}
