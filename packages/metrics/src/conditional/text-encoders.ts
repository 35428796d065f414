/**
 * The embedded text encoders, trained by fixtures/scripts/train_text_encoders.py and shipped in
 * weights/ (`text-cond-<base>.npz` + `.json`, `text-judge-<base>.npz` + `.json`, ~0.5 MB each):
 *
 * - `text-cond-<base>` (seed 0, half A of the training split) CONDITIONS the generators;
 * - `text-judge-<base>` (seed 1, the disjoint half B) only JUDGES generated images (R-precision,
 *   text alignment), so no generator is scored by the network it was conditioned on.
 *
 * Each is a caption encoder (words → GRU → unit vector, caption-net.ts) trained jointly with an
 * image encoder (the embedded classifiers' conv stack with a 64-wide head, run as ONNX built from
 * the weights) into one space. Both halves of either model are usable; by convention generators
 * only see the cond caption half and metrics only the judge.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GenEvalError, inputError, usageError } from '../errors.js';
import { parseNpz } from '../io/npz.js';
import type { NpyArray } from '../io/npy.js';
import { CLASSIFIER_FEATURES, CLASSIFIER_TENSORS, type ClassifierWeights } from '../extractors/classifiers/graph.js';
import { CAPTION_NET_KEYS, expectedCaptionShapes, type CaptionNetWeights, type WeightTensor } from './caption-net.js';
import type { CaptionedBase } from './types.js';

/** The two roles: `cond` conditions generators, `judge` only judges them. */
export type TextEncoderRole = 'cond' | 'judge';
/** `text-cond-<base>` or `text-judge-<base>`. */
export type TextEncoderName = `text-${TextEncoderRole}-${CaptionedBase}`;

/** The shipped encoders: a conditioning and a judging one per captioned base. */
export const TEXT_ENCODER_NAMES: readonly TextEncoderName[] = ['text-cond-mnist', 'text-judge-mnist', 'text-cond-fashion-mnist', 'text-judge-fashion-mnist'];

/** Held-out retrieval accuracies recorded by the training script (see {@link TextEncoderMetadata}). */
export interface RetrievalRecord {
  readonly pairs: number;
  /** Pairs where no other candidate caption fits the image (same class, named attributes equal). */
  readonly image_to_caption_unambiguous: number;
  /** Pairs where the caption fits no other candidate image. */
  readonly caption_to_image_unambiguous: number;
  readonly image_to_caption_top1: number;
  readonly caption_to_image_top1: number;
  readonly image_to_caption_correct: number;
  readonly caption_to_image_correct: number;
  /** The accuracies over the first `first_pairs` pairs alone (candidates cyclic within them). */
  readonly first_pairs: number;
  readonly first_pairs_image_to_caption_correct: number;
  readonly first_pairs_caption_to_image_correct: number;
}

/** What the training script recorded beside the weights (weights/<name>.json). */
export interface TextEncoderMetadata {
  readonly name: TextEncoderName;
  readonly base: CaptionedBase;
  readonly seed: number;
  readonly dims: number;
  readonly epochs: number;
  readonly grammar_sha256: string;
  /** SHA-256 of the vocabulary the embedding rows index ({@link vocabularySha256}). */
  readonly vocabulary_sha256: string;
  readonly weights_sha256: string;
  readonly retrieval: RetrievalRecord;
  /** The other model of the base and its accuracies under the same protocol. */
  readonly sibling?: { readonly name: TextEncoderName; readonly retrieval: RetrievalRecord };
  readonly [key: string]: unknown;
}

const WEIGHTS_DIR = fileURLToPath(new URL('../../weights/', import.meta.url));

/** Path of a shipped file of the text encoders (`<name>.npz` / `<name>.json`, or the grammar). */
export function textEncoderFile(file: string): string {
  return `${WEIGHTS_DIR}${file}`;
}

/** SHA-256 (hex) of the words in id order, each followed by a newline (UTF-8), as the training script computes it. */
export function vocabularySha256(words: readonly string[]): string {
  return createHash('sha256')
    .update(words.map((w) => `${w}\n`).join(''))
    .digest('hex');
}

