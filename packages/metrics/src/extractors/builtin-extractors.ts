/**
 * The extractors gen-eval ships, as registry factories (registered by registry.ts):
 *  - `inception`  pytorch-fid's FID Inception-v3 (weights pt_inception-2015-12-05-6726825d.pth),
 *                 `dims` 64 / 192 / 768 / 2048, optional unbiased logits for the IS;
 *  - `dinov2`, `dinov2:<size>`  the DINOv2 backbones' final-norm class token (size vits14 / vitb14 /
 *                 vitl14 / vitg14; `dinov2` = vitl14), built from the official `_pretrain.pth` weights;
 *  - `clip`, `clip:<model>`  OpenAI CLIP's image tower (clip/clip-extractor.ts);
 *  - `mobilenet`  @tensorflow-models/mobilenet's embedding, from a local TF.js model folder (`weights`);
 *  - `onnx:PATH`  any ONNX model, with declared input size, layout and normalisation;
 *  - `mnist`, `fashion-mnist`  the embedded 28×28 CNN classifiers (weights shipped in this package).
 */
import { DEFAULTS } from '../defaults.js';
import { usageError } from '../errors.js';
import { openInceptionSession } from '../pipeline/inception-model-cache.js';
import type { ProgressListener } from '../pipeline/progress.js';
import { PYTORCH_FID_WEIGHTS, resolveInceptionWeights } from '../pipeline/weights.js';
import { CLIP_DEFAULT_MODEL, CLIP_MODELS, createClipExtractor } from './clip/clip-extractor.js';
import { CLASSIFIER_NAMES, createClassifierExtractor, type ClassifierName } from './classifiers/classifier-extractor.js';
import type { FeatureExtractor } from './extractor.js';
import {
  checkDims,
  createInceptionExtractor,
  createLazyInceptionExtractor,
  type InceptionExtractorOptions,
  type InceptionModel,
  type InceptionModelOptions,
} from './inception/inception-extractor.js';
import { DINOV2_SIZES, type Dinov2Size } from './dinov2/architecture.js';
import { buildDinov2OnnxBytes, createDinov2Extractor, dinov2ExtractorName, dinov2ModelFileName } from './dinov2/dinov2-extractor.js';
import { openCachedModelSession } from '../pipeline/model-cache.js';
import { resolveDinov2Weights } from '../pipeline/dinov2-weights.js';
import { createMobilenetExtractor } from './mobilenet/mobilenet-extractor.js';
import { createOnnxExtractor, type Normalization, type OnnxExtractorOptions } from './onnx-extractor.js';
import { checkSessionOptions } from './session.js';

/** Options for any extractor; each factory reads its own and ignores the rest. */
export interface ExtractorOptions extends InceptionExtractorOptions, InceptionModelOptions, Partial<Omit<OnnxExtractorOptions, 'normalize'>> {
  /** inception: a local weight file (never downloaded); mobilenet: the model folder. */
  readonly weights?: string;
  /** inception: a model already built by `buildInceptionModel` (e.g. from a cache). */
  readonly model?: InceptionModel;
  /**
   * inception, without `weights` or `model`: use pytorch-fid's weights from the cache
   * (`cacheDir()`/weights), downloading them once when missing (default false: no network).
   */
  readonly download?: boolean;
  /**
   * inception: the cache root whose `models` folder keeps the network built from the weights
   * (building takes seconds); null or absent: built each time, not kept.
   */
  readonly modelCache?: string | null;
  /**
   * inception: create the onnxruntime session at the first `run` (a run whose features are all
   * cached then never loads the network); its errors surface there. Default false.
   */
  readonly lazy?: boolean;
  /** onnx: the normalisation the model expects (required for onnx:PATH). */
  readonly normalize?: Normalization;
  /** No progress drawn on stderr (when there is no `onProgress`). */
  readonly quiet?: boolean;
  /** Progress of slow set-up steps (the weights download and hashing). */
  readonly onProgress?: ProgressListener;
  /** Notes that are not errors (e.g. weights that are not pytorch-fid's). */
  readonly onWarning?: (message: string) => void;
}

