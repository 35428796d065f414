/** @gen-eval/report — self-contained HTML pages comparing training runs and evaluation results. */
export { renderReport, CONTENT_SECURITY_POLICY, type RenderOptions, type RenderedReport } from './html-report.js';
export { loadInputs, uniqueLabels, type LoadOptions, type LoadedInputs } from './load.js';
export { findInputs, expandGlob, type FoundInput } from './find-inputs.js';
export { readRun } from './read-run.js';
export { readResult } from './read-result.js';
export { checkComparability, type Comparability } from './comparability.js';
export { rowsCsv, tableCsv, toCsv } from './csv.js';
export { bestEntries, metricColumns, tableRecords } from './table.js';
export { escapeHtml } from './escape.js';
export { higherIsBetter, isMetricKey, isSpreadKey, knownMetrics, metricInfo, orderMetrics, type MetricInfo } from './metric-direction.js';
export type { ConditionGridImage, PointSamples, Provenance, ReportEntry, SampleImage, SeriesPoint } from './report-data.js';
// The CI quality gate (gen-eval check, eval --thresholds) is the subpath '@gen-eval/report/gate',
// so that pages do not load mathjs and the gate does not load the chart renderer.
