/**
 * Metric values a gate checks: from a `gen-eval … --json` result file (a flat object whose finite
 * top-level numbers are the metrics), a run directory written by `gen-eval train` (its
 * summary.json's `metrics`), a summary.json itself, or an in-memory result object (`eval
 * --thresholds`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '@gen-eval/metrics/errors';
import { isRunSummary } from '../input-kind.js';

/** Where a metric set came from. */
export type MetricSourceKind = 'result' | 'summary' | 'run';

/** The metric values of one results (or baseline) input. */
export interface MetricSet {
  /** The path (or label) used in messages. */
  readonly source: string;
  readonly kind: MetricSourceKind;
  /** Finite metric values by name. */
  readonly values: ReadonlyMap<string, number>;
  /**
   * Metrics present but not finite numbers (e.g. `null`, which is how JSON.stringify writes NaN),
   * described for messages: an error only when a bound needs one.
   */
  readonly invalid: ReadonlyMap<string, string>;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A short description of a non-number value for messages. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number') return String(v);
  return Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : String(v);
}

/**
 * The metrics of a parsed results object. A run summary (an object whose `metrics` is an object)
 * contributes its `metrics`; any other object its top-level finite numbers, ignoring strings,
 * arrays and objects (details, inputs, warnings, a `gate` section) and reporting `null`s as
 * non-finite. Throws a one-line input error naming `source` when there is no metric at all.
 */
export function metricsFromObject(obj: unknown, source: string, kind: MetricSourceKind = 'result'): MetricSet {
  if (!isRecord(obj)) throw inputError(source, `expected a JSON object of metrics, got ${describe(obj)}`);
  const values = new Map<string, number>();
  const invalid = new Map<string, string>();
  const summary = isRunSummary(obj);
  const entries = Object.entries(summary ? (obj.metrics as Record<string, unknown>) : obj);
  for (const [k, v] of entries) {
    if (typeof v === 'number' && Number.isFinite(v)) values.set(k, v);
    // Inside a summary's `metrics` every key is a metric; at the top level of a result file only
    // numbers and nulls (NaN, ±∞ once serialised) are, the rest is context.
    else if (summary || v === null || typeof v === 'number') invalid.set(k, describe(v));
  }
  if (values.size === 0) {
    const where = summary ? 'its "metrics" object has no finite number' : 'no top-level number';
    throw inputError(
      source,
      `no metric found (${where}; expected a gen-eval result (a JSON object of metric values, as eval, fid, kid, … write it), a run directory or its summary.json)`,
    );
  }
  return { source, kind: summary && kind === 'result' ? 'summary' : kind, values, invalid };
}

/** Reads and parses a JSON file, with one-line errors naming it. */
function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw inputError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw inputError(file, `not JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * Loads the metrics of a results (or baseline) path: a `--json` result file, a run summary.json,
 * or a run directory. Throws one-line input errors (exit 2) naming the path.
 */
export function loadMetrics(path: string): MetricSet {
  if (!existsSync(path)) throw inputError(path, 'no such file or folder');
  if (statSync(path).isDirectory()) {
    const summary = join(path, 'summary.json');
    if (!existsSync(summary)) {
      const problem = existsSync(join(path, 'config.json'))
        ? 'the run has no summary.json yet (still training, or stopped before writing it)'
        : 'not a run directory (no summary.json) nor a results file';
      throw inputError(path, problem);
    }
    const obj = readJson(summary);
    if (!isRecord(obj) || !isRecord(obj.metrics)) throw inputError(summary, 'expected a run summary with a "metrics" object (see docs/run-format.md)');
    return metricsFromObject(obj, summary, 'run');
  }
  return metricsFromObject(readJson(path), path);
}
