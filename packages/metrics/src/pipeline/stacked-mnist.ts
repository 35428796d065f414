/**
 * Stacked-MNIST mode counting (Metz et al. 2017; PacGAN, VEEGAN): each sample stacks three digits,
 * one per RGB channel; the embedded `mnist` classifier labels every channel on its own, so a sample
 * falls in one of 10³ = 1 000 modes (100·R + 10·G + B). Reported: modes covered and
 * KL(mode histogram ‖ uniform) — the `classes` protocol's numbers on the predicted labels.
 *
 * Samples are a folder of RGB images (decoded, resized to 28 and cached like any image folder) or an
 * `.npy` array N×H×W×3 of uint8 0–255 or floats in [0, 1] (resized to 28 like the pytorch-fid
 * profile: ToTensor then torch's bilinear, align_corners=False).
 */
import { GenEvalError, inputError } from '../errors.js';
import { CLASSIFIER_CLASSES, CLASSIFIER_INPUT_SIZE } from '../extractors/classifiers/graph.js';
import type { FeatureExtractor } from '../extractors/extractor.js';
import { checkBatch } from '../extractors/extractor.js';
import { listImages, type ImageListing } from '../image/list-images.js';
import { loadSharp } from '../image/load-sharp.js';
import { preprocessProfile } from '../image/profiles.js';
import { DEFAULTS } from '../defaults.js';
import { readNpy, type NpyArray } from '../io/npy.js';
import { classCoverage, type ClassCoverageResult } from '../modes/class-coverage.js';
import { existsSync, statSync } from 'node:fs';
import { extractFolder } from './extract-folder.js';
import { checkImageArray, imageArrayBatch, type ImageArray } from './image-array.js';
import { ExtractorSession, type InputOptions } from './load-input.js';

/** Digits per sample (RGB) and the number of Stacked-MNIST modes. */
export const STACKED_CHANNELS = 3;
/** Stacked-MNIST modes: 10³ digit triples. */
export const STACKED_MODES = CLASSIFIER_CLASSES ** STACKED_CHANNELS;

/**
 * Wraps the digit classifier so that each of an image's three channels is classified on its own
 * (as a gray image: the channel repeated, which the classifier's gray conversion maps back to the
 * channel since its weights sum to 1). Output `features`: the 3 × 10 logits of each image (R, G, B).
 * A wrapper rather than a loop, so image folders get the pipeline's decoding, resizing and cache.
 */
export function stackedExtractor(mnist: FeatureExtractor): FeatureExtractor {
  const { input } = mnist;
  if (mnist.outputs.logits !== CLASSIFIER_CLASSES) throw new GenEvalError(`${mnist.name} has no ${CLASSIFIER_CLASSES} logits; stacked-mnist needs the mnist classifier`);
  const name = `stacked-mnist/${mnist.name}`;
  const hw = input.height * input.width;
  return {
    name,
    input,
    outputs: { features: STACKED_CHANNELS * CLASSIFIER_CLASSES },
    async run(batch, n) {
      checkBatch(name, input, batch, n);
      // image i, channel c → gray image 3i + c
      const split = new Float32Array(n * STACKED_CHANNELS * 3 * hw);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < STACKED_CHANNELS; c++) {
          const plane = batch.subarray((i * 3 + c) * hw, (i * 3 + c + 1) * hw);
          const dst = (i * STACKED_CHANNELS + c) * 3 * hw;
          for (let k = 0; k < 3; k++) split.set(plane, dst + k * hw);
        }
      }
      const { logits } = await mnist.run(split, n * STACKED_CHANNELS);
      if (logits === undefined) throw new GenEvalError(`${mnist.name} returned no logits`);
      return { features: logits }; // n × (3·10), row-major: already one row per image
    },
    dispose: () => mnist.dispose(),
  };
}

/** Per-channel digits (argmax of each channel's 10 logits; the first maximum on ties): n × 3. */
export function digitsFromLogits(logits: ArrayLike<number>, n: number): Int32Array {
  const out = new Int32Array(n * STACKED_CHANNELS);
  for (let r = 0; r < n * STACKED_CHANNELS; r++) {
    let best = 0;
    for (let k = 1; k < CLASSIFIER_CLASSES; k++) if (logits[r * CLASSIFIER_CLASSES + k]! > logits[r * CLASSIFIER_CLASSES + best]!) best = k;
    out[r] = best;
  }
  return out;
}

/**
 * Checks an `.npy` of stacked samples: N×H×W×3 of uint8 (0–255) or floats in [0, 1]; anything else
 * (one channel above all) is an error naming the file.
 */
export function checkStackedArray(arr: NpyArray, file: string): ImageArray {
  const s = arr.shape;
  if (s.length !== 4 || s[3] !== STACKED_CHANNELS) {
    const got = s.length === 3 || (s.length === 4 && s[3] === 1) ? ' (one channel: not stacked)' : '';
    throw inputError(file, `stacked-mnist samples must be N×H×W×3 (three digits, one per channel), got shape (${s.join(', ')})${got}`);
  }
  return checkImageArray(arr, file);
}

