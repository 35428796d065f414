/**
 * @gen-eval/metrics — exact evaluation metrics for generative image models.
 * Each metric is a short chain of pure functions: features → statistics → metric.
 *
 * This entry loads no native addon (no sharp, no onnxruntime at import; onnxruntime is imported
 * only when `configureLinalg` lets large products run on it). Image decoding is in
 * `@gen-eval/metrics/images`, feature extractors and the folder pipeline in
 * `@gen-eval/metrics/extract`, test support in `@gen-eval/metrics/testing`.
 */
export { DEFAULTS, type Defaults } from './defaults.js';
export { GenEvalError, inputError } from './errors.js';
export { fromRows, matrix, row, selectRows, type FloatArray, type Matrix } from './matrix.js';
export { RandomState } from './random.js';
export { writeFileAtomic, writeFilesAtomic, type FileToWrite } from './io/atomic-write.js';
export { readInputFile } from './io/read-input-file.js';
export { encodeNpy, parseNpy, parseNpyAny, readNpy, writeNpy, type NpyArray, type NpyDtype, type NpyStringArray } from './io/npy.js';
export { NpyRowWriter } from './io/npy-writer.js';
export { readClassLabels, type ClassLabels } from './io/labels.js';
export { encodeNpz, encodeStatsNpz, parseNpz, parseStatsNpz, readStatsNpz, writeStatsNpz, type GaussianStatsFile, type NpzEntry } from './io/npz.js';
export { assertFinite, FEATURE_MAX_ABS, readFeatureMatrix, toFeatureMatrix } from './io/features.js';
export { configureLinalg, linalgConfig, onnxAvailable, type LinalgBackend, type LinalgConfig } from './linalg/onnx-backend.js';
export { symmetricEigenvalues } from './linalg/symmetric-eigenvalues.js';
export { nuclearNorm, singularValues } from './linalg/nuclear-norm.js';
export { GaussianAccumulator, gaussianStats, type GaussianAccumulatorOptions, type GaussianState, type GaussianStats } from './gaussian-stats.js';
export {
  encodeShardNpz,
  listingFingerprint,
  mergeShardFiles,
  readShardFile,
  SHARD_FORMAT,
  shardRange,
  type MergedShards,
  type ShardFile,
  type ShardRecord,
  type ShardSpec,
} from './shard-stats.js';
export { featureSpaceOf, frechetName, weightsHashOf, type FeatureSpace } from './feature-space.js';
export { fid, fidFromStats, sampleSizeWarnings, type FidInput, type FidMethod, type FidOptions, type FidResult, type StatsInput } from './fid.js';
export { kNearestNeighbours, kthNeighbourDistances, nearestNeighbour, type KNearest, type KnnOptions } from './knn.js';
export { inceptionScore, type InceptionScoreOptions, type InceptionScoreResult } from './inception-score.js';
export { cmmd, CMMD_SCALE, CMMD_SIGMA, type CmmdOptions } from './cmmd.js';
export { kernelInceptionDistance, type KidOptions, type KidResult, type PolynomialKernel } from './kid.js';
export { precisionRecall, PR_CONVENTION, type PrecisionRecallOptions, type PrecisionRecallResult, type RadiusRule } from './precision-recall.js';
export { clipScore, type ClipScoreResult } from './clip-score.js';
export { prdc, PRDC_CONVENTION, type PrdcOptions, type PrdcResult } from './prdc.js';
export type { InputNames } from './divergence/validate.js';
export { histogramJs, histogramKl, type HistogramDivergence, type HistogramOptions, type LogBase } from './divergence/histogram.js';
export { wasserstein1d, type Wasserstein1dOptions } from './divergence/wasserstein-1d.js';
export { slicedWasserstein, type SlicedWassersteinOptions, type SlicedWassersteinResult } from './divergence/sliced-wasserstein.js';
export { swdPyramid, type ImageSet, type SwdOptions, type SwdResult } from './divergence/swd.js';
export { medianPairwiseDistance, type PairwiseMedianOptions } from './divergence/pairwise-median.js';
export { mmdUnbiased, type MmdKernel, type MmdOptions, type MmdResult } from './divergence/mmd.js';
export { knnKl, type KnnKlOptions, type KnnKlResult } from './divergence/knn-kl.js';
export { sinkhornDivergence, type SinkhornOptions, type SinkhornResult } from './divergence/sinkhorn.js';
export { F_DIVERGENCES, fDivergenceBound, type FBoundOptions, type FBoundResult, type FDivergence, type FDivergenceName } from './divergence/f-divergence.js';
export type { PixelImage } from './paired/pixel-image.js';
export { psnr } from './paired/psnr.js';
export { ssim, SSIM_CONVENTION } from './paired/ssim.js';
export { meanAbsoluteError } from './paired/mean-absolute-error.js';
export type { PairedInput } from './paired/paired-inputs.js';
export {
  PAIRED_CONVENTIONS,
  PAIRED_METRIC_NAMES,
  pairedMetrics,
  type PairedImageValues,
  type PairedMetricName,
  type PairedMetricsOptions,
  type PairedMetricsResult,
} from './paired/paired-metrics.js';
export { gridMixture, ringMixture, sampleMixture, type Mixture2d, type SampleOptions } from './modes/mixtures.js';
export { datasetMixture, MIXTURE_DATASETS, RING_EASY, type MixtureDataset } from './modes/dataset-mixtures.js';
export { klFromUniform, mixtureModeCoverage, type ModeCoverageResult } from './modes/mode-coverage.js';
export { classCoverage, type ClassCoverageResult } from './modes/class-coverage.js';
export { kMeans, type KMeansOptions, type KMeansResult } from './modes/kmeans.js';
export { ndb, ndbFromCounts, type NdbOptions, type NdbResult, type NdbStage } from './modes/ndb.js';
export { birthdayPairs, type BirthdayOptions, type BirthdayResult, type CandidatePair } from './modes/birthday.js';
export {
  isKnownMetric,
  isMetric,
  isParameter,
  METRIC,
  METRIC_GROUPS,
  METRIC_KEYS,
  METRIC_TABLE,
  metricKeys,
  metricSpec,
  PARAMETER_KEYS,
  registerMetrics,
  type Direction,
  type GroupKey,
  type MetricGroupName,
  type MetricKey,
  type MetricKind,
  type MetricSpec,
  type MetricValues,
  type ParameterKey,
} from './metric-table.js';
export {
  evaluate,
  type EvaluateInput,
  type EvaluateRequest,
  type EvaluateSetsResult,
  type FeatureArray,
  type ImageBatches,
  type InputSummary,
  type StatisticsInput,
} from './api/evaluate-sets.js';
export { createFeatureAccumulator, FeatureAccumulator, type FeatureAccumulatorOptions } from './api/feature-accumulator.js';
export type { ImageBatch } from './api/image-batch.js';
export type { ProgressEvent, ProgressListener } from './pipeline/progress.js';
export { cleanupTemps, whenTempsTracked } from './pipeline/temp-cleanup.js';
