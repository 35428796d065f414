/**
 * The parameters of a dense or conv layer — weight W, optional bias b, optional spectral norm —
 * initialised from our seeded Rng (the same seed gives the same network on every backend).
 * Dense (dense.ts) and the convolutions (conv.ts) add only their shapes and their ops.
 */
import type { TF, Variable } from '../family.js';
import type { Rng } from '../rng.js';
import { type ParamModule, variableFrom } from './params.js';
import { SpectralNorm } from './spectral-norm.js';

/**
 * Weight initialisation: 'pytorch' = PyTorch's default for the layer (U(±1/√fan_in) for weights
 * and bias); 'dcgan' = the DCGAN paper's N(0, 0.02²) weights and zero bias; 'zero' = all zeros
 * (a DDPM denoiser's output layer).
 */
export type Init = 'pytorch' | 'dcgan' | 'zero';

/**
 * Draws initial weights and bias values for a layer with `fanIn` inputs; `scale` multiplies the
 * 'pytorch' bound (0 still draws, so the layers after it get the same values as with 1).
 */
export function initValues(rng: Rng, init: Init, nW: number, nB: number, fanIn: number, scale = 1): { w: Float32Array; b: Float32Array } {
  if (init === 'zero') return { w: new Float32Array(nW), b: new Float32Array(nB) };
  if (init === 'dcgan') {
    const w = rng.normals(nW).map((v) => 0.02 * v);
    return { w, b: new Float32Array(nB) };
  }
  const bound = scale / Math.sqrt(fanIn);
  return { w: rng.uniforms(nW, -bound, bound), b: rng.uniforms(nB, -bound, bound) };
}

/** The parameter options of every weight layer (dense or conv). */
export interface WeightOptions {
  /** Whether the layer adds a bias (default true). */
  bias?: boolean;
  /** Weight initialisation (default 'pytorch'). */
  init?: Init;
  /** Multiplies the 'pytorch' init's bound (default 1; 0 for a zero-started flow coupling's last layer). */
  scale?: number;
  /** Spectral normalisation of the weight (viewed as a [fanIn, outputs] matrix, as PyTorch does). */
  spectralNorm?: boolean;
}

/**
 * The parameters of a dense or conv layer: weight W (drawn first), an optional bias b over the
 * outputs, and optional spectral normalisation of W as a [fanIn, outputs] matrix (its vector drawn
 * last); named `${prefix}.W`, `.b`, `.sn.*`.
 */
export abstract class WeightLayer implements ParamModule {
  readonly W: Variable;
  readonly b: Variable | null;
  readonly sn: SpectralNorm | null;

  protected constructor(
    protected readonly tf: TF,
    rng: Rng,
    shape: number[],
    outputs: number,
    fanIn: number,
    opts: WeightOptions,
  ) {
    const { w, b } = initValues(
      rng,
      opts.init ?? 'pytorch',
      shape.reduce((a, d) => a * d, 1),
      outputs,
      fanIn,
      opts.scale,
    );
    this.W = variableFrom(tf, w, shape);
    this.b = opts.bias === false ? null : variableFrom(tf, b, [outputs]);
    this.sn = opts.spectralNorm ? new SpectralNorm(tf, rng, fanIn, outputs) : null;
  }

  namedVariables(prefix: string): [string, Variable][] {
    const out: [string, Variable][] = [[`${prefix}.W`, this.W]];
    if (this.b) out.push([`${prefix}.b`, this.b]);
    if (this.sn) out.push(...this.sn.namedVariables(`${prefix}.sn`));
    return out;
  }

  trainable(): Variable[] {
    return this.b ? [this.W, this.b] : [this.W];
  }

  dispose(): void {
    this.W.dispose();
    this.b?.dispose();
    this.sn?.dispose();
  }
}
