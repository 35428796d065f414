/**
 * The DDPM samplers: both run a trained ε_θ from x_T ~ N(0, I) to x_0, in place on n × dims rows,
 * with the same signature, so the family picks one by `sampleSteps` (`samplerFor`). The schedule
 * they read is ./ddpm-schedule.ts; the network is the family's.
 *
 * Ancestral sampling (Ho et al. 2020, Algorithm 2), all T steps:
 *   for t = T, …, 1:
 *     z ~ N(0, I) if t > 1, else z = 0
 *     x_{t−1} = 1/√α_t (x_t − β_t/√(1 − ᾱ_t) ε_θ(x_t, t)) + σ_t z,   σ_t² = β_t
 *
 * DDIM (Song et al. 2021, eq. 12 with σ = 0), deterministic, on k < T strided timesteps
 * τ_k > … > τ_1 = 1 (τ_0 = 0, ᾱ_0 = 1): the same ε_θ, T/k times fewer network passes.
 *   for i = k, …, 1:
 *     x̂_0 = (x − √(1 − ᾱ_τi) ε_θ(x, τ_i)) / √ᾱ_τi
 *     x ← √ᾱ_τ(i−1) x̂_0 + √(1 − ᾱ_τ(i−1)) ε_θ(x, τ_i)
 */
import { internalError, usageError } from '@gen-eval/metrics/errors';
import type { Rng } from '../rng.js';
import type { DdpmSchedule } from './ddpm-schedule.js';

/** ε_θ(x_t, t) as n × dims values for the n × dims rows x, all at timestep t. */
export type EpsPredictor = (x: Float32Array, t: number) => Float32Array;

/** Turns x_T (n × dims, drawn from N(0, I)) into x_0 in place; `noise` for any fresh noise. */
export type Sampler = (x: Float32Array, predict: EpsPredictor, noise: Rng) => void;

/** Algorithm 2 of Ho et al. 2020: T steps, each adding fresh noise σ_t z (σ_t² = β_t) but the last. */
export function ancestralSampler(s: DdpmSchedule): Sampler {
  return (x, predict, noise) => {
    for (let t = s.T; t >= 1; t--) {
      const e = predict(x, t);
      const a = 1 / Math.sqrt(s.alphas[t - 1]!);
      const c = s.betas[t - 1]! / s.sqrtOneMinusAlphaBars[t - 1]!;
      const sigma = t > 1 ? Math.sqrt(s.betas[t - 1]!) : 0;
      for (let i = 0; i < x.length; i++) x[i] = a * (x[i]! - c * e[i]!) + (sigma > 0 ? sigma * noise.normal() : 0);
    }
  };
}

/** Deterministic DDIM on `timesteps` (descending, ending at 1), x̂_0 clipped to [−clip, clip] when set. */
export function ddimSampler(s: DdpmSchedule, timesteps: Int32Array, clip?: number): Sampler {
  return (x, predict) => {
    timesteps.forEach((t, i) => ddimStep(s, x, predict(x, t), t, timesteps[i + 1] ?? 0, clip));
  };
}

/**
 * The sampler for `sampleSteps` k: DDIM on k strided timesteps when 0 < k < T (x̂_0 clipped to
 * [−clip, clip] when set), else all T ancestral steps.
 */
export function samplerFor(s: DdpmSchedule, sampleSteps: number, clip?: number): Sampler {
  return sampleSteps > 0 && sampleSteps < s.T ? ddimSampler(s, stridedTimesteps(s.T, sampleSteps), clip) : ancestralSampler(s);
}

/**
 * The k timesteps (1-based, descending) a strided sampler visits out of T: t_i = ⌊i·T/k⌋ + 1 for
 * i = k − 1, …, 0 (DDIM's "uniform" sub-sequence, Song et al. 2021 §4.2, shifted to 1-based), so
 * the last step is always t = 1. k ≥ T gives every step T, …, 1.
 */
export function stridedTimesteps(T: number, k: number): Int32Array {
  if (!Number.isInteger(k) || k < 1) throw usageError(`sampleSteps must be an integer ≥ 1, got ${k}`);
  const m = Math.min(k, T);
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) out[i] = Math.floor(((m - 1 - i) * T) / m) + 1;
  return out;
}

/**
 * One deterministic DDIM step (Song et al. 2021, eq. 12 with σ = 0) from timestep t to s < t
 * (s = 0: the data, ᾱ_0 = 1), in place on x given the predicted noise e: x̂_0 = (x − √(1−ᾱ_t) e)/√ᾱ_t,
 * clipped to [−clip, clip] when `clip` is set (then e is recomputed from the clipped x̂_0, as
 * improved-diffusion does), and x ← √ᾱ_s x̂_0 + √(1−ᾱ_s) e.
 */
export function ddimStep(s: DdpmSchedule, x: Float32Array, e: ArrayLike<number>, t: number, prev: number, clip?: number): void {
  const at = s.alphaBars[t - 1];
  const as = prev === 0 ? 1 : s.alphaBars[prev - 1];
  if (at === undefined || as === undefined || prev >= t) throw internalError(`ddimStep: bad timesteps ${t} → ${prev}`);
  const sa = Math.sqrt(at);
  const sb = Math.sqrt(1 - at);
  const ca = Math.sqrt(as);
  const cb = Math.sqrt(1 - as);
  for (let i = 0; i < x.length; i++) {
    let x0 = (x[i]! - sb * e[i]!) / sa;
    let eps = e[i]!;
    if (clip !== undefined && (x0 > clip || x0 < -clip)) {
      x0 = Math.min(Math.max(x0, -clip), clip);
      eps = (x[i]! - sa * x0) / sb;
    }
    x[i] = ca * x0 + cb * eps;
  }
}
