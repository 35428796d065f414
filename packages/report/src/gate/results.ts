/**
 * Metric values a gate checks: from a `gen-eval … --json` result file (a flat object whose finite
 * top-level numbers are the metrics), a run directory written by `gen-eval train` (its
 * summary.json's `metrics`), a summary.json itself, or an in-memory result object (`eval
 * --thresholds`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError, quoteInput } from '@gen-eval/metrics/errors';
import { isRunSummary } from '../input-kind.js';
import { recordedSpace, type RecordedSpace } from './feature-space.js';

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
   * Keys present but not finite numbers, each with what it is instead (`is not a finite number
   * (null)`, which is how JSON.stringify writes NaN; `is a string ("2.0"), not a number`): an
   * error only when a bound needs one.
   */
  readonly invalid: ReadonlyMap<string, string>;
  /** The feature space its inputs record (image inputs' extractor and profile), when they record one. */
  readonly space?: RecordedSpace;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A short description of a non-number value for messages. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quoteInput(v, 40);
  if (typeof v === 'number') return String(v);
  return Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : String(v);
}

/** What a value that should be a metric is instead: `is not a finite number (null)`, `is a string ("2.0"), not a number`. */
function notANumber(v: unknown): string {
  if (v === null || typeof v === 'number') return `is not a finite number (${describe(v)})`;
  return typeof v === 'string' ? `is a string (${describe(v)}), not a number` : `is ${describe(v)}, not a number`;
}

/**
 * The metrics of a parsed results object. A run summary (an object whose `metrics` is an object)
 * contributes its `metrics`; any other object its top-level finite numbers. Every other value
 * (null, which is how JSON.stringify writes NaN and ±∞; a string such as "2.0"; details, inputs,
 * warnings, a `gate` section) goes to `invalid`, an error only when a bound needs it. Throws a
 * one-line input error naming `source` when there is no metric at all, or when a summary has a
 * metric's name at its top level too (which of the two a gate means cannot be told).
 */
export function metricsFromObject(obj: unknown, source: string, kind: MetricSourceKind = 'result'): MetricSet {
  if (!isRecord(obj)) throw inputError(source, `expected a JSON object of metrics, got ${describe(obj)}`);
  const values = new Map<string, number>();
  const invalid = new Map<string, string>();
  const summary = isRunSummary(obj);
  const metrics = summary ? (obj.metrics as Record<string, unknown>) : obj;
  const both = summary ? Object.keys(metrics).find((k) => Object.hasOwn(obj, k)) : undefined;
  if (both !== undefined) {
    const where = `${quoteInput(both)} is both a top-level key (${describe(obj[both])}) and a key of "metrics" (${describe(metrics[both])})`;
    throw inputError(source, `${where}: which one is the metric is ambiguous; keep only one`);
  }
  for (const [k, v] of Object.entries(metrics)) {
    if (typeof v === 'number' && Number.isFinite(v)) values.set(k, v);
    else invalid.set(k, notANumber(v));
  }
  if (values.size === 0) {
    // A number written as a string ("2.0") is the likely mistake: say so.
    const near = [...invalid].find(([, why]) => why.startsWith('is a string') || why.startsWith('is not a finite'));
    const where = `${summary ? 'its "metrics" object has no finite number' : 'no top-level number'}${near ? `; ${quoteInput(near[0])} ${near[1]}` : ''}`;
    throw inputError(
      source,
      `no metric found (${where}; expected a gen-eval result (a JSON object of metric values, as eval, fid, kid, … write it), a run directory or its summary.json)`,
    );
  }
  const space = recordedSpace(obj);
  return { source, kind: summary && kind === 'result' ? 'summary' : kind, values, invalid, ...(space !== undefined ? { space } : {}) };
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