/** Builds an extractor from its options; `argument` is what follows a prefix (`onnx:PATH` → PATH), else ''. */
export type ExtractorFactory = (options: ExtractorOptions, argument: string) => Promise<FeatureExtractor>;

/** `inception`: from a built model, a weight file, or (with `download`) pytorch-fid's cached weights. */
async function inception(o: ExtractorOptions): Promise<FeatureExtractor> {
  if (o.model !== undefined) {
    if (o.dims !== undefined && o.dims !== o.model.dims) throw usageError(`the built inception model has dims ${o.model.dims}, not ${o.dims}`);
    if (o.logits === true && !o.model.logits) throw usageError('the built inception model has no logits output; rebuild it with logits');
    return createInceptionExtractor(o.model, o);
  }
  if (o.weights === undefined && o.download !== true) {
    throw usageError(
      `the inception extractor needs its weights: a local ${PYTORCH_FID_WEIGHTS.fileName} as \`weights\`, \`download\` to fetch pytorch-fid's into the cache, or a built \`model\``,
      { options: ['weights', 'download', 'model'] },
    );
  }
  // Options first: a bad dims or thread count fails before hashing (or downloading) 95 MB.
  const dims = checkDims(o.dims ?? DEFAULTS.inceptionDims);
  const session = { ...(o.threads !== undefined ? { threads: o.threads } : {}), ...(o.executionProvider ? { executionProvider: o.executionProvider } : {}) };
  checkSessionOptions(session);
  const weights = await resolveInceptionWeights({
    ...(o.weights !== undefined ? { weights: o.weights } : {}),
    ...(o.quiet !== undefined ? { quiet: o.quiet } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  for (const w of weights.warnings) o.onWarning?.(w);
  const logits = o.logits ?? false;
  const open = () => openInceptionSession(weights.path, weights.sha256, dims, logits, o.modelCache ?? null, session);
  const id = { weightsSha256: weights.sha256, dims, logits };
  const batch = o.maxBatch !== undefined ? { maxBatch: o.maxBatch } : {};
  if (o.lazy === true) return createLazyInceptionExtractor(id, open, batch);
  const opened = await open();
  return createLazyInceptionExtractor(id, async () => opened, batch);
}

/** `dinov2` / `dinov2:<size>`: from a weight file or (with `download`) the official weights in the cache. */
function dinov2(defaultSize: Dinov2Size | null): ExtractorFactory {
  return async (o, argument) => {
    const size = (defaultSize ?? argument) as Dinov2Size;
    if (!DINOV2_SIZES.includes(size)) throw usageError(`unknown DINOv2 size "${argument}"; choose one of: ${DINOV2_SIZES.join(', ')}`);
    if (size === 'vitg14') {
      // The graph builds (and matches the official ViT-g) but its 4.5 GB of float32 weights exceed
      // protobuf's 2 GB message limit: running it needs ONNX external data, not written yet.
      throw usageError('dinov2:vitg14 is not supported yet: its 4.5 GB float32 network exceeds the 2 GB ONNX protobuf limit; use dinov2:vitl14 (the default) or a smaller size');
    }
    if (o.weights === undefined && o.download !== true) {
      throw usageError(`the dinov2 extractor needs its weights: a local dinov2_${size}_pretrain.pth as \`weights\`, or \`download\` to fetch the official ones into the cache`, {
        options: ['weights', 'download'],
      });
    }
    const session = { ...(o.threads !== undefined ? { threads: o.threads } : {}), ...(o.executionProvider ? { executionProvider: o.executionProvider } : {}) };
    checkSessionOptions(session);
    const weights = await resolveDinov2Weights(size, {
      ...(o.weights !== undefined ? { weights: o.weights } : {}),
      ...(o.quiet !== undefined ? { quiet: o.quiet } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    const open = () =>
      openCachedModelSession(
        o.modelCache ?? null,
        dinov2ModelFileName(weights.sha256, size),
        () => buildDinov2OnnxBytes(weights.path, size),
        dinov2ExtractorName(weights.sha256, size),
        session,
      );
    const batch = o.maxBatch !== undefined ? { maxBatch: o.maxBatch } : {};
    if (o.lazy === true) return createDinov2Extractor(size, weights.sha256, open, batch);
    const opened = await open();
    return createDinov2Extractor(size, weights.sha256, async () => opened, batch);
  };
}

/** `mobilenet`: TensorFlow.js, from the local model folder given as `weights`. */
async function mobilenet(o: ExtractorOptions): Promise<FeatureExtractor> {
  if (o.executionProvider === 'cuda') {
    throw usageError('`executionProvider` cuda applies to onnxruntime extractors; the mobilenet extractor runs on TensorFlow.js (wasm or cpu)', { options: ['executionProvider'] });
  }
  return createMobilenetExtractor(o.weights, o.maxBatch !== undefined ? { maxBatch: o.maxBatch } : {});
}

/** `onnx:PATH`: a user model; its normalisation must be declared. */
async function onnx(o: ExtractorOptions, path: string): Promise<FeatureExtractor> {
  if (o.weights !== undefined) throw usageError('`weights` applies to the inception, dinov2 and mobilenet extractors only', { options: ['weights'] });
  if (o.normalize === undefined) {
    throw usageError(`onnx:${path}: declare the pixel normalisation the model expects (\`normalize\`: unit, symmetric, imagenet or clip)`, { options: ['normalize'] });
  }
  return createOnnxExtractor(path, { ...o, normalize: o.normalize });
}

/** `mnist` / `fashion-mnist`: shipped weights, a model of ~100k parameters built in milliseconds. */
function classifier(name: ClassifierName): ExtractorFactory {
  return async (o) => {
    if (o.weights !== undefined)
      throw usageError(`\`weights\` applies to the inception, dinov2 and mobilenet extractors only (${name} ships its weights)`, { options: ['weights'] });
    const { threads, executionProvider, maxBatch } = o;
    return createClassifierExtractor(name, {
      ...(threads !== undefined ? { threads } : {}),
      ...(executionProvider ? { executionProvider } : {}),
      ...(maxBatch !== undefined ? { maxBatch } : {}),
    });
  };
}

/** One built-in registration: `name` ending in ':' is a prefix (`argument` names what follows it). */
export interface BuiltinExtractor {
  readonly name: string;
  readonly argument?: string;
  readonly description: string;
  readonly factory: ExtractorFactory;
}

/** The built-ins, in the order they are listed. */
export const BUILTIN_EXTRACTORS: readonly BuiltinExtractor[] = [
  { name: 'inception', description: "pytorch-fid's Inception-v3 (FID/KID/IS standard), built from its .pth weights", factory: inception },
  { name: 'dinov2', description: "DINOv2 ViT-L/14's final-norm class token (FD-DINOv2), built from the official .pth weights", factory: dinov2('vitl14') },
  { name: 'dinov2:', argument: 'SIZE', description: `DINOv2 of one size (${DINOV2_SIZES.join(', ')})`, factory: dinov2(null) },
  {
    name: 'clip',
    description: `OpenAI CLIP ${CLIP_DEFAULT_MODEL} image embeddings (L2-normalised; CMMD's space), built from OpenAI's weights`,
    factory: (o) => createClipExtractor(o, ''),
  },
  { name: 'clip:', argument: 'MODEL', description: `an OpenAI ViT CLIP image tower: ${Object.keys(CLIP_MODELS).join(', ')}`, factory: createClipExtractor },
  { name: 'mobilenet', description: "@tensorflow-models/mobilenet's embedding, from a local TF.js graph-model folder (no download)", factory: mobilenet },
  { name: 'onnx:', argument: 'PATH', description: 'a user ONNX model (e.g. DINOv2, CLIP) with declared input size, layout and normalisation', factory: onnx },
  ...CLASSIFIER_NAMES.map((name) => ({
    name,
    description: `embedded 28×28 ${name === 'mnist' ? 'digit' : 'Fashion-MNIST'} classifier (features 128, logits 10; shipped weights, no download)`,
    factory: classifier(name),
  })),
];
