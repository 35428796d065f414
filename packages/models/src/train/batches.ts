import type { Batch } from '../family.js';
import type { Dataset } from '../data/datasets.js';
import { Rng } from '../rng.js';

/**
 * The real batches of one training step: each call draws a fresh batch from a stream keyed by
 * (seed, step), so step k draws the same data whether or not the run was interrupted before it.
 * Two-domain families get domain B's unpaired samples in `y`.
 */
export function stepBatches(data: Dataset, dataB: Dataset | undefined, batchSize: number, seed: number, step: number): () => Batch {
  const rng = Rng.stream(seed, 'data', step);
  return () => {
    const a = data.sample(batchSize, rng);
    return dataB ? { ...a, y: dataB.sample(batchSize, rng).x } : a;
  };
}

/** The noise stream of one training step. */
export function stepNoise(seed: number, step: number): Rng {
  return Rng.stream(seed, 'noise', step);
}
