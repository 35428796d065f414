/**
 * `loadCaptionEncoder` and `loadJudge`: the shipped text encoders as the {@link CaptionEncoder} and
 * {@link ImageTextJudge} of types.ts. The caption half runs in TypeScript (caption-net.ts); the
 * judge's image half is the embedded classifiers' ONNX graph with the encoder's 64-wide head,
 * created on the first `encodeImages` call (onnxruntime is imported only then).
 */
import type * as ort from 'onnxruntime-node';
import { GenEvalError, usageError } from '../errors.js';
import { buildClassifierGraph, CLASSIFIER_INPUT_SIZE } from '../extractors/classifiers/graph.js';
import { loadOrt } from '../extractors/ort.js';
import { checkSessionOptions, createSession, releaseOnce, runInChunks, type OnnxSessionOptions } from '../extractors/session.js';
import { embedTokenIds, writeUnitRow } from './caption-net.js';
import { captionVocabulary, tokenizeCaption } from './captions.js';
import { CAPTION_GRAMMAR_FILE, loadCaptionGrammar } from './grammar.js';
import { loadTextEncoderWeights, vocabularySha256, type TextEncoderMetadata, type TextEncoderWeights } from './text-encoders.js';
import type { CaptionedBase, CaptionEncoder, ImageTextJudge } from './types.js';

/** A caption encoder with the metadata its training recorded. */
export interface LoadedCaptionEncoder extends CaptionEncoder {
  readonly metadata: TextEncoderMetadata;
}

/** The judge, with the metadata its training recorded and a `dispose` for its onnxruntime session. */
export interface LoadedJudge extends ImageTextJudge {
  readonly metadata: TextEncoderMetadata;
  /** Releases the image encoder's session (if one was created); idempotent. */
  dispose(): Promise<void>;
}

/** Options of {@link loadJudge}: onnxruntime session settings and the images per call. */
export interface JudgeOptions extends OnnxSessionOptions {
  /** Images per onnxruntime call; default 256 (the network is small). */
  readonly maxBatch?: number;
}

/** Distinct captions remembered per encoder (a grammar writes a few thousand; the cap bounds memory). */
const CACHE_LIMIT = 65_536;

/**
 * Caption encoder over already-checked weights; `tokenize` maps a caption to vocabulary ids. Rows
 * are memoised by caption text: training draws the same few thousand captions again and again, and
 * the encoder is a pure function of the text.
 */
export function captionEncoderFrom(name: string, weights: TextEncoderWeights, tokenize: (caption: string) => readonly number[]): CaptionEncoder {
  const dims = weights.dims;
  const cache = new Map<string, Float32Array>();
  return {
    name,
    dims,
    encode(captions) {
      const missing = [...new Set(captions.filter((c) => !cache.has(c)))];
      const fresh = embedTokenIds(weights.caption, missing.map(tokenize));
      if (cache.size + missing.length > CACHE_LIMIT) cache.clear();
      const rows = new Map(missing.map((c, i) => [c, fresh.subarray(i * dims, (i + 1) * dims)]));
      for (const [c, row] of rows) cache.set(c, row);
      const out = new Float32Array(captions.length * dims);
      captions.forEach((c, i) => out.set(rows.get(c) ?? cache.get(c)!, i * dims));
      return out;
    },
  };
}

const PIXELS = CLASSIFIER_INPUT_SIZE * CLASSIFIER_INPUT_SIZE;

/**
 * Image encoder over already-checked weights: n gray 28 × 28 images in [0, 1] → n × dims unit rows.
 * The classifiers' graph takes RGB and converts with luma weights that sum to 1, so the gray image
 * is fed as three equal channels.
 */
