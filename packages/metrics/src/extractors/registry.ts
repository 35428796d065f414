/**
 * The registry of feature extractors, addressed by a spec string (what `--extractor` takes):
 *  - `inception`  pytorch-fid's FID Inception-v3 (weights pt_inception-2015-12-05-6726825d.pth),
 *                 `dims` 64 / 192 / 768 / 2048, optional unbiased logits for the IS;
 *  - `onnx:PATH`  any ONNX model, with declared input size, layout and normalisation.
 */
import { GenEvalError } from '../errors.js';
import type { FeatureExtractor } from './extractor.js';
import { createInceptionExtractor, type InceptionExtractorOptions, type InceptionModel, type InceptionModelOptions } from './inception/inception-extractor.js';
import { createOnnxExtractor, type Normalization, type OnnxExtractorOptions } from './onnx-extractor.js';

export type ExtractorSpec = { readonly kind: 'inception' } | { readonly kind: 'onnx'; readonly path: string };

/** The spec forms, for help texts. */
export const EXTRACTOR_SPECS: readonly { readonly spec: string; readonly description: string }[] = [
  { spec: 'inception', description: "pytorch-fid's Inception-v3 (FID/KID/IS standard), built from its .pth weights" },
  { spec: 'onnx:PATH', description: 'a user ONNX model (e.g. DINOv2, CLIP) with declared input size, layout and normalisation' },
];

/** Parses `inception` or `onnx:PATH`; anything else is a usage error listing the choices. */
export function parseExtractorSpec(spec: string): ExtractorSpec {
  if (spec === 'inception') return { kind: 'inception' };
  if (spec.startsWith('onnx:') && spec.length > 'onnx:'.length) return { kind: 'onnx', path: spec.slice('onnx:'.length) };
  throw new GenEvalError(`unknown extractor "${spec}"; choose one of: ${EXTRACTOR_SPECS.map((e) => e.spec).join(', ')}`);
}

/** Options for any extractor; each kind reads its own. */
export interface ExtractorOptions extends InceptionExtractorOptions, InceptionModelOptions, Partial<Omit<OnnxExtractorOptions, 'normalize'>> {
  /** inception: path of the weight file (the pipeline downloads/caches it) ... */
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
  if (options.normalize === undefined) {
    throw new GenEvalError(`${spec}: declare the pixel normalisation the model expects (unit, symmetric, imagenet or clip)`);
  }
  return createOnnxExtractor(parsed.path, { ...options, normalize: options.normalize });
}
