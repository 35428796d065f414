/**
 * Fully connected networks built from dense.ts's layers, initialised as PyTorch's nn.Linear
 * (U(−1/√fan_in, 1/√fan_in) for weights and biases), which is what the reference 2-D GAN code
 * (PyTorch-GAN, PacGAN, VEEGAN ports) starts from.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF, Variable } from '../family.js';
import type { Rng } from '../rng.js';
import { Dense } from './dense.js';
import { namedVariablesOf, type ParamModule } from './params.js';
import { internalError } from '@gen-eval/metrics/errors';

export type Activation = 'relu' | 'leakyRelu' | 'softplus' | 'tanh' | 'linear';

/** Applies an activation by name. */
export function activate(tf: TF, x: tfNs.Tensor2D, a: Activation): tfNs.Tensor2D {
  switch (a) {
    case 'relu':
      return tf.relu(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, 0.2);
    case 'softplus':
      return tf.softplus(x);
    case 'tanh':
      return tf.tanh(x);
    case 'linear':
      return x;
  }
}

export interface MlpOptions {
  /** Hidden activation (default relu). */
  activation?: Activation;
  /** Activation of the last layer (default linear). */
  output?: Activation;
  /** Scale of the last layer's initial weights (e.g. 0 for a zero-initialised flow coupling). */
  lastScale?: number;
}

/** A multi-layer perceptron: sizes[0] → … → sizes[last], activation between layers. */
export class Mlp implements ParamModule {
  readonly layers: readonly Dense[];
  private readonly activation: Activation;
  private readonly output: Activation;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly sizes: readonly number[],
    opts: MlpOptions = {},
  ) {
    if (sizes.length < 2) throw internalError('an MLP needs at least an input and an output size');
    const layers: Dense[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const last = i + 2 === sizes.length;
      layers.push(new Dense(tf, rng, sizes[i]!, sizes[i + 1]!, { scale: last ? (opts.lastScale ?? 1) : 1 }));
    }
    this.layers = layers;
    this.activation = opts.activation ?? 'relu';
    this.output = opts.output ?? 'linear';
  }

  /**
   * Forward pass. `weight` may replace each layer's W by a function of it (spectral
   * normalisation divides it by its largest singular value).
   */
  apply(x: tfNs.Tensor2D, weight?: (layer: Dense, index: number) => tfNs.Tensor2D): tfNs.Tensor2D {
    const tf = this.tf;
    let h = x;
    this.layers.forEach((layer, i) => {
      const z = layer.affine(h, weight ? weight(layer, i) : (layer.W as tfNs.Tensor2D));
      h = activate(tf, z, i + 1 === this.layers.length ? this.output : this.activation);
    });
    return h;
  }

  /** The variables as [name, variable] pairs, named `${prefix}.${layer}.W|b`. */
  namedVariables(prefix: string): [string, Variable][] {
    return namedVariablesOf(
      prefix,
      this.layers.map((l, i): [string, Dense] => [`${i}`, l]),
    );
  }

  /** The trainable variables, for an optimiser's var list. */
  trainable(): Variable[] {
    return this.layers.flatMap((l) => l.trainable());
  }

  dispose(): void {
    for (const l of this.layers) l.dispose();
  }
}
