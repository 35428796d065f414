/**
 * The evaluation of image runs: FID, KID and IS of generated images against held-out real images,
 * in the feature space of the embedded classifier of the run's data set (the metrics package's
 * `mnist` / `fashion-mnist` extractors: 128 features, 10 logits), and Stacked-MNIST's mode count.
 *
 * - mnist, mnist-inverted, edges2digits → `mnist`; fashion-mnist, edges2fashion, edges2shoes →
 *   `fashion-mnist` (a paired set is judged on its targets, the base set's images).
 * - stacked-mnist → `mnist` on each channel as a grey digit: FID, KID and IS over the 3·N
 *   one-channel digits, and from the same logits each sample's mode 100·R + 10·G + B of 1 000
 *   (`modes_covered`, `reverse_kl` = KL(mode histogram ‖ uniform), the metrics package's
 *   classCoverage — the key 2-D runs use for the same quantity; `kl` is the VAE's loss).
 * - image folders: no embedded classifier knows their domain, so no FID (a note says so; use
 *   `gen-eval sample RUN -o DIR` and `gen-eval fid real/ DIR`).
 *
 * Both sides are quantised to bytes exactly as their PNG files are (data/png.ts toBytes), so a
 * training-time value equals `gen-eval fid real/ fake/ --extractor mnist` on the same images
 * written as PNGs. The real side's features and statistics are computed once per run.
 */
import { CLASSIFIER_CLASSES, createExtractor, digitsFromLogits, extractImageArray, type ClassifierName, type ExtractedSet, type FeatureExtractor } from '@gen-eval/metrics/extract';
import { classCoverage, DEFAULTS, fid, inceptionScore, kernelInceptionDistance, type FidInput, type NpyArray } from '@gen-eval/metrics';
import type { Dataset } from '../data/datasets.js';
import type { ImageShape } from '../data/image-set.js';
import { toBytes } from '../data/png.js';
import { Rng } from '../rng.js';
import { usageError } from '@gen-eval/metrics/errors';

/**
 * KID subsets per training-time evaluation: 10, not torch-fidelity's 100 (subsets of 1 000 at
 * 128 features take ~0.09 s each on this machine; the mean is as unbiased, only kid_std is noisier).
 */
export const TRAINING_KID_SUBSETS = 10;

/** Images per PNG grid (8 × 8). */
export const GRID_IMAGES = 64;

const CLASSIFIER_OF: Readonly<Record<string, ClassifierName>> = {
  mnist: 'mnist',
  'mnist-inverted': 'mnist',
  'fashion-mnist': 'fashion-mnist',
  'stacked-mnist': 'mnist',
  // Paired sets: their targets are the base set's images.
  edges2fashion: 'fashion-mnist',
  edges2shoes: 'fashion-mnist',
  edges2digits: 'mnist',
  // Captioned sets: the base set's images.
  'captioned-mnist': 'mnist',
  'captioned-fashion': 'fashion-mnist',
};

/** The embedded classifier an image data set is evaluated with (none for image folders). */
export function classifierFor(d: Dataset): ClassifierName | undefined {
  return d.image && d.sha256 === undefined ? CLASSIFIER_OF[d.name] : undefined;
}

/** What every evaluation of an image run compares against, fixed for the run. */
export interface ImageEvalReference {
  readonly classifier: ClassifierName;
  readonly extractor: FeatureExtractor;
  readonly shape: ImageShape;
  /** Stacked MNIST: each channel is a digit of its own. */
  readonly perChannel: boolean;
  /** The held-out real images' features, logits and statistics. */
  readonly real: ExtractedSet;
}

/**
 * Features and logits of an NHWC batch in [−1, 1] through `extractor`, quantised as its PNGs are;
 * `perChannel` makes every channel a grey image of its own (n·c images, image i's channels in order).
 */
export async function imageFeatures(extractor: FeatureExtractor, x: Float32Array, shape: ImageShape, perChannel: boolean, label: string): Promise<ExtractedSet> {
  const { height: h, width: w, channels: c } = shape;
  const hw = h * w;
  const n = x.length / (hw * c);
  const bytes = toBytes(x);
  let arr: NpyArray;
  if (perChannel && c > 1) {
    const planes = new Uint8Array(bytes.length);
    for (let i = 0; i < n; i++) for (let ch = 0; ch < c; ch++) for (let p = 0; p < hw; p++) planes[(i * c + ch) * hw + p] = bytes[(i * hw + p) * c + ch]!;
    arr = { dtype: '|u1', shape: [n * c, h, w], data: planes };
  } else arr = { dtype: '|u1', shape: c === 1 ? [n, h, w] : [n, h, w, c], data: bytes };
  return extractImageArray(arr, label, extractor, { logits: true });
}

/**
 * Draws `n` held-out images of `target` (its training images when it has no held-out split) from
 * the run's 'reference' stream and extracts their features once. Returns notes instead when the
 * data set has no embedded classifier.
 */
export async function imageEvalReference(target: Dataset, n: number, seed: number): Promise<{ ref?: ImageEvalReference; notes: string[] }> {
  const classifier = classifierFor(target);
  if (!target.image) throw usageError(`${target.name} is not an image data set`);
  if (!classifier) {
    return {
      notes: [
        `${target.name}: no embedded classifier knows these images, so evaluations compute no FID, KID or IS; score samples with \`gen-eval sample RUN -n N -o DIR\` and \`gen-eval fid REAL DIR\``,
      ],
    };
  }
  const rng = Rng.stream(seed, 'reference');
  const batch = target.heldOut ? target.heldOut(n, rng) : target.sample(n, rng);
  const extractor = await createExtractor(classifier);
  try {
    const perChannel = target.name === 'stacked-mnist';
    const real = await imageFeatures(extractor, batch.x, target.image, perChannel, `${target.name} (held-out images)`);
    return { ref: { classifier, extractor, shape: target.image, perChannel, real }, notes: [] };
  } catch (err) {
    await extractor.dispose();
    throw err;
  }
}

/** A feature set as FID's input: its statistics when they have full rank, else the features (exact low-rank route). */
const fidInput = (s: ExtractedSet): FidInput => (s.n > s.dims ? s.stats : s.features);

/** FID, KID and IS (and Stacked-MNIST's modes) of generated images `x` (NHWC in [−1, 1]). */
export async function imageMetrics(ref: ImageEvalReference, x: Float32Array): Promise<Record<string, number>> {
  const fake = await imageFeatures(ref.extractor, x, ref.shape, ref.perChannel, 'generated images');
  const m: Record<string, number> = {};
  m.fid = (await fid(fidInput(ref.real), fidInput(fake))).fid;
  const kid = await kernelInceptionDistance(ref.real.features, fake.features, {
    subsets: TRAINING_KID_SUBSETS,
    subsetSize: Math.min(DEFAULTS.kidSubsetSize, ref.real.n, fake.n),
  });
  m.kid_mean = kid.mean;
  m.kid_std = kid.std;
  const is = inceptionScore(fake.logits!, { splits: Math.min(DEFAULTS.isSplits, fake.n) });
  m.is_mean = is.mean;
  m.is_std = is.std;
  if (ref.perChannel) {
    const c = ref.shape.channels;
    const n = fake.n / c;
    const coverage = classCoverage(digitsFromLogits(fake.logits!.data, n), [n, c], CLASSIFIER_CLASSES);
    m.modes_covered = coverage.modesCovered;
    m.reverse_kl = coverage.kl;
  }
  return m;
}
