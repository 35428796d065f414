/**
 * The embedded extractors `mnist` and `fashion-mnist`: small CNN classifiers whose float32 weights
 * ship with this package (weights/<name>.npz, ~390 KB, with <name>.json recording the data set,
 * split, held-out accuracy, seed and SHA-256; trained by fixtures/scripts/train_digit_classifiers.py).
 * The ONNX model is built from the weights at run time (milliseconds), so nothing is downloaded.
 *
 * Input: n × 3 × 28 × 28 RGB in [0, 1] (the pipeline resizes other sizes to 28); outputs the
 * 128 penultimate-layer `features` (fc1 before its ReLU; see graph.ts) and the 10 class `logits`
 * (for the Inception Score).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULTS } from '../../defaults.js';
import { GenEvalError } from '../../errors.js';
import { parseNpz } from '../../io/npz.js';
import { checkBatch, type ExtractorInput, type FeatureExtractor } from '../extractor.js';
import { loadOrt } from '../ort.js';
import { checkSessionOptions, createSession, releaseOnce, runInChunks, type OnnxSessionOptions, type OutputSpec } from '../session.js';
import { buildClassifierGraph, CLASSIFIER_CLASSES, CLASSIFIER_FEATURES, CLASSIFIER_INPUT_SIZE, CLASSIFIER_TENSORS, type ClassifierWeights } from './graph.js';

/** Names of the embedded classifiers (also their `--extractor` specs). */
export const CLASSIFIER_NAMES = ['mnist', 'fashion-mnist'] as const;
/** An embedded classifier: `'mnist'` or `'fashion-mnist'`. */
export type ClassifierName = (typeof CLASSIFIER_NAMES)[number];

/** What the training script recorded beside the weights (weights/<name>.json). */
export interface ClassifierMetadata {
  readonly name: ClassifierName;
  readonly dataset: string;
  readonly split: string;
  readonly train_samples: number;
  readonly test_samples: number;
  /** Held-out accuracy of the torch model, in [0, 1]. */
  readonly test_accuracy: number;
  readonly test_correct: number;
  readonly normalization: { readonly mean: number; readonly std: number };
  readonly weights: string;
  readonly weights_sha256: string;
  readonly script: string;
  readonly seed: number;
  readonly torch_version: string;
  readonly [key: string]: unknown;
}

/** The folder of the shipped weights (same depth from src/ and dist/). */
const WEIGHTS_DIR = fileURLToPath(new URL('../../../weights/', import.meta.url));

/** Path of a shipped file of the classifiers (`<name>.npz` or `<name>.json`). */
export function classifierFile(name: ClassifierName, ext: 'npz' | 'json'): string {
  return `${WEIGHTS_DIR}${name}.${ext}`;
}

/** The recorded metadata of an embedded classifier (data set, split, accuracy, SHA-256, ...). */
export function classifierMetadata(name: ClassifierName): ClassifierMetadata {
  return JSON.parse(readFileSync(classifierFile(name, 'json'), 'utf8')) as ClassifierMetadata;
}

/** `mnist@<first 8 hex of the weights' SHA-256>:128`. */
export function classifierExtractorName(name: ClassifierName, sha256: string): string {
  return `${name}@${sha256.slice(0, 8)}:${CLASSIFIER_FEATURES}`;
}

/** A loaded classifier: its checked weights and the ONNX bytes built from them. */
export interface ClassifierModel {
  readonly name: ClassifierName;
  readonly metadata: ClassifierMetadata;
  readonly weights: ClassifierWeights;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

/**
 * Reads the shipped weights, checks them against the recorded SHA-256 and shapes, and builds the
 * ONNX model. A damaged install is one error naming the file.
 */
export function loadClassifierModel(name: ClassifierName): ClassifierModel {
  const file = classifierFile(name, 'npz');
  const metadata = classifierMetadata(name);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new GenEvalError(`${file}: the ${name} classifier's weights are missing (${(err as NodeJS.ErrnoException).code ?? String(err)}); reinstall @gen-eval/metrics`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== metadata.weights_sha256) {
    throw new GenEvalError(
      `${file}: SHA-256 ${sha256.slice(0, 16)}… differs from the recorded ${metadata.weights_sha256.slice(0, 16)}… (damaged install); reinstall @gen-eval/metrics`,
    );
  }
  const arrays = parseNpz(bytes, file);
  const weights = new Map<string, { data: Float32Array; shape: readonly number[] }>();
  for (const [key, shape] of Object.entries(CLASSIFIER_TENSORS)) {
    const a = arrays[key];
    if (a === undefined || !(a.data instanceof Float32Array) || a.shape.join() !== shape.join()) {
      throw new GenEvalError(`${file}: tensor ${key} should be float32 (${shape.join(', ')}), found ${a === undefined ? 'none' : `${a.dtype} (${a.shape.join(', ')})`}`);
    }
    weights.set(key, { data: a.data, shape: a.shape });
  }
  return { name, metadata, weights, sha256, bytes: buildClassifierGraph(weights, `gen-eval-${name}-cnn`) };
}

/** Options of `createClassifierExtractor`: onnxruntime session options and the batch size. */
export interface ClassifierExtractorOptions extends OnnxSessionOptions {
  /** Images per onnxruntime call; default `DEFAULTS.extractorMaxBatch`. */
  readonly maxBatch?: number;
}

/** An embedded classifier extractor; also tells its recorded metadata. */
export interface ClassifierExtractor extends FeatureExtractor {
  readonly metadata: ClassifierMetadata;
}

/** Creates the `mnist` or `fashion-mnist` extractor (features 128, logits 10). */
export async function createClassifierExtractor(name: ClassifierName, options: ClassifierExtractorOptions = {}): Promise<ClassifierExtractor> {
  checkSessionOptions(options);
  const model = loadClassifierModel(name);
  const extractorName = classifierExtractorName(name, model.sha256);
  const session = await createSession(model.bytes, extractorName, options);
  const { Tensor } = await loadOrt();
  const s = CLASSIFIER_INPUT_SIZE;
  const input: ExtractorInput = { height: s, width: s, channels: 3, layout: 'NCHW', range: [0, 1] };
  const outputs: OutputSpec[] = [
    { name: 'features', dim: CLASSIFIER_FEATURES },
    { name: 'logits', dim: CLASSIFIER_CLASSES },
  ];
  const maxBatch = options.maxBatch ?? DEFAULTS.extractorMaxBatch;
  return {
    name: extractorName,
    metadata: model.metadata,
    input,
    outputs: { features: CLASSIFIER_FEATURES, logits: CLASSIFIER_CLASSES },
    async run(batch, n) {
      const per = checkBatch(extractorName, input, batch, n);
      const [features, logits] = await runInChunks(session, (chunk, m) => ({ images: new Tensor('float32', chunk, [m, 3, s, s]) }), batch, n, per, maxBatch, outputs);
      return { features: features!, logits: logits! };
    },
    dispose: releaseOnce(session),
  };
}
