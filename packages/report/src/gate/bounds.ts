/**
 * The bounds of a quality gate as the thresholds file declares them: the contract between the
 * file's parser (thresholds.ts), the metric-table checks (metric-names.ts) and the gate's
 * evaluation (evaluate-gate.ts), in a file of its own so that none of them imports another for it.
 */
import type { BoundExpression } from './expression.js';

/** Which side a bound limits: the value must be ≥ a `min`, ≤ a `max`. */
export type BoundKind = 'min' | 'max';

/** `error` bounds fail the gate; `warn` bounds (under `warn:`) are only reported. */
export type BoundLevel = 'error' | 'warn';

/** One bound of the thresholds file. */
export interface BoundSpec {
  readonly metric: string;
  readonly kind: BoundKind;
  readonly level: BoundLevel;
  /** Its path in the file, as messages name it: `fid.max`, `fid.warn.max`. */
  readonly key: string;
  /** The bound as written: a number's text or the expression. */
  readonly text: string;
  /** Set for a numeric bound. */
  readonly number?: number;
  /** Set for an expression bound. */
  readonly expression?: BoundExpression;
}

/** A validated thresholds file. */
export interface Thresholds {
  /** The file (for messages). */
  readonly file: string;
  /** Every bound, in file order: per metric, error-level min, max, then warn-level min, max. */
  readonly bounds: readonly BoundSpec[];
  /** The metrics bounded, in file order. */
  readonly metrics: readonly string[];
  /**
   * The feature space the bounds were set in (`extractor: dinov2`, or a full extractor name):
   * results whose inputs record another extractor are refused.
   */
  readonly extractor?: string;
}
