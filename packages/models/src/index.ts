/**
 * @gen-eval/models — generative models trained with TensorFlow.js: one module per family
 * (./families), one shared training loop (./train), one run format (docs/run-format.md; its
 * files are named, read and written by @gen-eval/metrics/runs, re-exported here).
 * Training picks its backend at run time (see `selectBackend`).
 */
export { BACKEND_ORDER, selectBackend, type BackendChoice, type SelectedBackend } from './backend.js';
export { BACKEND_REQUESTS } from './backend-choices.js';
export { familiesTaking, FAMILY_NAMES } from './catalog.js';
export { CONDITION_KINDS, CONDITION_OPTIONS, conditionNeeds, type Condition, type ConditionKind, type ConditionNeeds, type ConditionOption, type Domain } from './condition.js';
export type { Batch, DataInfo, FamilyDefinition, HyperParams, ModelContext, SampleOptions, TrainableModel } from './family.js';
export { DATA_KINDS, defaultOn, describeAllowed, existsOn, schemaDefaults, type DataKind, type HpSchema, type HpSpec, type HpValues } from './hyper-param-schema.js';
export { hyperParamJson, hyperParamLines, hyperParamMarkdown } from './hyper-param-text.js';
export { Rng } from './rng.js';
export {
  DATASET_NAMES,
  dataRecord,
  listDatasets,
  loadDataset,
  readPoints,
  resolveDataset,
  RING_EASY,
  type DataRecord,
  type Dataset,
  type DatasetOptions,
  type PointsFile,
} from './data/datasets.js';
export { DEFAULT_IMAGE_SIZE, FOLDER_IMAGE_SIZE, IMAGE_DATASETS, imageFolderDataset } from './data/images.js';
export { checkImageSize, IMAGE_SIZES, type ImageSet, type ImageShape } from './data/image-set.js';
export { EDGE_THRESHOLD, edgeMap } from './data/edges.js';
export { CAPTIONED_DATASETS, captionBatch, captionedDataset } from './data/captioned.js';
export { FASHION_MNIST_SETS, loadFolderPairs, PAIRED_DATASETS, SHOE_CLASSES, superResolutionPairs, writeDownsampled, type FolderPairOptions } from './data/paired.js';
export { loadMnist, MNIST_COUNTS, MNIST_TEST_COUNTS, MNIST_TRAIN_COUNTS, MNIST_TRAIN_FRACTION, mnistDigitsDir, mnistSplit, type MnistSplit } from './data/mnist.js';
export { checkFashionMnist, FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadFashionMnist, type FashionSplit } from './data/fashion-mnist.js';
export { countImageSizes, IMAGE_FOLDER_MAX_BYTES, loadImageFolder, type ImageFolder, type ImageFolderOptions } from './data/image-folder.js';
export { encodePng, gridPixels, sampleFileName, toBytes, writeGridPng, writeSamplePngs, type GridOptions } from './data/png.js';
export { FAMILIES, findFamily } from './families/index.js';
export { TRAIN_DEFAULTS } from './train/defaults.js';
export { trainNew, trainResume, type TrainEvent, type TrainHooks } from './train/loop.js';
export { sampleRun, type SampleRunOptions, type SampleRunResult } from './train/sample.js';
export { checkBackend, dataForFamily, dataInfo, IMAGE_EVAL_SAMPLES, type NewRunOptions, type ResumeOptions } from './train/setup.js';
export { classifierFor, GRID_IMAGES, TRAINING_KID_SUBSETS } from './train/image-eval.js';
export { parseMetricsJsonl, readMetrics, readRunConfig, RUN_FORMAT, runPaths, type MetricRecord, type RunConfig, type RunSummary } from '@gen-eval/metrics/runs';
