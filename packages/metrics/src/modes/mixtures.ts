/**
 * The 2-D Gaussian mixtures of the mode-collapse literature (PacGAN, VEEGAN, Unrolled GAN): a ring
 * of 8 modes and a 5 × 5 grid, with seeded samplers shared by the tests and the training package.
 */
import { DEFAULTS } from '../defaults.js';
import type { Matrix } from '../matrix.js';
import { RandomState } from '../random.js';
import { usageError } from '../errors.js';

/** An equal-weight mixture of isotropic Gaussians N(centre, σ²I) in the plane. */
export interface Mixture2d {
  readonly kind: 'ring' | 'grid';
  /** K × 2 mode centres. */
  readonly centres: Matrix;
  readonly sigma: number;
}

function checkSigma(sigma: number): void {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw usageError(`sigma must be a positive number, got ${sigma}`);
}

/**
 * Ring: `modes` centres (r cos(2πi/K + φ), r sin(2πi/K + φ)), i = 0…K−1 — K distinct angles (not
 * `linspace(0, 2π, K)`, which repeats the first mode). Defaults: PacGAN's K = 8, r = 1, σ = 0.01,
 * φ = 0 (a rotated ring is the second domain of the unpaired-translation experiments).
 */
export function ringMixture(opts: { modes?: number; radius?: number; sigma?: number; phase?: number } = {}): Mixture2d {
  const K = opts.modes ?? DEFAULTS.ringModes;
  const r = opts.radius ?? DEFAULTS.ringRadius;
  const sigma = opts.sigma ?? DEFAULTS.ringSigma;
  const phase = opts.phase ?? 0;
  if (!Number.isInteger(K) || K < 1) throw usageError(`modes must be a positive integer, got ${K}`);
  checkSigma(sigma);
  const data = new Float64Array(2 * K);
  for (let i = 0; i < K; i++) {
    data[2 * i] = r * Math.cos((2 * Math.PI * i) / K + phase);
    data[2 * i + 1] = r * Math.sin((2 * Math.PI * i) / K + phase);
  }
  return { kind: 'ring', centres: { rows: K, cols: 2, data }, sigma };
}

/**
 * Grid: size × size centres at ((i − (size−1)/2)·spacing, (j − (size−1)/2)·spacing), x-major
 * (mode index = i·size + j). Defaults: PacGAN's {−4, −2, 0, 2, 4}², σ = 0.05.
 */
export function gridMixture(opts: { size?: number; spacing?: number; sigma?: number } = {}): Mixture2d {
  const size = opts.size ?? DEFAULTS.gridSize;
  const spacing = opts.spacing ?? DEFAULTS.gridSpacing;
  const sigma = opts.sigma ?? DEFAULTS.gridSigma;
  if (!Number.isInteger(size) || size < 1) throw usageError(`size must be a positive integer, got ${size}`);
  checkSigma(sigma);
  const data = new Float64Array(2 * size * size);
  const off = (size - 1) / 2;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      data[2 * (i * size + j)] = (i - off) * spacing;
      data[2 * (i * size + j) + 1] = (j - off) * spacing;
    }
  }
  return { kind: 'grid', centres: { rows: size * size, cols: 2, data }, sigma };
}

/** Options of `sampleMixture`: a subset of modes (to simulate collapse) and a σ multiplier. */
export interface SampleOptions {
  /** Draw only from these modes (a collapsed sampler); default all. */
  modes?: readonly number[];
  /** Spread as a multiple of the mixture's σ (default 1). */
  sigmaScale?: number;
}

/**
 * n samples of the mixture, seeded: for each sample, a mode drawn uniformly (numpy `randint`), then
 * its x and y Gaussian noise (`standard_normal`), all from one RandomState.
 */
export function sampleMixture(mix: Mixture2d, n: number, seed: number | RandomState, opts: SampleOptions = {}): Matrix {
  const rs = typeof seed === 'number' ? new RandomState(seed) : seed;
  const modes = opts.modes ?? Array.from({ length: mix.centres.rows }, (_, i) => i);
  if (modes.length === 0 || modes.some((m) => !Number.isInteger(m) || m < 0 || m >= mix.centres.rows)) {
    throw usageError(`modes must be a non-empty list of mode indices below ${mix.centres.rows}`);
  }
  const s = mix.sigma * (opts.sigmaScale ?? 1);
  const data = new Float64Array(2 * n);
  const c = mix.centres.data;
  for (let i = 0; i < n; i++) {
    const m = modes[rs.interval(modes.length - 1)]!;
    data[2 * i] = c[2 * m]! + s * rs.normal();
    data[2 * i + 1] = c[2 * m + 1]! + s * rs.normal();
  }
  return { rows: n, cols: 2, data };
}