function checkName(name: string): TextEncoderName {
  if (!(TEXT_ENCODER_NAMES as readonly string[]).includes(name)) {
    throw usageError(`unknown text encoder "${name}"; expected one of ${TEXT_ENCODER_NAMES.join(', ')}`);
  }
  return name as TextEncoderName;
}

function readShipped(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new GenEvalError(`${file}: the ${what} is missing (${(err as NodeJS.ErrnoException).code ?? String(err)}); reinstall @gen-eval/metrics`);
  }
}

/** The recorded metadata of a shipped text encoder. */
export function textEncoderMetadata(name: string): TextEncoderMetadata {
  const file = textEncoderFile(`${checkName(name)}.json`);
  try {
    return JSON.parse(readShipped(file, `${name} metadata`).toString('utf8')) as TextEncoderMetadata;
  } catch (err) {
    if (err instanceof GenEvalError) throw err;
    throw inputError(file, `not valid JSON (${(err as Error).message})`);
  }
}

/** A text encoder's checked weights: the caption network and the image network's tensors. */
export interface TextEncoderWeights {
  readonly file: string;
  readonly sha256: string;
  readonly caption: CaptionNetWeights;
  /** Keyed like the classifiers' (conv1.weight, …, fc2.weight of `dims` rows, norm_mean, norm_std). */
  readonly image: ClassifierWeights;
  readonly dims: number;
  readonly vocabulary: number;
}

function tensor(arrays: Record<string, NpyArray>, file: string, key: string, shape: readonly (number | null)[]): WeightTensor {
  const a = arrays[key];
  const fits = a !== undefined && a.data instanceof Float32Array && a.shape.length === shape.length && shape.every((d, i) => d === null || d === a.shape[i]);
  if (!fits) {
    const want = shape.map((d) => d ?? '·').join(', ');
    throw inputError(file, `tensor ${key} should be float32 (${want}), found ${a === undefined ? 'none' : `${a.dtype} (${a.shape.join(', ')})`}`);
  }
  return { data: a.data as Float32Array, shape: a.shape };
}

/**
 * Parses and checks a text encoder's weights: SHA-256 against `expectedSha256` (when given), every
 * tensor's presence, dtype and shape. Each problem is one error naming the file.
 */
export function parseTextEncoderWeights(bytes: Uint8Array, file: string, expectedSha256?: string): TextEncoderWeights {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
    throw new GenEvalError(`${file}: SHA-256 ${sha256.slice(0, 16)}… differs from the recorded ${expectedSha256.slice(0, 16)}… (damaged install); reinstall @gen-eval/metrics`);
  }
  const arrays = parseNpz(bytes, file);
  const embed = tensor(arrays, file, CAPTION_NET_KEYS.embed, [null, null]);
  const proj = tensor(arrays, file, CAPTION_NET_KEYS.proj, [null, null]);
  const [vocabulary, wordDims] = embed.shape as [number, number];
  const [dims, hidden] = proj.shape as [number, number];
  const shapes = expectedCaptionShapes(vocabulary, wordDims, hidden, dims);
  const caption = Object.fromEntries(
    (Object.keys(CAPTION_NET_KEYS) as (keyof CaptionNetWeights)[]).map((k) => [k, tensor(arrays, file, CAPTION_NET_KEYS[k], shapes[k])]),
  ) as unknown as CaptionNetWeights;
  const image = new Map<string, WeightTensor>();
  for (const [key, shape] of Object.entries(CLASSIFIER_TENSORS)) {
    const want = key === 'fc2.weight' ? [dims, CLASSIFIER_FEATURES] : key === 'fc2.bias' ? [dims] : shape;
    image.set(key, tensor(arrays, file, key.startsWith('norm_') ? key : `image.${key}`, want));
  }
  return { file, sha256, caption, image, dims, vocabulary };
}

/** Reads a shipped encoder's weights, checked against its recorded SHA-256 and the grammar's. */
export function loadTextEncoderWeights(name: string): { readonly weights: TextEncoderWeights; readonly metadata: TextEncoderMetadata } {
  const metadata = textEncoderMetadata(name);
  const file = textEncoderFile(`${name}.npz`);
  const weights = parseTextEncoderWeights(readShipped(file, `${name} encoder's weights`), file, metadata.weights_sha256);
  return { weights, metadata };
}
