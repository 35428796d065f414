/**
 * The thresholds file of a quality gate, JSON or YAML:
 *
 * ```yaml
 * fid:
 *   max: baseline.fid * 1.05     # fails the gate
 *   warn: { max: 40 }            # only reported (Lighthouse CI's "warn" level)
 * is_mean: { min: 2.0 }
 * ```
 *
 * Each metric has a `min` and/or `max` (a number or a bound expression), and optionally `warn`
 * with its own `min`/`max`. An optional top-level `extractor: dinov2` says which feature space the
 * bounds were set in: results measured with another extractor are then refused. Everything is
 * validated here, before any result is computed, so a typo fails fast with one line naming the
 * file, the key and the problem.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { inputError, quoteInput } from '@gen-eval/metrics/errors';
import type { BoundKind, BoundLevel, BoundSpec, Thresholds } from './bounds.js';
import { ExpressionError, parseBoundExpression } from './expression.js';
import { misnamedMetric } from './metric-names.js';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A value as the user wrote it, for messages. */
const show = (v: unknown) =>
  v === undefined ? 'nothing' : Array.isArray(v) ? 'a list' : isRecord(v) ? 'a mapping' : typeof v === 'string' ? quoteInput(v, 40) : JSON.stringify(v);

/** Parses the text as JSON or YAML into a plain value. */
function parseText(text: string, file: string): unknown {
  // YAML accepts nearly any text as a scalar, so binary data must be caught before it.
  // eslint-disable-next-line no-control-regex -- control characters are what marks binary data
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw inputError(file, 'neither JSON nor YAML (binary data)');
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw inputError(file, `not valid JSON: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  // YAML 1.2 is a superset of JSON, so other extensions (.yaml, .yml, none) go through YAML,
  // which also rejects duplicate keys that JSON.parse would silently merge.
  const doc = parseDocument(text, { uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const where = first.linePos ? `line ${first.linePos[0].line}, column ${first.linePos[0].col}: ` : '';
    const message = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const what = ext === '.yaml' || ext === '.yml' ? 'not valid YAML' : 'neither JSON nor YAML';
    throw inputError(file, `${what}: ${where}${message}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // yaml refuses a document whose aliases expand exponentially ("billion laughs").
    const message = (err as Error).message.split('\n')[0]!;
    const problem = /alias count/i.test(message) ? 'its aliases expand too far (a "billion laughs" document?); write the bounds out' : message;
    throw inputError(file, `not valid YAML: ${problem}`);
  }
}

/** The top-level key that declares the feature space of the bounds (not a metric). */
const EXTRACTOR_KEY = 'extractor';

/** Validates one bound value (number or expression) at `key`. */
function boundSpec(file: string, metric: string, kind: BoundKind, level: BoundLevel, key: string, value: unknown): BoundSpec {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw inputError(file, `${quoteInput(key)}: must be a finite number or an expression, got ${value}`);
    return { metric, kind, level, key, text: String(value), number: value };
  }
  if (typeof value === 'string') {
    try {
      return { metric, kind, level, key, text: value, expression: parseBoundExpression(value) };
    } catch (err) {
      if (err instanceof ExpressionError) throw inputError(file, `${quoteInput(key)}: expression ${quoteInput(value)} ${err.message}`);
      throw err;
    }
  }
  throw inputError(file, `${quoteInput(key)}: must be a number or an expression string such as ${quoteInput(`baseline.${metric} * 1.05`)}, got ${show(value)}`);
}

/** The min/max of one level's mapping; rejects any other key. */
function levelBounds(file: string, metric: string, level: BoundLevel, prefix: string, obj: Record<string, unknown>): BoundSpec[] {
  const allowed = level === 'error' ? ['min', 'max', 'warn'] : ['min', 'max'];
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) {
      const hint = level === 'warn' && k === 'warn' ? ' (warn bounds cannot nest)' : '';
      throw inputError(file, `${quoteInput(`${prefix}.${k}`)}: unknown key${hint}; a bound ${level === 'warn' ? 'under "warn" ' : ''}may have ${allowed.join(', ')}`);
    }
  }
  const out: BoundSpec[] = [];
  for (const kind of ['min', 'max'] as const) {
    if (kind in obj) out.push(boundSpec(file, metric, kind, level, `${prefix}.${kind}`, obj[kind]));
  }
  return out;
}

/**
 * Validates parsed thresholds (the object of a JSON/YAML file). Throws one-line input errors
 * naming `file` and the key: a metric that is not a mapping, a bound with neither min nor max,
 * an unknown key, a bound that is neither a finite number nor an expression that parses, a
 * metric name that is surely misspelt (`FID`) or a group rather than a key (`kid`).
 */
export function validateThresholds(data: unknown, file: string): Thresholds {
  if (data === null || data === undefined) throw inputError(file, 'is empty; expected bounds per metric, e.g. {"fid": {"max": 40}}');
  if (!isRecord(data)) throw inputError(file, `expected a mapping of metric → bounds, e.g. {"fid": {"max": 40}}, got ${show(data)}`);
  const declared = data[EXTRACTOR_KEY];
  if (declared !== undefined && (typeof declared !== 'string' || declared.trim() === '')) {
    throw inputError(file, `"${EXTRACTOR_KEY}": expected the extractor the bounds were set with (e.g. inception, dinov2), got ${show(declared)}`);
  }
  const metrics = Object.keys(data).filter((k) => k !== EXTRACTOR_KEY);
  if (metrics.length === 0) throw inputError(file, 'has no bound; expected bounds per metric, e.g. {"fid": {"max": 40}}');
  const bounds: BoundSpec[] = [];
  for (const metric of metrics) {
    const misnamed = misnamedMetric(metric);
    if (misnamed !== undefined) throw inputError(file, `${quoteInput(metric)}: ${misnamed}`);
    const spec = data[metric];
    if (!isRecord(spec)) {
      throw inputError(file, `${quoteInput(metric)}: expected a mapping with "min", "max" and/or "warn", got ${show(spec)}`);
    }
    const own = levelBounds(file, metric, 'error', metric, spec);
    let warned: BoundSpec[] = [];
    if ('warn' in spec) {
      const w = spec.warn;
      if (!isRecord(w)) throw inputError(file, `${quoteInput(`${metric}.warn`)}: expected a mapping with "min" and/or "max", got ${show(w)}`);
      warned = levelBounds(file, metric, 'warn', `${metric}.warn`, w);
      if (warned.length === 0) throw inputError(file, `${quoteInput(`${metric}.warn`)}: a bound needs "min" or "max"`);
    }
    if (own.length + warned.length === 0) throw inputError(file, `${quoteInput(metric)}: a bound needs "min" or "max" (or a "warn" mapping with them)`);
    bounds.push(...own, ...warned);
  }
  return { file, bounds, metrics, ...(typeof declared === 'string' ? { extractor: declared } : {}) };
}

/** Parses and validates thresholds given as text (JSON or YAML; `file` names it in messages). */
export function parseThresholds(text: string, file: string): Thresholds {
  // A byte-order mark (some Windows editors write one) is not part of either syntax.
  return validateThresholds(parseText(text.replace(/^\uFEFF/, ''), file), file);
}

/** Reads, parses and validates a thresholds file (JSON, or YAML for any other extension). */
export function loadThresholds(file: string): Thresholds {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw inputError(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, expected a JSON or YAML file' : `cannot read: ${code ?? (err as Error).message}`);
  }
  return parseThresholds(text, file);
}
