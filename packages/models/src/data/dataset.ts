/**
 * What a training set is to the loop: samples on demand from a seeded Rng, its shape, its modes.
 * A file of its own so that the built-in sets (datasets.ts) and the image sets (images.ts) share it
 * without importing each other.
 */
import type { DataRecord } from '@gen-eval/metrics/runs';
import type { Mixture2d } from '@gen-eval/metrics';
import type { Batch } from '../family.js';
import type { Rng } from '../rng.js';
import type { ImageShape } from './image-set.js';

/** A training set: what it is, and how to draw from it. */
export interface Dataset {
  /** Name as given to `--data` (a registered name, the .npy path or the image folder). */
  readonly name: string;
  readonly description: string;
  /** Values per sample (images: height·width·channels). */
  readonly dims: number;
  /**
   * Paired data sets (edges2fashion, super-resolution pairs, `--data-pairs`): the shape of the
   * input image each sample comes with; `sample` and `heldOut` then fill `Batch.input`, and the
   * sample itself (`x`, described by `image`) is the input's target.
   */
  readonly input?: { readonly dims: number; readonly image: ImageShape };
  /**
   * Image data sets: the shape of a sample. Samples are then NHWC float32 in [−1, 1]
   * (sample i, row y, column x, channel c at ((i·h + y)·w + x)·c_count + c).
   */
  readonly image?: ImageShape;
  /** The mixture the data is drawn from, when it has modes (mode diagnostics use it). */
  readonly mixture?: Mixture2d;
  /** Number of modes (classes), when samples carry their mode index as a label. */
  readonly classes?: number;
  /** Name of each class (label i ↦ classNames[i]) where classes have names (digits, clothes, subfolders). */
  readonly classNames?: readonly string[];
  /** SHA-256 of a file's bytes (.npy sets) or of an image folder's listing, recorded in the run's config. */
  readonly sha256?: string;
  /** What a run's config records as `data` (see DataRecord; read it with {@link dataRecord}). */
  readonly record?: DataRecord;
  /** Images the training batches are drawn from (image sets). */
  readonly trainSize?: number;
  /** Images of the held-out split (sets with a fixed one: mnist, mnist-inverted, fashion-mnist). */
  readonly heldOutSize?: number;
  /** What the loader did that the user should know (e.g. images resized), one line each; the CLI prints them. */
  readonly notes?: readonly string[];
  /**
   * Captioned data sets: the conditioning encoder; `sample` and `heldOut` then fill
   * `Batch.captions` and `Batch.text` (its embeddings of them). Sampling by caption encodes with it too.
   */
  readonly text?: import('@gen-eval/metrics/conditional').CaptionEncoder;
  /** n samples (with labels when the data has modes); image sets draw from their training split only. */
  sample(n: number, rng: Rng): Batch;
  /**
   * n samples of the held-out split, never trained on (mnist*, fashion-mnist: distinct images in
   * an order drawn from `rng`, repeating only once n exceeds heldOutSize; stacked-mnist: triples
   * of held-out digits).
   */
  heldOut?(n: number, rng: Rng): Batch;
}
