/**
 * The periodic evaluation of a run, the same for every family. 2-D data: mode diagnostics (when
 * the data has modes), sliced Wasserstein and MMD between a fixed reference sample of the data and
 * fresh generated samples. Image data: FID, KID, IS (and Stacked-MNIST modes) with the data set's
 * embedded classifier (image-eval.ts). Paired data (pix2pix, srgan): the model translates a fixed
 * set of held-out inputs, and each output is compared with its own target (paired-eval.ts: l1, psnr,
 * ssim) besides FID, KID and IS. All: the family's own held-out metrics (VAE ELBO, flow
 * log-likelihood).
 */
import { inputError } from '@gen-eval/metrics/errors';
import { medianPairwiseDistance, mixtureModeCoverage, mmdUnbiased, slicedWasserstein, type Matrix } from '@gen-eval/metrics';
import type { Batch, SampleOptions, TrainableModel } from '../family.js';
import type { Dataset } from '../data/datasets.js';
import { Rng } from '../rng.js';
import { toBytes } from '../data/png.js';
import { classAccuracy } from '@gen-eval/metrics/conditional';
import { imageEvalReference, imageFeatures, imageMetrics, type ImageEvalReference } from './image-eval.js';
import { captionAttributeMetrics, judgeMetrics, textEvalReference, type TextEvalReference } from './text-eval.js';
import { bicubicUpsample, heldOutPairMetrics, type HeldOutPairs } from './paired-eval.js';

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
  /** Captioned data: the judge encoder and R-precision's pool of held-out captions. */
  readonly text?: TextEvalReference;
  /** Held-out sample of the training data (the family's evaluate()): its held-out split where it has one. */
  readonly heldOut: Batch;
  /** Paired data: the held-out pairs of `heldOut`, which every evaluation translates and compares. */
  readonly pairs?: HeldOutPairs;
  /** Samples generated per evaluation. */
  readonly samples: number;
  /** What the user should know about this run's evaluation (e.g. no FID for image folders). */
  readonly notes: readonly string[];
}

const asMatrix = (x: Float32Array, dims: number): Matrix => ({ rows: x.length / dims, cols: dims, data: Float64Array.from(x) });

/**
 * Draws the run's fixed reference and held-out samples (and, for images, extracts the real
 * images' features: `real` of them). Paired data's held-out samples are the pairs every evaluation
 * translates; `scale` (super-resolution) is the target's side over the input's. Release it with
 * {@link disposeReference}.
 */
export async function evalReference(data: Dataset, target: Dataset, samples: number, seed: number, real = samples, scale?: number): Promise<EvalReference> {
  const heldOutRng = Rng.stream(seed, 'held-out');
  const heldOut = data.heldOut ? data.heldOut(samples, heldOutRng) : data.sample(samples, heldOutRng);
  if (target.image) {
    const { ref, notes } = await imageEvalReference(target, real, seed);
    const pairs =
      heldOut.input && data.input
        ? { pairs: { input: heldOut.input, inputShape: data.input.image, target: toBytes(heldOut.x), targetShape: target.image, ...(scale ? { scale } : {}) } }
        : {};
    const text = textEvalReference(data, seed);
    return { target, ...(ref ? { image: ref } : {}), ...(text ? { text } : {}), heldOut, samples, notes, ...pairs };
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
  await ref.text?.judge.dispose();
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

/** What an evaluation feeds `sample` for some samples, and what it asked of each. */
export interface EvalDraw {
  readonly options: SampleOptions;
  /** The class each sample was asked for, where its condition names one (a caption's class): scored as `class_accuracy`. */
  readonly labels?: Int32Array;
  /** The caption each sample was drawn for (text runs): its attributes are scored as `attribute_accuracy`. */
  readonly captions?: readonly string[];
}

/**
 * What an evaluation feeds `sample` for m samples, drawn from the evaluation's Rng (condition-routes.ts'
 * evalCondition: a translation's source samples, a text run's held-out captions); `undefined`: sample from noise alone.
 */
export type EvalCondition = (m: number, rng: Rng) => EvalDraw | undefined;

/** Evaluates the model at `step`. */
export async function evaluateModel(model: TrainableModel, ref: EvalReference, seed: number, step: number, condition: EvalCondition = () => undefined): Promise<EvalResult> {
  const rng = Rng.stream(seed, 'eval', step);
  const pairs = ref.pairs;
  let start = 0; // the first held-out pair of the next chunk
  const requested: Int32Array[] = []; // each chunk's requested classes, where the condition names them
  const captions: string[] = [];
  const draw = (m: number) => {
    if (pairs) {
      const per = pairs.input.length / ref.samples;
      const input = pairs.input.subarray(start * per, (start += m) * per);
      return model.sample(m, rng, { input });
    }
    const d = condition(m, rng);
    if (d?.labels) requested.push(d.labels);
    if (d?.captions) captions.push(...d.captions);
    return d ? model.sample(m, rng, d.options) : model.sample(m, rng);
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
    if (pairs) Object.assign(metrics, await heldOutPairMetrics(pairs, samples));
    const labels = requested.length > 0 ? Int32Array.from(requested.flatMap((l) => Array.from(l))) : undefined;
    if (ref.image) Object.assign(metrics, await imageMetrics(ref.image, samples, labels?.length === ref.samples ? labels : undefined));
    if (captions.length === ref.samples) {
      Object.assign(metrics, captionAttributeMetrics(ref.target, samples, captions));
      if (ref.text) Object.assign(metrics, await judgeMetrics(ref.text, samples, captions, step));
    }
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

/**
 * A super-resolution run's baseline: the paired metrics and FID, KID and IS of Pillow's bicubic
 * upsampling of the held-out inputs, computed once per run (no Rng: the same on every resume);
 * undefined when the run is not super-resolution.
 */
export async function bicubicBaseline(ref: EvalReference): Promise<Record<string, number> | undefined> {
  const pairs = ref.pairs;
  if (!pairs?.scale) return undefined;
  const x = bicubicUpsample(pairs.input, pairs.inputShape, pairs.scale);
  return { ...(await heldOutPairMetrics(pairs, x)), ...(ref.image ? await imageMetrics(ref.image, x) : {}) };
}

/**
 * A text run's ceiling: the held-out images of its evaluation reference scored against their own
 * captions exactly as samples are (class and attribute accuracy, R-precision, text alignment),
 * computed once per run; undefined off captioned data.
 */
export async function realCaptionBaseline(ref: EvalReference): Promise<Record<string, number> | undefined> {
  const b = ref.heldOut;
  if (!ref.text || !b.captions || !b.labels || b.captions.length !== b.n) return undefined;
  const m: Record<string, number> = {};
  if (ref.image) {
    const real = await imageFeatures(ref.image.extractor, b.x, ref.image.shape, false, `${ref.target.name} (held-out images)`);
    m.class_accuracy = classAccuracy(real.logits!, b.labels).classAccuracy;
  }
  return { ...m, ...captionAttributeMetrics(ref.target, b.x, b.captions), ...(await judgeMetrics(ref.text, b.x, b.captions, 0)) };
}
