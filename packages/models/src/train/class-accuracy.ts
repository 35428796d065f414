/**
 * Class accuracy of a class-conditioned image model: the share of its samples that the data set's
 * embedded classifier (`mnist`, `fashion-mnist`) assigns to the class they were generated for —
 * the "classification accuracy" of conditional GAN papers (e.g. AC-GAN, Odena et al. 2017, §4.1),
 * here with the same classifier that gives the run's FID. Also draws the per-class samples that
 * the classification accuracy score (cas.ts) trains on, asked for by label or by caption.
 */
import { CLASSIFIER_CLASSES, type ClassifierName, type FeatureExtractor } from '@gen-eval/metrics/extract';
import type { SampleOptions, TrainableModel } from '../family.js';
import { CAPTIONED_DATASETS } from '../data/captioned.js';
import type { Dataset } from '../data/datasets.js';
import type { ImageShape } from '../data/image-set.js';
import type { Rng } from '../rng.js';
import { BASE_ATTRIBUTES, classAccuracy, generateCaption, loadCaptionGrammar } from '@gen-eval/metrics/conditional';
import { classifierFor, imageFeatures } from './image-eval.js';

/** Data sets whose labels are their embedded classifier's classes, in its order. */
const LABELS_ARE_CLASSES: ReadonlySet<string> = new Set(['mnist', 'fashion-mnist', 'captioned-mnist', 'captioned-fashion']);

/** The embedded classifier that knows `d`'s labels (undefined: none does, e.g. an image folder's classes). */
export function labelClassifier(d: Dataset): ClassifierName | undefined {
  const c = classifierFor(d);
  return c && LABELS_ARE_CLASSES.has(d.name) && d.classes === CLASSIFIER_CLASSES ? c : undefined;
}

/** The sampling options that ask a model for `count` samples of class `label` (drawing any wording from `rng`). */
export type ClassCondition = (label: number, count: number, rng: Rng) => SampleOptions;

/** A class-label model (cgan) is asked for a class by its label. */
export const byLabel: ClassCondition = (label) => ({ label });

/**
 * A text model (gan-cls, stackgan) on a captioned set is asked for class k by captions of class k,
 * generated from the data's grammar with every attribute of the base at a uniformly drawn value
 * (one caption per sample), embedded by the data's own conditioning encoder.
 */
export function byCaption(data: Dataset): ClassCondition | undefined {
  const entry = CAPTIONED_DATASETS[data.name];
  const encoder = data.text;
  if (!entry || !encoder) return undefined;
  const grammar = loadCaptionGrammar();
  const attributes = BASE_ATTRIBUTES[entry.base];
  return (label, count, rng) => {
    const draw = (k: number) => rng.int(k);
    const captions = Array.from({ length: count }, () => {
      const values = Object.fromEntries(attributes.map((a) => [a, rng.int(3)]));
      return generateCaption(entry.base, label, values, draw, grammar).text;
    });
    return { text: encoder.encode(captions) };
  };
}

/**
 * `counts[k]` samples of each class k, in class order, asked for by `condition` (default: by
 * label) and drawn from `rng`; with the classes they were asked for.
 */
export function samplePerClass(
  model: Pick<TrainableModel, 'sample'>,
  counts: readonly number[],
  dims: number,
  rng: Rng,
  condition: ClassCondition = byLabel,
): { x: Float32Array; labels: Int32Array } {
  const n = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(n * dims);
  const labels = new Int32Array(n);
  let row = 0;
  counts.forEach((count, label) => {
    if (count === 0) return;
    x.set(model.sample(count, rng, condition(label, count, rng)), row * dims);
    labels.fill(label, row, row + count);
    row += count;
  });
  return { x, labels };
}

/** n split over `classes` as evenly as possible, the first classes taking the remainder. */
export function balancedCounts(n: number, classes: number): number[] {
  return Array.from({ length: classes }, (_, k) => Math.floor(n / classes) + (k < n % classes ? 1 : 0));
}

/** Top-1 agreement of `extractor`'s classes with `labels` on images `x` (NHWC in [−1, 1], quantised as their PNGs). */
export async function generatedClassAccuracy(extractor: FeatureExtractor, x: Float32Array, shape: ImageShape, labels: Int32Array): Promise<number> {
  const set = await imageFeatures(extractor, x, shape, false, 'generated images');
  return classAccuracy(set.logits!, labels, ['generated images', 'requested classes']).classAccuracy;
}
