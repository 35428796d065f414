/** @gen-eval/report — HTML pages comparing evaluation runs. */
export { bestRun, escapeHtml, metricColumns, renderReport, type RunResult } from './html-report.js';
export { higherIsBetter } from './metric-direction.js';
