/**
 * Evaluating a gate in two steps: `prepareGate` turns every bound into a number (evaluating the
 * expressions over the baseline), which needs no results, so `eval --thresholds` can reject a
 * bad thresholds file or baseline before spending time on features; `applyGate` then compares
 * the results with those limits.
 */
import { inputError, quoteInput } from '@gen-eval/metrics/errors';
import { ExpressionError } from './expression.js';
import { impossibleBound } from './metric-names.js';
import { inDeclaredSpace, spaceDifference, type RecordedSpace } from './feature-space.js';
import type { MetricSet } from './results.js';
import type { BoundKind, BoundLevel, BoundSpec, Thresholds } from './bounds.js';

/** A bound's outcome: `pass`; `fail` for a failed error-level bound; `warn` for a failed warn-level one. */
export type BoundStatus = 'pass' | 'warn' | 'fail';

/** A bound with its limit computed. */
export interface ResolvedBound extends BoundSpec {
  /** The number the value is compared with: value ≥ limit for `min`, value ≤ limit for `max`. */
  readonly limit: number;
}

/** Thresholds whose limits are known: ready to apply to results. */
export interface PreparedGate {
  readonly thresholds: Thresholds;
  /** The baseline's source, when one was given. */
  readonly baseline?: string;
  /** The baseline's feature space, when it records one. */
  readonly baselineSpace?: RecordedSpace;
  readonly bounds: readonly ResolvedBound[];
}

/** One bound checked against the results. */
export interface BoundOutcome {
  readonly metric: string;
  /** `fid.max`, `fid.warn.max`. */
  readonly key: string;
  readonly kind: BoundKind;
  readonly level: BoundLevel;
  /** The bound as written (a number or an expression). */
  readonly bound: string;
  /** Whether the bound is an expression (then `limit` is its value). */
  readonly isExpression: boolean;
  readonly limit: number;
  readonly value: number;
  /** Whether the value is within the bound. */
  readonly held: boolean;
  readonly status: BoundStatus;
}

/** The gate's verdict. */
export interface GateResult {
  /** `fail` when an error-level bound failed, else `warn` when a warn-level one did, else `pass`. */
  readonly status: BoundStatus;
  /** `true` unless an error-level bound failed (warnings pass). */
  readonly passed: boolean;
  readonly counts: { readonly pass: number; readonly warn: number; readonly fail: number };
  readonly outcomes: readonly BoundOutcome[];
  readonly thresholds: string;
  readonly results: string;
  readonly baseline?: string;
}

/** A name as messages show it: whole when short, else quoted and cut (see quoteInput). */
const shortName = (name: string) => (name.length <= 40 ? name : quoteInput(name, 40));

/** A short list of names for messages. */
function listKeys(keys: Iterable<string>): string {
  const all = [...keys];
  const shown = all.slice(0, 12).map(shortName).join(', ');
  return all.length > 12 ? `${shown}, … (${all.length} in all)` : shown || 'none';
}

/** The limit of one bound, evaluated over the baseline when it is an expression. */
function resolveOne(b: BoundSpec, file: string, baseline: MetricSet | undefined): number {
  if (b.expression === undefined) return b.number!;
  const expr = b.expression;
  const where = `${quoteInput(b.key)}: expression ${quoteInput(expr.text)}`;
  if (expr.baselineKeys.length > 0 && !baseline) {
    throw inputError(file, `${where} uses baseline.${shortName(expr.baselineKeys[0]!)}, but no baseline was given (\`baseline\`)`, { options: ['baseline'] });
  }
  for (const key of expr.baselineKeys) {
    if (baseline!.values.has(key)) continue;
    const bad = baseline!.invalid.get(key);
    if (bad !== undefined) throw inputError(baseline!.source, `${quoteInput(key)} ${bad}, but ${file} ${quoteInput(b.key)} uses it`);
    throw inputError(file, `${where} names unknown baseline key ${quoteInput(key)} (${baseline!.source} has ${listKeys(baseline!.values.keys())})`);
  }
  try {
    return expr.evaluate(baseline?.values ?? new Map());
  } catch (err) {
    if (err instanceof ExpressionError) throw inputError(file, `${where} ${err.message}`);
    throw err;
  }
}

/**
 * Computes every bound's limit. Throws one-line input errors (exit 2) for an expression that
 * reads the baseline when none is given, names a key the baseline lacks, or does not give a
 * finite number, for a metric whose min is above its max at the same level, a warn bound looser
 * than the bound that fails (it could never show), or a bound beyond the values the metric can
 * take (metric-table.ts's range).
 */
