/**
 * The one dense layer: y = x·W + b, W of shape [in, out] (the transpose of PyTorch's nn.Linear
 * weight), with optional bias and spectral norm. The MLPs (mlp.ts) and the conv networks'
 * projections and heads (dcgan.ts, conv-denoiser.ts) are built from it.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF } from '../family.js';
import type { Rng } from '../rng.js';
import { WeightLayer, type WeightOptions } from './weight-layer.js';

/** A dense layer as a ParamModule: variables `${prefix}.W`, `.b`, `.sn.*`, drawn in that order. */
export class Dense extends WeightLayer {
  /** `bias` false drops b (a layer followed by batch norm, whose mean removal cancels it). */
  constructor(
    tf: TF,
    rng: Rng,
    readonly inDim: number,
    readonly outDim: number,
    opts: WeightOptions = {},
  ) {
    super(tf, rng, [inDim, outDim], outDim, inDim, opts);
  }

  /** The weight the layer uses: W, or W/σ(W) under spectral norm (power iteration when training). */
  weight(training = true): tfNs.Tensor2D {
    const W = this.W as tfNs.Tensor2D;
    return this.sn ? this.sn.normalize(W, training) : W;
  }

  /** x·W + b with a given weight (a caller normalising W itself passes its own). */
  affine(x: tfNs.Tensor2D, W: tfNs.Tensor2D): tfNs.Tensor2D {
    const tf = this.tf;
    const y = tf.matMul(x, W) as tfNs.Tensor2D;
    return this.b ? (tf.add(y, this.b) as tfNs.Tensor2D) : y;
  }

  apply(x: tfNs.Tensor2D, training = true): tfNs.Tensor2D {
    return this.affine(x, this.weight(training));
  }
}
