/**
 * The periodic evaluation of a run, the same for every family. 2-D data: mode diagnostics (when
 * the data has modes), sliced Wasserstein and MMD between a fixed reference sample of the data and
 * fresh generated samples. Image data: FID, KID, IS (and Stacked-MNIST modes) with the data set's
 * embedded classifier (image-eval.ts). Both: the family's own held-out metrics (VAE ELBO, flow
 * log-likelihood).
 */
import { inputError } from '@gen-eval/metrics/errors';
import { medianPairwiseDistance, mixtureModeCoverage, mmdUnbiased, slicedWasserstein, type Matrix } from '@gen-eval/metrics';
import type { Batch, SampleOptions, TrainableModel } from '../family.js';
import type { Dataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { imageEvalReference, imageMetrics, type ImageEvalReference } from './image-eval.js';

/** What an evaluation compares against, fixed for the whole run. */
export interface EvalReference {
  /** The data the generated samples should match (a translation's target domain). */
  readonly target: Dataset;
  /** 2-D data: reference sample of the target, drawn once from the run's seed, and the MMD bandwidth. */
  readonly points?: {
    readonly real: Matrix;
    /** Gaussian MMD bandwidth: the median pairwise distance of `real` (fixed, so values compare across steps and runs). */
    readonly mmdSigma: number;
  };
  /** Image data with an embedded classifier: the held-out images' features. */
  readonly image?: ImageEvalReference;
  /** Held-out sample of the training data (the family's evaluate()): its held-out split where it has one. */
  readonly heldOut: Batch;
  /** Samples generated per evaluation. */
  readonly samples: number;
  /** What the user should know about this run's evaluation (e.g. no FID for image folders). */
  readonly notes: readonly string[];
}

const asMatrix = (x: Float32Array, dims: number): Matrix => ({ rows: x.length / dims, cols: dims, data: Float64Array.from(x) });

/**
 * Draws the run's fixed reference and held-out samples (and, for images, extracts the real
 * images' features: `real` of them). Release it with {@link disposeReference}.
 */
export async function evalReference(data: Dataset, target: Dataset, samples: number, seed: number, real = samples): Promise<EvalReference> {
  const heldOutRng = Rng.stream(seed, 'held-out');
  const heldOut = data.heldOut ? data.heldOut(samples, heldOutRng) : data.sample(samples, heldOutRng);
  if (target.image) {
    const { ref, notes } = await imageEvalReference(target, real, seed);
    return { target, ...(ref ? { image: ref } : {}), heldOut, samples, notes };
  }
  const points = asMatrix(target.sample(samples, Rng.stream(seed, 'reference')).x, target.dims);
  const mmdSigma = await medianPairwiseDistance(points);
  if (!(mmdSigma > 0))
    throw inputError(target.name, 'has too little spread: at least half of the pairs of its reference points coincide (median distance 0), so MMD has no bandwidth');
  return { target, points: { real: points, mmdSigma }, heldOut, samples, notes: [] };
}

/** Releases what a reference holds (the classifier's session). */
export async function disposeReference(ref: EvalReference): Promise<void> {
  await ref.image?.extractor.dispose();
}

/** Images generated per model.sample call in an image evaluation (bounds the activations' memory). */
const IMAGE_SAMPLE_CHUNK = 250;

/** n samples in chunks of `chunk` drawn one after another from `rng` (one call when n ≤ chunk). */
function sampleInChunks(n: number, chunk: number, dims: number, draw: (m: number) => Float32Array): Float32Array {
  if (n <= chunk) return draw(n);
  const out = new Float32Array(n * dims);
  for (let start = 0; start < n; start += chunk) out.set(draw(Math.min(chunk, n - start)), start * dims);
  return out;
}

export interface EvalResult {
  readonly metrics: Record<string, number | null>;
  /** The generated points (n × dims), saved under samples/. */
  readonly samples: Float32Array;
}

/**
 * What an evaluation feeds `sample` for m samples, drawn from the evaluation's Rng (condition-routes.ts'
 * evalCondition: a translation's source samples); `undefined`: sample from noise alone.
 */
export type EvalCondition = (m: number, rng: Rng) => SampleOptions | undefined;

/** Evaluates the model at `step`. */
export async function evaluateModel(model: TrainableModel, ref: EvalReference, seed: number, step: number, condition: EvalCondition = () => undefined): Promise<EvalResult> {
  const rng = Rng.stream(seed, 'eval', step);
  const draw = (m: number) => {
    const opts = condition(m, rng);
    return opts ? model.sample(m, rng, opts) : model.sample(m, rng);
  };
  const samples = sampleInChunks(ref.samples, ref.target.image ? IMAGE_SAMPLE_CHUNK : ref.samples, ref.target.dims, draw);
  const metrics: Record<string, number | null> = {};
  // Samples (rows) with any non-finite value, not values.
  let nonFinite = 0;
  const dims = ref.target.dims;
  for (let r = 0; r < samples.length; r += dims) {
    for (let j = r; j < r + dims; j++) {
      if (!Number.isFinite(samples[j]!)) {
        nonFinite++;
        break;
      }
    }
  }
  if (nonFinite > 0) {
    // A diverged model: the loop records it and stops.
    metrics.non_finite_samples = nonFinite;
    return { metrics, samples };
  }
  if (ref.target.image) {
    if (ref.image) Object.assign(metrics, await imageMetrics(ref.image, samples));
    if (model.evaluate) Object.assign(metrics, model.evaluate(ref.heldOut, Rng.stream(seed, 'eval-extra', step)));
    return { metrics, samples };
  }
  const fake = asMatrix(samples, ref.target.dims);
  const { real, mmdSigma } = ref.points!;
  if (ref.target.mixture) {
    const m = await mixtureModeCoverage(fake, ref.target.mixture);
    metrics.modes_covered = m.modesCovered;
    metrics.high_quality = m.highQuality;
    metrics.reverse_kl = m.reverseKl;
  }
  metrics.sliced_w = (await slicedWasserstein(real, fake)).value;
  metrics.mmd = (await mmdUnbiased(real, fake, { kernel: 'gaussian', sigma: mmdSigma })).value;
  if (model.evaluate) Object.assign(metrics, model.evaluate(ref.heldOut, Rng.stream(seed, 'eval-extra', step)));
  return { metrics, samples };
}
