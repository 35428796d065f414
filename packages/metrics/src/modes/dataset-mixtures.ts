/**
 * The built-in 2-D training sets that are Gaussian mixtures, by name: one table for the trainer,
 * which samples them, and for the report, which scores a run's samples against their modes
 * without loading the training package.
 */
import { gridMixture, ringMixture, type Mixture2d } from './mixtures.js';

/** The ring-easy radius and σ (a relaxed PacGAN ring that trains in minutes on a CPU). */
export const RING_EASY = { radius: 2, sigma: 0.05 } as const;

/** A named mixture data set: its one-line description and its mixture. */
export interface MixtureDataset {
  readonly description: string;
  mixture(): Mixture2d;
}

/** The mixture data sets, in listing order. */
export const MIXTURE_DATASETS: Readonly<Record<string, MixtureDataset>> = {
  ring: { description: '8 modes on a circle of radius 1, σ 0.01 (PacGAN, VEEGAN)', mixture: () => ringMixture() },
  'ring-easy': { description: '8 modes on a circle of radius 2, σ 0.05', mixture: () => ringMixture(RING_EASY) },
  'ring-easy-rot': { description: 'ring-easy rotated by π/8 (the second domain of cyclegan)', mixture: () => ringMixture({ ...RING_EASY, phase: Math.PI / 8 }) },
  grid: { description: '25 modes on the grid {−4,−2,0,2,4}², σ 0.05 (PacGAN)', mixture: () => gridMixture() },
};

/** The mixture of a data set by name (as a run's config.json records it), or undefined when it has none. */
export function datasetMixture(name: string): Mixture2d | undefined {
  return Object.hasOwn(MIXTURE_DATASETS, name) ? MIXTURE_DATASETS[name]!.mixture() : undefined;
}
