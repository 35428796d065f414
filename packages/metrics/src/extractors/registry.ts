/**
 * The registry of feature extractors, addressed by a spec string (what `--extractor` takes):
 *  - `inception`  pytorch-fid's FID Inception-v3 (weights pt_inception-2015-12-05-6726825d.pth),
 *                 `dims` 64 / 192 / 768 / 2048, optional unbiased logits for the IS;
 *  - `mobilenet`  @tensorflow-models/mobilenet's embedding, from a local TF.js model folder (`weights`);
 *  - `onnx:PATH`  any ONNX model, with declared input size, layout and normalisation;
 *  - `mnist`, `fashion-mnist`  the embedded 28×28 CNN classifiers (weights shipped in this package).
 */
import { GenEvalError } from '../errors.js';
import type { FeatureExtractor } from './extractor.js';
import { createInceptionExtractor, type InceptionExtractorOptions, type InceptionModel, type InceptionModelOptions } from './inception/inception-extractor.js';
import { createOnnxExtractor, type Normalization, type OnnxExtractorOptions } from './onnx-extractor.js';
import { createMobilenetExtractor } from './mobilenet/mobilenet-extractor.js';
import { CLASSIFIER_NAMES, createClassifierExtractor, type ClassifierName } from './classifiers/classifier-extractor.js';

export type ExtractorSpec = { readonly kind: 'inception' } | { readonly kind: 'mobilenet' } | { readonly kind: 'onnx'; readonly path: string }
  | { readonly kind: 'classifier'; readonly name: ClassifierName };

/** The spec forms, for help texts. */
export const EXTRACTOR_SPECS: readonly { readonly spec: string; readonly description: string }[] = [
  { spec: 'inception', description: "pytorch-fid's Inception-v3 (FID/KID/IS standard), built from its .pth weights" },
  { spec: 'mobilenet', description: "@tensorflow-models/mobilenet's embedding, from a local TF.js graph-model folder (--weights DIR; no download)" },
  { spec: 'onnx:PATH', description: 'a user ONNX model (e.g. DINOv2, CLIP) with declared input size, layout and normalisation' },
  { spec: 'mnist', description: 'embedded 28×28 digit classifier (features 128, logits 10; shipped weights, no download)' },
  { spec: 'fashion-mnist', description: 'embedded 28×28 Fashion-MNIST classifier (features 128, logits 10; shipped weights)' },
];

/** Parses `inception` or `onnx:PATH`; anything else is a usage error listing the choices. */
export function parseExtractorSpec(spec: string): ExtractorSpec {
  if (spec === 'inception') return { kind: 'inception' };
  if (spec === 'mobilenet') return { kind: 'mobilenet' };
  if ((CLASSIFIER_NAMES as readonly string[]).includes(spec)) return { kind: 'classifier', name: spec as ClassifierName };
  if (spec.startsWith('onnx:') && spec.length > 'onnx:'.length) return { kind: 'onnx', path: spec.slice('onnx:'.length) };
  throw new GenEvalError(`unknown extractor "${spec}"; choose one of: ${EXTRACTOR_SPECS.map((e) => e.spec).join(', ')}`);
}

/** Options for any extractor; each kind reads its own. */
export interface ExtractorOptions extends InceptionExtractorOptions, InceptionModelOptions, Partial<Omit<OnnxExtractorOptions, 'normalize'>> {
  /** inception: path of the weight file (the pipeline downloads/caches it); mobilenet: the model folder ... */
  readonly weights?: string;
  /** ... or a model already built by `buildInceptionModel` (e.g. from a cache). */
  readonly model?: InceptionModel;
  /** onnx: the normalisation the model expects (required for onnx:PATH). */
  readonly normalize?: Normalization;
}

/** Creates the extractor a spec names. */
export async function createExtractor(spec: string, options: ExtractorOptions = {}): Promise<FeatureExtractor> {
  const parsed = parseExtractorSpec(spec);
  if (parsed.kind === 'inception') {
    const source = options.model ?? options.weights;
    if (source === undefined) throw new GenEvalError('the inception extractor needs its weights (pt_inception-2015-12-05-6726825d.pth) or a built model');
    if (options.model !== undefined && options.dims !== undefined && options.dims !== options.model.dims) {
      throw new GenEvalError(`the built inception model has dims ${options.model.dims}, not ${options.dims}`);
    }
    if (options.model !== undefined && options.logits === true && !options.model.logits) {
      throw new GenEvalError('the built inception model has no logits output; rebuild it with logits');
    }
    return createInceptionExtractor(source, options);
  }
  if (parsed.kind === 'classifier') {
    const { threads, executionProvider, maxBatch } = options;
    return createClassifierExtractor(parsed.name, { ...(threads !== undefined ? { threads } : {}), ...(executionProvider ? { executionProvider } : {}), ...(maxBatch !== undefined ? { maxBatch } : {}) });
  }
  if (parsed.kind === 'mobilenet') return createMobilenetExtractor(options.weights, options.maxBatch !== undefined ? { maxBatch: options.maxBatch } : {});
  if (options.normalize === undefined) {
    throw new GenEvalError(`${spec}: declare the pixel normalisation the model expects (unit, symmetric, imagenet or clip)`);
  }
  return createOnnxExtractor(parsed.path, { ...options, normalize: options.normalize });
}