/** Samples per classifier call for arrays (3 digits each: bounded memory at any N). */
const ARRAY_CHUNK = 1024;

/** Refuses images whose file has fewer than three colour channels (gray, gray + alpha). */
async function checkColourFiles(listing: ImageListing): Promise<void> {
  const CHUNK = 64;
  const sharp = await loadSharp();
  for (let start = 0; start < listing.files.length; start += CHUNK) {
    await Promise.all(
      listing.files.slice(start, start + CHUNK).map(async (f) => {
        if (f.problem !== undefined) return; // the decoder reports it
        if (/\.pgm$/i.test(f.path)) throw inputError(f.path, 'is a gray (one-channel) image; stacked-mnist samples need three channels (one digit each)');
        let channels: number | undefined;
        let space: string | undefined;
        try {
          ({ channels, space } = await sharp(f.path).metadata());
        } catch {
          return; // not readable by sharp (BMP, PPM) or damaged: the decoder decides
        }
        if (channels !== undefined && (channels < 3 || space === 'b-w')) {
          throw inputError(f.path, `is a gray (${channels === 2 ? 'gray + alpha' : 'one-channel'}) image; stacked-mnist samples need three channels (one digit each)`);
        }
      }),
    );
  }
}

/** The result of {@link stackedMnistModes}. */
export interface StackedMnistResult extends ClassCoverageResult {
  /** Predicted digits, n × 3 (R, G, B), row-major; sample i's mode is 100·R + 10·G + B. */
  readonly digits: Int32Array;
  /** The extractor that labelled the channels (e.g. `mnist@1a2b3c4d:128`). */
  readonly classifier: string;
  readonly warnings: readonly string[];
}

/** Options: the image-pipeline options (the extractor is always `mnist`). */
export type StackedMnistOptions = Omit<InputOptions, 'extractor' | 'weights' | 'dims' | 'normalize' | 'inputSize' | 'layout'>;

/**
 * Stacked-MNIST modes of a sample folder or `.npy` array (see the module comment): modes covered
 * of 1 000 and KL to uniform (a perfect generator scores ≈ 0.023 at 26 000 samples).
 */
export async function stackedMnistModes(path: string, options: StackedMnistOptions = {}): Promise<StackedMnistResult> {
  if (!existsSync(path)) throw inputError(path, 'no such file or folder');
  const session = new ExtractorSession({ ...options, extractor: 'mnist' });
  try {
    let logits: ArrayLike<number>;
    let n: number;
    const warnings: string[] = [];
    if (statSync(path).isDirectory()) {
      const listing = await listImages(path);
      await checkColourFiles(listing);
      const { extractor } = await session.get();
      const stacked = stackedExtractor(extractor);
      const profile = preprocessProfile(options.profile ?? DEFAULTS.imageProfile, CLASSIFIER_INPUT_SIZE, [0, 1]);
      const set = await extractFolder(path, {
        extractor: stacked,
        profile,
        listing,
        batchSize: options.batchSize ?? DEFAULTS.batchSize,
        workers: options.workers ?? DEFAULTS.decodeWorkers,
        skipBad: options.skipBad ?? false,
        cacheRoot: session.cacheRoot(),
        quiet: options.quiet ?? true,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      warnings.push(...session.takeCacheWarnings());
      if (set.skipped.length > 0) warnings.push(`${path}: skipped ${set.skipped.length} image(s) that could not be decoded (first: ${set.skipped[0]!.reason})`);
      logits = set.features.data;
      n = set.n;
    } else {
      if (!path.toLowerCase().endsWith('.npy')) throw inputError(path, 'stacked-mnist samples must be an image folder or a .npy array N×H×W×3');
      const a = checkStackedArray(readNpy(path), path);
      const stacked = stackedExtractor((await session.get()).extractor);
      const all = new Float32Array(a.n * STACKED_CHANNELS * CLASSIFIER_CLASSES);
      for (let start = 0; start < a.n; start += ARRAY_CHUNK) {
        const m = Math.min(ARRAY_CHUNK, a.n - start);
        const { features } = await stacked.run(imageArrayBatch(a, path, CLASSIFIER_INPUT_SIZE, start, m), m);
        all.set(features, start * STACKED_CHANNELS * CLASSIFIER_CLASSES);
      }
      logits = all;
      n = a.n;
    }
    const digits = digitsFromLogits(logits, n);
    const r = classCoverage(digits, [n, STACKED_CHANNELS], CLASSIFIER_CLASSES, { name: path });
    const { extractor } = await session.get();
    return { ...r, digits, classifier: extractor.name, warnings };
  } finally {
    await session.dispose();
  }
}
