/**
 * The WGAN-GP gradient penalty (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs",
 * Algorithm 1):  λ · E[(‖∇ₓ̂ D(x̂)‖₂ − 1)²]  at x̂ = ε·x_real + (1 − ε)·x_fake, ε ~ U[0, 1] per
 * sample. The inner gradient is taken with `tf.grad` inside the caller's loss, so the penalty is
 * differentiable with respect to the critic's variables (a second-order gradient).
 *
 * Which critic activations give a correct second-order gradient in tfjs 4.22 (checked against
 * float64 finite differences, see tfjs/training-fixes.test.ts):
 * - relu, softplus: right as tfjs ships them; leakyRelu (and selu, elu) right with
 *   `installTrainingFixes` — without it they throw for want of a gradient of the comparison in
 *   their mask;
 * - tanh, sigmoid (and exp, swish-like compositions): SILENTLY WRONG unless
 *   `installTrainingFixes` was called, because tfjs's gradients of these reuse their own output.
 * `installTrainingFixes(tf)`, called once where the backend is chosen (train/loop.ts
 * activateBackend), makes all of the above right; the penalty throws if it was not called.
 * Build the critic from plain ops (`tf.add(tf.matMul(x, W), b)`, as Mlp.apply does): layers with a
 * `tf.customGrad` gradient (`tf.fused.matMul` with a linear activation is one) are not checked
 * here and are unsafe: tfjs clones their saved tensors while the tape is paused, so the penalty's
 * gradient can silently miss the terms that pass through them.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF } from '../family.js';
import { requireTrainingFixes } from '../tfjs/training-fixes.js';
import { internalError } from '@gen-eval/metrics/errors';

/** Added under the square root of ‖g‖² so that a zero gradient gives a finite derivative. */
const NORM_FLOOR = 1e-12;

/**
 * λ·mean((‖∇ₓ̂ D(x̂)‖₂ − 1)²) with x̂ = eps·real + (1 − eps)·fake. Call it inside the critic's
 * loss function (e.g. in `optimizer.minimize`), with `fake` already detached from the generator.
 * @param tf the tfjs namespace.
 * @param critic D: a batch [n, d] → scores [n, 1] (or [n, k]: the scores are summed per sample).
 * @param real data batch [n, d].
 * @param fake generated batch [n, d].
 * @param eps interpolation coefficients, [n, 1] (drawn by the caller, e.g. from our Rng).
 * @param lambda the penalty weight λ (10 in the paper).
 */
export function gradientPenalty(
  tf: TF,
  critic: (x: tfNs.Tensor2D) => tfNs.Tensor2D,
  real: tfNs.Tensor2D,
  fake: tfNs.Tensor2D,
  eps: tfNs.Tensor2D | Float32Array,
  lambda = 10,
): tfNs.Scalar {
  requireTrainingFixes(tf, 'the gradient penalty (a second-order gradient)');
  const n = real.shape[0];
  if (fake.shape[0] !== n || fake.shape[1] !== real.shape[1]) throw internalError('real and fake batches must have the same shape');
  const epsShape = eps instanceof Float32Array ? [eps.length, 1] : eps.shape;
  if (epsShape[0] !== n || epsShape[1] !== 1) throw internalError(`eps must have shape [${n}, 1]`);
  const e = eps instanceof Float32Array ? tf.tensor2d(eps, [n, 1]) : eps;
  const xHat = tf.add(tf.mul(e, real), tf.mul(tf.sub(1, e), fake)) as tfNs.Tensor2D;
  // Σ over the batch of D gives each row's own input gradient (rows do not interact in D).
  const g = tf.grad((x: tfNs.Tensor) => tf.sum(critic(x as tfNs.Tensor2D)))(xHat);
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(g), 1), NORM_FLOOR));
  return tf.mul(lambda, tf.mean(tf.square(tf.sub(norm, 1)))) as tfNs.Scalar;
}