export function prepareGate(thresholds: Thresholds, baseline?: MetricSet): PreparedGate {
  const bounds: ResolvedBound[] = thresholds.bounds.map((b) => ({ ...b, limit: resolveOne(b, thresholds.file, baseline) }));
  for (const b of bounds) {
    const impossible = impossibleBound(b.metric, b.kind, b.limit);
    if (impossible !== undefined) throw inputError(thresholds.file, `${quoteInput(b.key)}: ${impossible}`);
  }
  for (const metric of thresholds.metrics) {
    for (const level of ['error', 'warn'] as const) {
      const lo = bounds.find((b) => b.metric === metric && b.level === level && b.kind === 'min');
      const hi = bounds.find((b) => b.metric === metric && b.level === level && b.kind === 'max');
      // No value could pass: surely a mistake in the file (or a baseline far from expected).
      if (lo && hi && lo.limit > hi.limit) {
        const name = level === 'warn' ? `${metric}.warn` : metric;
        throw inputError(thresholds.file, `${quoteInput(name)}: min ${lo.limit} is above max ${hi.limit}, so no value can pass`);
      }
    }
  }
  for (const w of bounds.filter((b) => b.level === 'warn')) {
    const own = bounds.find((b) => b.metric === w.metric && b.level === 'error' && b.kind === w.kind);
    // A value past a looser warn bound is past the error bound first: the warning could never show.
    if (own && (w.kind === 'max' ? w.limit > own.limit : w.limit < own.limit)) {
      const side = w.kind === 'max' ? 'above' : 'below';
      throw inputError(
        thresholds.file,
        `${quoteInput(w.key)}: ${w.limit} is ${side} ${quoteInput(own.key)} ${own.limit}, so the warning can never show (a value past it fails first); a warn bound must be stricter than the bound that fails`,
      );
    }
  }
  return { thresholds, bounds, ...(baseline ? { baseline: baseline.source } : {}), ...(baseline?.space ? { baselineSpace: baseline.space } : {}) };
}

/**
 * Refuses (one-line input error) to compare results with bounds set in another feature space:
 * the thresholds file's declared `extractor`, or a baseline whose inputs record another extractor
 * or profile when an expression reads it. Results or baselines that record no space (feature
 * files) are not refused: nothing says they differ.
 */
function checkSameSpace(gate: PreparedGate, results: MetricSet): void {
  const { thresholds } = gate;
  const space = results.space;
  if (space === undefined) return;
  if (thresholds.extractor !== undefined && !space.extractor.split(' / ').every((e) => inDeclaredSpace(thresholds.extractor!, e))) {
    throw inputError(
      thresholds.file,
      `"extractor": the bounds were set for ${quoteInput(thresholds.extractor, 60)} features but the results (${results.source}) were measured with ${quoteInput(space.extractor, 60)}; their values are on another scale (recompute them with that extractor, or set bounds for this one)`,
    );
  }
  const reader = gate.bounds.find((b) => (b.expression?.baselineKeys.length ?? 0) > 0);
  const difference = gate.baselineSpace !== undefined && reader !== undefined ? spaceDifference(gate.baselineSpace, space) : undefined;
  if (difference !== undefined) {
    throw inputError(
      gate.baseline!,
      `measured in another feature space than the results (${results.source}): ${difference}; ${quoteInput(reader!.key)} would compare them (recompute the baseline with the same extractor and profile)`,
    );
  }
}

/** Whether `value` is within a bound. */
export function boundHolds(kind: BoundKind, value: number, limit: number): boolean {
  return kind === 'min' ? value >= limit : value <= limit;
}

/**
 * Checks the results against prepared bounds. Throws a one-line input error when a bounded
 * metric is missing from the results (naming the thresholds file and key) or is not a finite
 * number (naming the results).
 */
export function applyGate(gate: PreparedGate, results: MetricSet): GateResult {
  const file = gate.thresholds.file;
  checkSameSpace(gate, results);
  const outcomes: BoundOutcome[] = gate.bounds.map((b) => {
    const value = results.values.get(b.metric);
    if (value === undefined) {
      const bad = results.invalid.get(b.metric);
      if (bad !== undefined) throw inputError(results.source, `${quoteInput(b.metric)} ${bad}`);
      throw inputError(file, `${quoteInput(b.key)}: the results (${results.source}) have no metric ${quoteInput(b.metric)}; they have ${listKeys(results.values.keys())}`);
    }
    const held = boundHolds(b.kind, value, b.limit);
    const status: BoundStatus = held ? 'pass' : b.level === 'warn' ? 'warn' : 'fail';
    return { metric: b.metric, key: b.key, kind: b.kind, level: b.level, bound: b.text, isExpression: b.expression !== undefined, limit: b.limit, value, held, status };
  });
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const o of outcomes) counts[o.status]++;
  const status: BoundStatus = counts.fail > 0 ? 'fail' : counts.warn > 0 ? 'warn' : 'pass';
  return {
    status,
    passed: counts.fail === 0,
    counts,
    outcomes,
    thresholds: file,
    results: results.source,
    ...(gate.baseline !== undefined ? { baseline: gate.baseline } : {}),
  };
}

/** prepareGate then applyGate, for callers that have the results already. */
export function evaluateGate(thresholds: Thresholds, results: MetricSet, baseline?: MetricSet): GateResult {
  return applyGate(prepareGate(thresholds, baseline), results);
}
