/**
 * Spectral normalisation of a dense weight (Miyato et al. 2018, "Spectral Normalization for
 * Generative Adversarial Networks"), by power iteration, as PyTorch's `torch.nn.utils.spectral_norm`
 * does it.
 *
 * Our dense weights are W [in, out] (y = x·W + b), the transpose of PyTorch's [out, in]; the
 * vectors keep PyTorch's meaning so that checkpoints and hyper-parameters carry over:
 * u ∈ R^out (PyTorch `weight_u`) and v ∈ R^in (`weight_v`). One power-iteration step is
 *   v ← normalise(W·u),  u ← normalise(Wᵀ·v),   σ = vᵀ·W·u,
 * and the layer uses W/σ. u and v live in non-trainable variables (persistent state that a
 * checkpoint must save, like PyTorch's buffers). They are treated as constants by the gradient:
 * the power iteration runs on variables whose new values are assigned, not returned, so the taped
 * σ = vᵀWu only reaches W (PyTorch detaches u and v the same way).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF, Variable } from '../family.js';
import type { Rng } from '../rng.js';
import { usageError } from '@gen-eval/metrics/errors';

export interface SpectralNormOptions {
  /** Power-iteration steps per training forward pass (PyTorch's n_power_iterations, default 1). */
  powerIterations?: number;
  /** Floor of a vector norm when normalising (PyTorch's eps, default 1e-12). */
  eps?: number;
}

/** A unit vector of n standard normals (PyTorch draws u and v as normalize(randn)). */
function unitNormal(rng: Rng, n: number): Float32Array {
  const x = rng.normals(n);
  let s = 0;
  for (const v of x) s += v * v;
  const norm = Math.max(Math.sqrt(s), 1e-12);
  return x.map((v) => v / norm);
}

/** Spectral normalisation state for one dense weight of shape [inDim, outDim]. */
export class SpectralNorm {
  private readonly uVar: Variable;
  private readonly vVar: Variable;
  private readonly iterations: number;
  private readonly eps: number;

  /**
   * @param tf the tfjs namespace.
   * @param rng draws the initial u and v (so the same seed gives the same state everywhere).
   * @param inDim rows of the weight it normalises.
   * @param outDim columns of the weight.
   */
  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly inDim: number,
    readonly outDim: number,
    opts: SpectralNormOptions = {},
  ) {
    this.iterations = opts.powerIterations ?? 1;
    this.eps = opts.eps ?? 1e-12;
    if (!Number.isInteger(this.iterations) || this.iterations < 0) throw usageError('powerIterations must be an integer ≥ 0');
    this.uVar = tf.variable(tf.tensor2d(unitNormal(rng, outDim), [outDim, 1]), false);
    this.vVar = tf.variable(tf.tensor2d(unitNormal(rng, inDim), [1, inDim]), false);
  }

  /** The persistent left vector u ∈ R^out, stored as a column [out, 1] (PyTorch `weight_u`). */
  get u(): Variable {
    return this.uVar;
  }

  /** The persistent right vector v ∈ R^in, stored as a row [1, in] (PyTorch `weight_v`). */
  get v(): Variable {
    return this.vVar;
  }

  /** The state as [name, variable] pairs `${prefix}.u`, `${prefix}.v`, for checkpoints. */
  namedVariables(prefix: string): [string, Variable][] {
    return [
      [`${prefix}.u`, this.uVar],
      [`${prefix}.v`, this.vVar],
    ];
  }

  /** x / max(‖x‖, eps). */
  private normalise(x: tfNs.Tensor2D): tfNs.Tensor2D {
    const tf = this.tf;
    return tf.div(x, tf.maximum(tf.norm(x), this.eps));
  }

  /** Runs `n` power-iteration steps from (u, v) on W and returns the new pair (no state change). */
  private iterate(W: tfNs.Tensor2D, n: number, u0: tfNs.Tensor2D, v0: tfNs.Tensor2D): [tfNs.Tensor2D, tfNs.Tensor2D] {
    const tf = this.tf;
    let u = u0;
    let v = v0;
    for (let k = 0; k < n; k++) {
      // W·u is [in, 1]; keep v as a row so that vᵀ·W needs no transpose flag (slow on wasm).
      v = tf.reshape(this.normalise(tf.matMul(W, u)), [1, this.inDim]);
      u = tf.reshape(this.normalise(tf.matMul(v, W)), [this.outDim, 1]);
    }
    return [u, v];
  }

  /**
   * W/σ with σ = vᵀ·W·u. When `training` (the default), first runs the configured number of
   * power-iteration steps and stores the new u and v; the gradient of the result flows through W
   * only. With `training` false (evaluation), the stored u and v are used unchanged.
   * @param W the weight [inDim, outDim] (usually the layer's variable).
   */
  normalize(W: tfNs.Tensor2D, training = true): tfNs.Tensor2D {
    const tf = this.tf;
    if (training && this.iterations > 0) {
      const [u, v] = tf.tidy(() => this.iterate(W, this.iterations, this.uVar as tfNs.Tensor2D, this.vVar as tfNs.Tensor2D));
      // Assigning (not returning) cuts the taped path from W through the iteration: σ below reads
      // the variables, which the tape sees as constants.
      this.uVar.assign(u);
      this.vVar.assign(v);
      tf.dispose([u, v]);
    }
    const sigma = tf.matMul(tf.matMul(this.vVar as tfNs.Tensor2D, W), this.uVar);
    return tf.div(W, tf.reshape(sigma, [])) as tfNs.Tensor2D;
  }

  /**
   * The estimate σ = vᵀ·W·u after `iterations` further power-iteration steps from the stored
   * state, which is left unchanged (for tests and monitoring; it reads the value back).
   */
  sigma(W: tfNs.Tensor2D, iterations = 0): number {
    const tf = this.tf;
    return tf.tidy(() => {
      const [u, v] = this.iterate(W, iterations, this.uVar as tfNs.Tensor2D, this.vVar as tfNs.Tensor2D);
      return tf.matMul(tf.matMul(v, W), u).dataSync()[0]!;
    });
  }

  /** Frees the state variables. */
  dispose(): void {
    this.uVar.dispose();
    this.vVar.dispose();
  }
}