export function imageEncoderFrom(
  name: string,
  weights: TextEncoderWeights,
  options: JudgeOptions = {},
): { encodeImages(images: Float32Array, n: number): Promise<Float32Array>; dispose(): Promise<void> } {
  checkSessionOptions(options);
  const maxBatch = options.maxBatch ?? 256;
  let session: Promise<ort.InferenceSession> | undefined;
  let release: (() => Promise<void>) | undefined;
  const open = async () => {
    const s = await createSession(buildClassifierGraph(weights.image, `gen-eval-${name}-image`, weights.dims), name, options);
    release = releaseOnce(s);
    return s;
  };
  return {
    async encodeImages(images, n) {
      if (!Number.isInteger(n) || n < 0 || images.length !== n * PIXELS) {
        throw usageError(`${name}: expected ${n} × 28 × 28 = ${n * PIXELS} image values, got ${images.length}`);
      }
      const { Tensor } = await loadOrt();
      session ??= open();
      const feed = (chunk: Float32Array, m: number) => {
        const rgb = new Float32Array(m * 3 * PIXELS);
        for (let i = 0; i < m; i++) {
          const src = chunk.subarray(i * PIXELS, (i + 1) * PIXELS);
          for (let c = 0; c < 3; c++) rgb.set(src, (i * 3 + c) * PIXELS);
        }
        return { images: new Tensor('float32', rgb, [m, 3, CLASSIFIER_INPUT_SIZE, CLASSIFIER_INPUT_SIZE]) };
      };
      const [raw] = await runInChunks(await session, feed, images, n, PIXELS, maxBatch, [{ name: 'logits', dim: weights.dims }]);
      const out = new Float32Array(n * weights.dims);
      for (let i = 0; i < n; i++) writeUnitRow(raw!.subarray(i * weights.dims, (i + 1) * weights.dims), out, i * weights.dims);
      return out;
    },
    async dispose() {
      const open = session;
      session = undefined;
      if (open !== undefined) {
        await open;
        await release?.();
      }
    },
  };
}

/**
 * Words → vocabulary ids of the base's grammar, checked against the vocabulary the weights were
 * trained with (its recorded SHA-256); an unknown word is a usage error naming it and the caption.
 */
export function captionTokenizer(
  name: string,
  metadata: TextEncoderMetadata,
  weights: TextEncoderWeights,
  vocabulary: readonly string[] = captionVocabulary(metadata.base, loadCaptionGrammar()),
): (caption: string) => number[] {
  if (vocabularySha256(vocabulary) !== metadata.vocabulary_sha256 || vocabulary.length !== weights.vocabulary) {
    throw new GenEvalError(
      `${weights.file}: trained on another vocabulary than ${CAPTION_GRAMMAR_FILE} gives for ${metadata.base} (${vocabulary.length} words now, ${weights.vocabulary} in the weights); retrain with fixtures/scripts/train_text_encoders.py`,
    );
  }
  const ids = new Map(vocabulary.map((w, i) => [w, i]));
  return (caption) => {
    const words = tokenizeCaption(caption);
    if (words.length === 0) throw usageError(`caption "${caption}" has no words (${name})`);
    return words.map((w) => {
      const id = ids.get(w);
      if (id === undefined) throw usageError(`caption "${caption}": unknown word "${w}" (not in the ${metadata.base} captions' vocabulary of ${name})`);
      return id;
    });
  };
}

/**
 * The caption half of a shipped encoder (`text-cond-<base>` to condition a generator,
 * `text-judge-<base>` to judge): captions → n × dims unit rows. Weights problems (missing, damaged,
 * another vocabulary) are one-line errors naming the file; an unknown encoder name is a usage error.
 */
export function loadCaptionEncoder(name: string): LoadedCaptionEncoder {
  const { weights, metadata } = loadTextEncoderWeights(name);
  return { ...captionEncoderFrom(name, weights, captionTokenizer(name, metadata, weights)), metadata };
}

/**
 * The judge of a base (`text-judge-<base>`): its caption encoder and its image encoder, trained
 * jointly into one space. It never conditions a generator, so a generator is not scored by the
 * network it was trained against.
 */
export function loadJudge(base: CaptionedBase, options: JudgeOptions = {}): LoadedJudge {
  const name = `text-judge-${base}`;
  const { weights, metadata } = loadTextEncoderWeights(name);
  const images = imageEncoderFrom(name, weights, options);
  return { ...captionEncoderFrom(name, weights, captionTokenizer(name, metadata, weights)), metadata, ...images };
}
