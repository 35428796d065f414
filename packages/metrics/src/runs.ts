/**
 * @gen-eval/metrics/runs — the run format (docs/run-format.md): the names of a run folder's files
 * and the readers and writers of config.json, metrics.jsonl and summary.json, shared by the
 * trainer (@gen-eval/models) and the report (@gen-eval/report) without loading TensorFlow.
 */
export { LATEST_CHECKPOINT, listStepFiles, parseStepFile, RUN_FORMAT, runPaths, STEP_DIGITS, stepFileName, type StepFile, type StepFileExt } from './run-format/run-paths.js';
export {
  checkRunConfig,
  configError,
  parseMetricsJsonl,
  readJson,
  readMetrics,
  readRunConfig,
  writeJson,
  writeMetrics,
  type DataRecord,
  type DatasetOptions,
  type MetricRecord,
  type RecordedMetric,
  type RunConfig,
  type RunHyperParams,
  type RunSummary,
} from './run-format/run-files.js';
