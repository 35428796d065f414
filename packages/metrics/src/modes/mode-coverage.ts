/**
 * The PacGAN / VEEGAN mode-collapse protocol for 2-D mixtures: each sample goes to its nearest
 * mode; it is "high quality" when within `highQualitySigmas`·σ of that mode (3σ: 98.9 % of a true
 * sample, 1 − e^{−4.5}); a mode is covered when at least one high-quality sample is nearest to it;
 * reverse KL = KL(q ‖ uniform) with q the histogram of the high-quality samples over the modes.
 */
import { DEFAULTS } from '../defaults.js';
import { inputError } from '../errors.js';
import { nearestNeighbour } from '../knn.js';
import type { Matrix } from '../matrix.js';
import type { Mixture2d } from './mixtures.js';

/** Mode coverage of samples of a 2-D mixture (PacGAN / VEEGAN protocol): modes hit, high-quality share, reverse KL. */
export interface ModeCoverageResult {
  readonly modes: number;
  readonly modesCovered: number;
  /** Share of all samples that are high quality. */
  readonly highQuality: number;
  readonly highQualityCount: number;
  /** KL(q ‖ uniform) in nats; null when no sample is high quality (q undefined). */
  readonly reverseKl: number | null;
  /** High-quality samples per mode. */
  readonly counts: readonly number[];
  /** The distance below which a sample is high quality (highQualitySigmas · σ). */
  readonly threshold: number;
}

/** KL(q ‖ uniform over K) of a count histogram, in nats; null when empty. */
export function klFromUniform(counts: ArrayLike<number>): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total === 0) return null;
  let s = 0;
  for (let i = 0; i < counts.length; i++) {
    const q = counts[i]! / total;
    if (q > 0) s += q * Math.log(q * counts.length);
  }
  return s;
}

/** Scores 2-D samples against a mixture's modes (see the module notes). */
export async function mixtureModeCoverage(samples: Matrix, mix: Mixture2d, opts: { highQualitySigmas?: number; name?: string } = {}): Promise<ModeCoverageResult> {
  const name = opts.name ?? 'samples';
  if (samples.rows === 0) throw inputError(name, 'is empty (no samples)');
  if (samples.cols !== mix.centres.cols) {
    throw inputError(name, `has ${samples.cols} dimensions but the ${mix.kind} mixture is ${mix.centres.cols}-D (mismatched dimensions)`);
  }
  const threshold = (opts.highQualitySigmas ?? DEFAULTS.highQualitySigmas) * mix.sigma;
  const { index, distance } = await nearestNeighbour(samples, mix.centres);
  const counts = new Array<number>(mix.centres.rows).fill(0);
  let hq = 0;
  for (let i = 0; i < samples.rows; i++) {
    if (distance[i]! <= threshold) {
      hq++;
      counts[index[i]!]!++;
    }
  }
  return {
    modes: counts.length,
    modesCovered: counts.filter((c) => c > 0).length,
    highQuality: hq / samples.rows,
    highQualityCount: hq,
    reverseKl: klFromUniform(counts),
    counts,
    threshold,
  };
}
