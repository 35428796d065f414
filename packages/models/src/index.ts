/**
 * @gen-eval/models — generative models trained with TensorFlow.js: one module per family
 * (./families), one shared training loop (./train), one run format (docs/run-format.md).
 * Training picks its backend at run time (see `selectBackend`).
 */
export { BACKEND_ORDER, selectBackend, type BackendChoice, type SelectedBackend } from './backend.js';
export type { Batch, DataInfo, FamilyDefinition, HyperParams, ModelContext, SampleOptions, TrainableModel } from './family.js';
export { Rng } from './rng.js';
export { DATASET_NAMES, listDatasets, readPoints, resolveDataset, RING_EASY, type Dataset, type PointsFile } from './data/datasets.js';
export { FAMILIES, findFamily } from './families/index.js';
export { TRAIN_DEFAULTS } from './train/defaults.js';
export { trainNew, trainResume, type TrainEvent, type TrainHooks } from './train/loop.js';
export { sampleRun, type SampleRunOptions, type SampleRunResult } from './train/sample.js';
export { checkBackend, type NewRunOptions, type ResumeOptions } from './train/setup.js';
export { parseMetricsJsonl, readMetrics, readRunConfig, RUN_FORMAT, runPaths, type MetricRecord, type RunConfig, type RunSummary } from './train/run-dir.js';
