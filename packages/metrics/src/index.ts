/**
 * @gen-eval/metrics — exact evaluation metrics for generative image models.
 * Each metric is a short chain of pure functions: features → statistics → metric.
 */
export { DEFAULTS, type Defaults } from './defaults.js';
export { EXIT, GenEvalError, inputError } from './errors.js';
export { fromRows, matrix, row, selectRows, type FloatArray, type Matrix } from './matrix.js';
export { RandomState } from './random.js';
export { writeFileAtomic } from './io/atomic-write.js';
export { readInputFile } from './io/read-input-file.js';
export { encodeNpy, parseNpy, parseNpyAny, readNpy, writeNpy, type NpyArray, type NpyDtype, type NpyStringArray } from './io/npy.js';
export { readClassLabels, stringLabels, type ClassLabels } from './io/labels.js';
export { encodeNpz, encodeStatsNpz, parseNpz, parseStatsNpz, readStatsNpz, writeStatsNpz, type GaussianStatsFile, type NpzEntry } from './io/npz.js';
export { assertFinite, readFeatureMatrix, toFeatureMatrix } from './io/features.js';
export * from './linalg/index.js';
export { GaussianAccumulator, gaussianStats, type GaussianAccumulatorOptions, type GaussianState, type GaussianStats } from './gaussian-stats.js';
export { encodeShardNpz, listingFingerprint, mergeShardFiles, readShardFile, SHARD_FORMAT, shardRange, type MergedShards, type ShardFile, type ShardRecord, type ShardSpec } from './shard-stats.js';
export { choleskyTraceSqrt, fid, fidFromStats, lowRankFactor, sampleSizeWarnings, type FidInput, type FidMethod, type FidOptions, type FidResult, type StatsInput } from './fid.js';
export { DataType, encodeModel, type ModelSpec, type NodeSpec, type TensorSpec, type ValueSpec } from './onnx/proto.js';
export {
  DISTANCE_BLOCK_BYTES,
  forEachDistanceBlock,
  forEachDistanceTile,
  kNearestNeighbours,
  kthNeighbourDistances,
  nearestNeighbour,
  squaredNorms,
  type KNearest,
  type KnnOptions,
  type TileVisitor,
} from './knn.js';
export { inceptionScore, meanStd, type InceptionScoreOptions, type InceptionScoreResult } from './inception-score.js';
export { kernelInceptionDistance, polynomialMmd2, type KidOptions, type KidResult, type PolynomialKernel } from './kid.js';
export {
  checkManifoldInputs,
  manifoldCounts,
  manifoldRadii,
  precisionRecall,
  PR_CONVENTION,
  shareNonZero,
  type ManifoldCounts,
  type PrecisionRecallOptions,
  type PrecisionRecallResult,
  type RadiusRule,
} from './precision-recall.js';
export { prdc, PRDC_CONVENTION, type PrdcOptions, type PrdcResult } from './prdc.js';
export { DEFAULT_NAMES, type InputNames } from './divergence/validate.js';
export { histogramJs, histogramKl, jsNats, klNats, type HistogramDivergence, type HistogramOptions, type LogBase } from './divergence/histogram.js';
export { wasserstein1d, wassersteinPowSorted, type Wasserstein1dOptions } from './divergence/wasserstein-1d.js';
export { randomDirections, slicedWasserstein, sumProjectedWassersteinPow, type SlicedWassersteinOptions, type SlicedWassersteinResult } from './divergence/sliced-wasserstein.js';
export { laplacianLevel, pyrDown, pyrUp } from './divergence/laplacian-pyramid.js';
export { swdPyramid, type ImageSet, type SwdOptions, type SwdResult } from './divergence/swd.js';
export { medianPairwiseDistance, type PairwiseMedianOptions } from './divergence/pairwise-median.js';
export { kernelSum, mmdUnbiased, type MmdKernel, type MmdOptions, type MmdResult } from './divergence/mmd.js';
export { knnKl, type KnnKlOptions, type KnnKlResult } from './divergence/knn-kl.js';
export { sinkhornDivergence, type SinkhornOptions, type SinkhornResult } from './divergence/sinkhorn.js';
export {
  F_DIVERGENCES,
  fDivergenceBound,
  lambertWExp,
  type FBoundOptions,
  type FBoundResult,
  type FDivergence,
  type FDivergenceName,
} from './divergence/f-divergence.js';
export { gridMixture, ringMixture, sampleMixture, type Mixture2d, type SampleOptions } from './modes/mixtures.js';
export { klFromUniform, mixtureModeCoverage, type ModeCoverageResult } from './modes/mode-coverage.js';
export { classCoverage, type ClassCoverageResult } from './modes/class-coverage.js';
export { kMeans, kMeansPlusPlus, type KMeansOptions, type KMeansResult } from './modes/kmeans.js';
export { ndb, ndbFromCounts, twoProportionZTest, type NdbOptions, type NdbResult, type NdbStage } from './modes/ndb.js';
export { birthdayPairs, type BirthdayOptions, type BirthdayResult, type CandidatePair } from './modes/birthday.js';
export { detectTorchFormat, parseTorchStateDict, readTorchStateDict, type StateDict, type TorchFormat, type TorchTensor } from './extractors/torch/pth-reader.js';
export type { TorchDtype } from './extractors/torch/dtypes.js';
export { encodeLegacyPth, type WritableTensor } from './extractors/torch/pth-writer.js';
export { checkBatch, type ExtractorInput, type ExtractorOutput, type FeatureExtractor, type InputRange } from './extractors/extractor.js';
export { createSession, type ExecutionProvider, type OnnxSessionOptions } from './extractors/session.js';
export {
  INCEPTION_CONVS,
  INCEPTION_DIMS,
  INCEPTION_INPUT_SIZE,
  INCEPTION_WEIGHTS,
  NUM_CLASSES as INCEPTION_NUM_CLASSES,
  type ConvSpec,
  type InceptionDims,
  type WeightSpec,
} from './extractors/inception/architecture.js';
export { parseInceptionWeights, readInceptionWeights, validateInceptionWeights, type InceptionWeights } from './extractors/inception/weights.js';
export { buildInceptionGraph, INCEPTION_GRAPH_VERSION, type InceptionGraphOptions } from './extractors/inception/graph.js';
export { syntheticInceptionStateDict } from './extractors/inception/synthetic.js';
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
export { createExtractor, EXTRACTOR_SPECS, parseExtractorSpec, type ExtractorOptions, type ExtractorSpec } from './extractors/registry.js';
export {
  classifierExtractorName, classifierFile, classifierMetadata, CLASSIFIER_NAMES, createClassifierExtractor, loadClassifierModel,
  type ClassifierExtractor, type ClassifierExtractorOptions, type ClassifierMetadata, type ClassifierModel, type ClassifierName,
} from './extractors/classifiers/classifier-extractor.js';
export { buildClassifierGraph, CLASSIFIER_CLASSES, CLASSIFIER_FEATURES, CLASSIFIER_INPUT_SIZE, GRAY_WEIGHTS, type ClassifierWeights } from './extractors/classifiers/graph.js';
export { comparePaths, IMAGE_EXTENSIONS, isImageFileName, listImages, type ImageFileEntry, type ImageListing } from './image/list-images.js';
export type { RgbImage } from './image/rgb-image.js';
export { cmykToRgb, decodeImage, decodeImageFile } from './image/decode.js';
export { decodeBmp, isBmp } from './image/bmp.js';
export { decodeNetpbm, isNetpbm } from './image/netpbm.js';
export { linearTaps, resizeBilinear, type LinearTaps } from './image/resize-bilinear.js';
export { bicubicCoeffs, resizeBicubicPillow, type ResampleCoeffs } from './image/resize-pillow.js';
export {
  preprocess,
  preprocessClean,
  preprocessProfile,
  preprocessPytorchFid,
  PROFILE_NAMES,
  type PreprocessProfile,
  type ProfileName,
  type ProfileRange,
} from './image/profiles.js';
export { cacheDir } from './pipeline/cache-dir.js';
export { createProgress, type Progress, type ProgressOptions } from './pipeline/progress.js';
export { downloadFile, type DownloadOptions } from './pipeline/download.js';
export { PYTORCH_FID_WEIGHTS, resolveInceptionWeights, sha256File, type ResolvedWeights, type ResolveWeightsOptions } from './pipeline/weights.js';
export { FeatureCacheWriter, featureCacheKey, loadCachedFeatures, type CachedFeatures, type FeatureCacheKeyInput } from './pipeline/feature-cache.js';
export { createDecodePool, type DecodePool } from './pipeline/decode-pool.js';
export { extractFolder, type ExtractedSet, type ExtractFolderOptions } from './pipeline/extract-folder.js';
export {
  ExtractorSession, featuresOf, fidInputOf, loadInput, type InputKind, type InputOptions, type LoadedInput, type LoadInputOptions,
} from './pipeline/load-input.js';
export {
  checkStackedArray, digitsFromLogits, STACKED_CHANNELS, STACKED_MODES, stackedExtractor, stackedMnistModes,
  type StackedMnistOptions, type StackedMnistResult,
} from './pipeline/stacked-mnist.js';
export { checkImageArray, extractImageArray, imageArrayBatch, isImageArrayShape, type ImageArray } from './pipeline/image-array.js';
export { NpyRowWriter } from './io/npy-writer.js';
export { evaluate, METRIC_NAMES, parseMetricList, type EvaluateOptions, type MetricName } from './evaluate.js';
