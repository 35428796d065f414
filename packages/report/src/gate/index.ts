/**
 * The CI quality gate: thresholds (JSON/YAML, numbers or mathjs expressions over a baseline)
 * checked against evaluation results or a training run, with text, Markdown, GitHub annotation
 * and JUnit renderings. Library code only: nothing here prints.
 */
import type { GateResult } from './evaluate-gate.js';
import { applyGate, prepareGate, type PreparedGate } from './evaluate-gate.js';
import { loadMetrics } from './results.js';
import { loadThresholds } from './thresholds.js';

export { ALLOWED_FUNCTIONS, ExpressionError, parseBoundExpression, type BoundExpression } from './expression.js';
export { loadMetrics, metricsFromObject, type MetricSet, type MetricSourceKind } from './results.js';
export { loadThresholds, parseThresholds, validateThresholds } from './thresholds.js';
export type { BoundKind, BoundLevel, BoundSpec, Thresholds } from './bounds.js';
export { applyGate, evaluateGate, boundHolds, prepareGate, type BoundOutcome, type BoundStatus, type GateResult, type PreparedGate, type ResolvedBound } from './evaluate-gate.js';
export {
  describeBound,
  describeMiss,
  escapeCommandData,
  escapeCommandProperty,
  escapeXml,
  formatGateNumber,
  gateSummaryLine,
  gateToJson,
  githubAnnotations,
  renderGateMarkdown,
  renderGateTable,
  renderJunit,
} from './render.js';

/**
 * Loads a thresholds file and an optional baseline (result file or run directory) and computes
 * every bound's limit. Throws one-line GenEvalErrors (exit 2) naming the file at fault.
 */
export function prepareGateFiles(thresholdsFile: string, baselinePath?: string): PreparedGate {
  const thresholds = loadThresholds(thresholdsFile);
  const baseline = baselinePath !== undefined ? loadMetrics(baselinePath) : undefined;
  return prepareGate(thresholds, baseline);
}

/** `gen-eval check` as a function: loads everything and returns the verdict (it never prints). */
export function checkFiles(resultsPath: string, thresholdsFile: string, baselinePath?: string): GateResult {
  const gate = prepareGateFiles(thresholdsFile, baselinePath);
  return applyGate(gate, loadMetrics(resultsPath));
}
