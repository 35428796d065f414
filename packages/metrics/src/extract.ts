/**
 * @gen-eval/metrics/extract — feature extraction: the ONNX writer, torch weight readers, the
 * extractors (Inception, embedded classifiers, MobileNet, any ONNX model), the folder pipeline
 * with its feature cache and weight download, and `evaluateLoaded` over loaded inputs. onnxruntime-node,
 * sharp and tfjs are imported by the functions that run them, not at import.
 */
export { DataType, encodeModel, type ModelSpec, type NodeSpec, type TensorSpec, type ValueSpec } from './onnx/proto.js';
export {
  detectTorchFormat,
  parseTorchScriptArchive,
  parseTorchStateDict,
  readTorchStateDict,
  type StateDict,
  type TorchFormat,
  type TorchTensor,
} from './extractors/torch/pth-reader.js';
export { buildClipImageModel, CLIP_IMAGE_GRAPH_VERSION } from './extractors/clip/image-graph.js';
export {
  CLIP_DEFAULT_MODEL,
  CLIP_MODELS,
  clipExtractorName,
  clipUrlSha256,
  createClipExtractor,
  resolveClipWeights,
  type ClipExtractorOptions,
} from './extractors/clip/clip-extractor.js';
export { inferClipConfig, parseClipWeights, parseSafetensors, readClipWeights, type ClipConfig, type ClipWeights } from './extractors/clip/weights.js';
export type { TorchDtype } from './extractors/torch/dtypes.js';
export { checkBatch, type ExtractorInput, type ExtractorOutput, type FeatureExtractor, type InputRange } from './extractors/extractor.js';
export { createSession, type ExecutionProvider, type OnnxSessionOptions } from './extractors/session.js';
export { DINOV2_ARCHS, DINOV2_INPUT_SIZE, DINOV2_SIZES, dinov2WeightsUrl, type Dinov2Arch, type Dinov2Size } from './extractors/dinov2/architecture.js';
export { parseDinov2Weights, readDinov2Weights, validateDinov2Weights, type Dinov2Weights } from './extractors/dinov2/weights.js';
export { buildDinov2Model, DINOV2_GRAPH_VERSION } from './extractors/dinov2/graph.js';
export { buildDinov2OnnxBytes, createDinov2Extractor, dinov2ExtractorName } from './extractors/dinov2/dinov2-extractor.js';
export { resolveDinov2Weights, type ResolvedDinov2Weights } from './pipeline/dinov2-weights.js';
export { buildVitModel, type VitWeights } from './extractors/vit/vit-graph.js';
export { TransformerGraph, type BlockWeights, type LayerNormWeights, type LinearWeights, type MlpWeights, type TransformerWeights } from './extractors/vit/transformer-graph.js';
export { INCEPTION_DIMS, INCEPTION_INPUT_SIZE, NUM_CLASSES as INCEPTION_NUM_CLASSES, type InceptionDims } from './extractors/inception/architecture.js';
export { parseInceptionWeights, readInceptionWeights, validateInceptionWeights, type InceptionWeights } from './extractors/inception/weights.js';
export { buildInceptionGraph, INCEPTION_GRAPH_VERSION, type InceptionGraphOptions } from './extractors/inception/graph.js';
export {
  buildInceptionModel,
  createInceptionExtractor,
  inceptionExtractorName,
  type InceptionExtractor,
  type InceptionExtractorOptions,
  type InceptionModel,
  type InceptionModelOptions,
} from './extractors/inception/inception-extractor.js';
export { CLIP_MEAN_STD, createOnnxExtractor, IMAGENET_MEAN_STD, type ChannelMeanStd, type Normalization, type OnnxExtractorOptions } from './extractors/onnx-extractor.js';
export {
  createExtractor,
  listExtractors,
  parseExtractorSpec,
  registerExtractor,
  unregisterExtractor,
  type ExtractorFactory,
  type ExtractorInfo,
  type ExtractorOptions,
  type ExtractorSpec,
  type RegisterExtractorOptions,
} from './extractors/registry.js';
export {
  classifierExtractorName,
  classifierFile,
  classifierMetadata,
  CLASSIFIER_NAMES,
  createClassifierExtractor,
  loadClassifierModel,
  type ClassifierExtractor,
  type ClassifierExtractorOptions,
  type ClassifierMetadata,
  type ClassifierModel,
  type ClassifierName,
} from './extractors/classifiers/classifier-extractor.js';
export { CLASSIFIER_CLASSES, CLASSIFIER_FEATURES, CLASSIFIER_INPUT_SIZE, GRAY_WEIGHTS } from './extractors/classifiers/graph.js';
export { CLIP_CONTEXT_LENGTH, CLIP_EOT, CLIP_SOT, clipEncode, clipTokenize, type ClipTokens } from './extractors/clip/tokenizer.js';
export { buildClipTextGraph, CLIP_TEXT_GRAPH_VERSION, clipTextConfig, type ClipTextConfig } from './extractors/clip/text-graph.js';
export { createClipTextEncoder, type ClipTextEmbeddings, type ClipTextEncoder, type ClipTextEncoderOptions } from './extractors/clip/text-encoder.js';
export { featureSpaceOfInputs } from './feature-space.js';
export { cacheDir } from './pipeline/cache-dir.js';
export { downloadFile, type DownloadOptions } from './pipeline/download.js';
export { PYTORCH_FID_WEIGHTS, resolveInceptionWeights, type ResolvedWeights, type ResolveWeightsOptions } from './pipeline/weights.js';
export {
  FeatureCacheWriter,
  featureCacheKey,
  fileDigest,
  imageDigestsSha256,
  imageFilesSha256,
  loadCachedFeatures,
  type CachedFeatures,
  type FeatureCacheKeyInput,
  type HashFilesOptions,
} from './pipeline/feature-cache.js';
export { extractFolder, type ExtractedSet, type ExtractFolderOptions } from './pipeline/extract-folder.js';
export { ExtractorSession, featuresOf, fidInputOf, loadInput, type InputKind, type InputOptions, type LoadedInput, type LoadInputOptions } from './pipeline/load-input.js';
export {
  checkStackedArray,
  digitsFromLogits,
  STACKED_CHANNELS,
  STACKED_MODES,
  stackedExtractor,
  stackedMnistModes,
  type StackedMnistOptions,
  type StackedMnistResult,
} from './pipeline/stacked-mnist.js';
export { checkImageArray, extractImageArray, imageArrayBatch, isImageArrayShape, type ImageArray } from './pipeline/image-array.js';
export {
  evaluateLoaded,
  METRIC_NAMES,
  parseMetricList,
  type EvaluateDetails,
  type EvaluateKey,
  type EvaluateMetrics,
  type EvaluateOptions,
  type EvaluateResult,
  type MetricName,
} from './evaluate.js';
export { progressRenderer, type ProgressEvent, type ProgressListener } from './pipeline/progress.js';
