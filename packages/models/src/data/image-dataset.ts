/**
 * The one way an in-memory image set becomes a {@link Dataset}: training batches drawn uniformly
 * from its training split, held-out batches a seeded permutation of its test split, and — for
 * paired sets (edges2fashion, super-resolution pairs, `dataPairs` folders) — each sample's input
 * image written beside it. Shared by the built-in sets (images.ts) and the paired ones (paired.ts).
 */
import type { Batch } from '../family.js';
import type { Rng } from '../rng.js';
import type { Dataset } from './dataset.js';
import { writeImage, type ImageSet, type ImageShape } from './image-set.js';

/** A lazily loaded, cached value. */
export function lazy<T>(load: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= load());
}

/** Which split of an image set a batch is drawn from. */
export type Split = 'train' | 'test';

/**
 * The inputs of a paired set: their shape, and `write(split, set, j, dst, offset)`, which writes
 * the input paired with image `j` of `set` (the split's targets) into `dst` at `offset`.
 */
export interface InputSpec {
  readonly image: ImageShape;
  write(split: Split, set: ImageSet, j: number, dst: Float32Array, offset: number): void;
}

/** What {@link imageSetDataset} builds a data set from. */
export interface SetSpec {
  name: string;
  description: string;
  size: number;
  train: () => ImageSet;
  /** Held-out split; absent for image folders. */
  test?: () => ImageSet;
  trainSize: number;
  testSize?: number;
  channels: number;
  classes?: number;
  classNames?: readonly string[];
  invert?: boolean;
  record: Dataset['record'];
  sha256?: string;
  notes?: readonly string[];
  /** Paired sets: the input each image (target) comes with. */
  input?: InputSpec;
  /**
   * Captioned sets: what a batch adds for the images it drew (`picks`, indexes into `set`), drawn
   * from `rng` after the picks (captions, their embeddings).
   */
  annotate?(split: Split, set: ImageSet, picks: Int32Array, rng: Rng): Partial<Batch>;
  /** Captioned sets: the conditioning encoder (`Dataset.text`). */
  text?: Dataset['text'];
}

const dimsOf = (s: ImageShape) => s.height * s.width * s.channels;

/** Draws the images of `set` at `pick(i)` into a batch (with their inputs, for paired sets; annotated, for captioned ones). */
function batchOf(s: SetSpec, split: Split, set: ImageSet, n: number, pick: (i: number) => number, rng: Rng): Batch {
  const invert = s.invert ?? false;
  const D = s.size * s.size * set.channels;
  const x = new Float32Array(n * D);
  const labels = set.labels ? new Int32Array(n) : undefined;
  const inputDims = s.input ? dimsOf(s.input.image) : 0;
  const input = s.input ? new Float32Array(n * inputDims) : undefined;
  const picks = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = (picks[i] = pick(i));
    writeImage(set, j, s.size, x, i * D, invert);
    if (input) s.input!.write(split, set, j, input, i * inputDims);
    if (labels) labels[i] = set.labels![j]!;
  }
  const batch: Batch = { n, dims: D, x, ...(labels ? { labels } : {}), ...(input ? { input } : {}) };
  return s.annotate ? { ...batch, ...s.annotate(split, set, picks, rng) } : batch;
}

/**
 * k-th element of a seeded permutation of 0…m−1, cycling when n > m: the first m picks are
 * distinct images, later ones repeat them in the same order.
 */
function permutationPicker(m: number, n: number, rng: Rng): (i: number) => number {
  const perm = Int32Array.from({ length: m }, (_, i) => i);
  const k = Math.min(n, m);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(m - i);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return (i) => perm[i % m]!;
}

/** The data set of `s` (see the module comment). */
export function imageSetDataset(s: SetSpec): Dataset {
  const d: Dataset = {
    name: s.name,
    description: s.description,
    dims: s.size * s.size * s.channels,
    image: { height: s.size, width: s.size, channels: s.channels },
    ...(s.input ? { input: { dims: dimsOf(s.input.image), image: s.input.image } } : {}),
    ...(s.classes ? { classes: s.classes } : {}),
    ...(s.classNames ? { classNames: s.classNames } : {}),
    record: s.record,
    ...(s.sha256 ? { sha256: s.sha256 } : {}),
    trainSize: s.trainSize,
    ...(s.testSize !== undefined ? { heldOutSize: s.testSize } : {}),
    ...(s.notes?.length ? { notes: s.notes } : {}),
    ...(s.text ? { text: s.text } : {}),
    sample(n, rng) {
      const set = s.train();
      return batchOf(s, 'train', set, n, () => rng.int(set.n), rng);
    },
    ...(s.test
      ? {
          heldOut(n: number, rng: Rng) {
            const set = s.test!();
            return batchOf(s, 'test', set, n, permutationPicker(set.n, n, rng), rng);
          },
        }
      : {}),
  };
  SPECS.set(d, s);
  return d;
}

const SPECS = new WeakMap<Dataset, SetSpec>();

/** The spec a data set was built from by {@link imageSetDataset} (undefined for others: 2-D data, stacked-mnist). */
export function specOf(d: Dataset): SetSpec | undefined {
  return SPECS.get(d);
}
