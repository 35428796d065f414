/**
 * The small digit CNN of the embedded `mnist` / `fashion-mnist` classifiers
 * (fixtures/scripts/train_digit_classifiers.py), as a trainable tfjs network:
 *
 *   NHWC 28×28×1 in [−1, 1] → [conv 3×3 pad 1 → ReLU → maxpool 2] × 3 (16, 32, 64 channels; 28 → 14 → 7 → 3)
 *   → flatten 576 → fc 128 → ReLU → fc K (the logits)
 *
 * Dropout is left out: the classification accuracy score trains it on a fixed small budget where
 * the held-out accuracy, not regularisation, is what is compared, and dropout would spend Rng draws
 * per step that make the score depend on more than the seed and the images.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF } from '../family.js';
import type { Rng } from '../rng.js';
import { Conv2d } from './conv.js';
import { Dense } from './dense.js';
import { PartsModule, type ParamModule } from './params.js';

/** Side of the images the network takes. */
export const DIGIT_CNN_SIDE = 28;

export class DigitCnn extends PartsModule {
  private readonly convs: Conv2d[];
  private readonly fc1: Dense;
  private readonly fc2: Dense;

  /** PyTorch's default initialisation of each layer, drawn from `rng` in layer order. */
  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly classes: number,
  ) {
    super();
    this.convs = [
      [1, 16],
      [16, 32],
      [32, 64],
    ].map(([i, o]) => new Conv2d(tf, rng, i!, o!, { kernel: 3, pad: 1 }));
    this.fc1 = new Dense(tf, rng, 64 * 3 * 3, 128);
    this.fc2 = new Dense(tf, rng, 128, classes);
  }

  protected parts(): readonly [string, ParamModule | null][] {
    return [...this.convs.map((c, i): [string, ParamModule] => [`conv${i + 1}`, c]), ['fc1', this.fc1], ['fc2', this.fc2]];
  }

  /** The logits [N, classes] of x: [N, 28, 28, 1] in [−1, 1]. */
  logits(x: tfNs.Tensor4D): tfNs.Tensor2D {
    const tf = this.tf;
    let h = x;
    for (const c of this.convs) h = tf.maxPool(tf.relu(c.apply(h)), 2, 2, 'valid');
    const flat = tf.reshape(h, [x.shape[0], -1]) as tfNs.Tensor2D;
    return this.fc2.apply(tf.relu(this.fc1.apply(flat)));
  }
}
