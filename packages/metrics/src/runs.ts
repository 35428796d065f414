/**
 * @gen-eval/metrics/runs — the run format (docs/run-format.md): the names of a run folder's files
 * and the readers and writers of config.json, metrics.jsonl and summary.json, shared by the
 * trainer (@gen-eval/models) and the report (@gen-eval/report) without loading TensorFlow.
 */
export {
  conditionGridFileName,
  LATEST_CHECKPOINT,
  listConditionGrids,
  listStepFiles,
  parseConditionGridFile,
  parseStepFile,
  RUN_FORMAT,
  runPaths,
  STEP_DIGITS,
  stepFileName,
  type StepFile,
  type StepFileExt,
} from './run-format/run-paths.js';
export {
  baselinesOf,
  checkRunConfig,
  conditionGridOf,
  configError,
  parseMetricsJsonl,
  readJson,
  readMetrics,
  readRunConfig,
  writeJson,
  writeMetrics,
  type ConditionGridRecord,
  type DataRecord,
  type DatasetOptions,
  type MetricRecord,
  type RecordedMetric,
  type RunBaseline,
  type RunConfig,
  type RunHyperParams,
  type RunSummary,
} from './run-format/run-files.js';
