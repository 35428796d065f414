/**
 * The periodic evaluation of a run, the same for every family: mode diagnostics (when the data
 * has modes), sliced Wasserstein and MMD between a fixed reference sample of the data and fresh
 * generated samples, and the family's own held-out metrics (VAE ELBO, flow log-likelihood).
 */
import { medianPairwiseDistance, mixtureModeCoverage, mmdUnbiased, slicedWasserstein, type Matrix } from '@gen-eval/metrics';
import type { Batch, TrainableModel } from '../family.js';
import type { Dataset } from '../data/datasets.js';
import { Rng } from '../rng.js';

/** What an evaluation compares against, fixed for the whole run. */
export interface EvalReference {
  /** The data the generated samples should match (domain B for cyclegan). */
  readonly target: Dataset;
  /** Reference sample of the target, drawn once from the run's seed. */
  readonly real: Matrix;
  /** Held-out sample of the training data (the family's evaluate()). */
  readonly heldOut: Batch;
  /** Gaussian MMD bandwidth: the median pairwise distance of `real` (fixed, so values compare across steps and runs). */
  readonly mmdSigma: number;
  readonly samples: number;
}

const asMatrix = (x: Float32Array, dims: number): Matrix => ({ rows: x.length / dims, cols: dims, data: Float64Array.from(x) });

/** Draws the run's fixed reference and held-out samples. */
export async function evalReference(data: Dataset, target: Dataset, samples: number, seed: number): Promise<EvalReference> {
  const real = asMatrix(target.sample(samples, Rng.stream(seed, 'reference')).x, target.dims);
  const heldOut = data.sample(samples, Rng.stream(seed, 'held-out'));
  const mmdSigma = await medianPairwiseDistance(real);
  return { target, real, heldOut, mmdSigma, samples };
}

export interface EvalResult {
  readonly metrics: Record<string, number | null>;
  /** The generated points (n × dims), saved under samples/. */
  readonly samples: Float32Array;
}

/** Evaluates the model at `step`. */
export async function evaluateModel(model: TrainableModel, ref: EvalReference, data: Dataset, seed: number, step: number, twoDomain: boolean): Promise<EvalResult> {
  const rng = Rng.stream(seed, 'eval', step);
  // A translation model maps fresh source-domain points; every other family samples from noise.
  const samples = twoDomain ? model.sample(ref.samples, rng, { from: 'a', input: data.sample(ref.samples, rng).x }) : model.sample(ref.samples, rng);
  const metrics: Record<string, number | null> = {};
  const fake = asMatrix(samples, ref.target.dims);
  if (fake.data.some((v) => !Number.isFinite(v))) {
    // A diverged model: say so in the metrics instead of failing the run.
    metrics.non_finite_samples = fake.data.filter((v) => !Number.isFinite(v)).length;
    return { metrics, samples };
  }
  if (ref.target.mixture) {
    const m = await mixtureModeCoverage(fake, ref.target.mixture);
    metrics.modes_covered = m.modesCovered;
    metrics.high_quality = m.highQuality;
    metrics.reverse_kl = m.reverseKl;
  }
  metrics.sliced_w = (await slicedWasserstein(ref.real, fake)).value;
  metrics.mmd = (await mmdUnbiased(ref.real, fake, { kernel: 'gaussian', sigma: ref.mmdSigma })).value;
  if (model.evaluate) Object.assign(metrics, model.evaluate(ref.heldOut, Rng.stream(seed, 'eval-extra', step)));
  return { metrics, samples };
}
