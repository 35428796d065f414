/**
 * KL and Jensen–Shannon divergences between two histograms over the same bins.
 *
 * Conventions (scipy.stats.entropy / scipy.special.rel_entr): both histograms are normalised to
 * sum to 1, 0·log(0/q) = 0, and p > 0 where q = 0 makes KL infinite. Zero bins are never patched
 * silently: `smoothing` ε adds ε to every bin of both histograms before normalising, and the result
 * records the ε used. JS is returned as a divergence, not its square root (scipy's `jensenshannon`
 * returns the distance √JS — a frequent source of mismatched numbers).
 */
import { inputError, usageError } from '../errors.js';
import { DEFAULT_NAMES, type InputNames } from './validate.js';

/** Logarithm base of the result: nats (`'e'`) or bits (`2`). */
export type LogBase = 'e' | 2;

/**
 * Options of `histogramKl` / `histogramJs`: log base, additive smoothing ε (default
 * `DEFAULTS.histogramSmoothing` = 0), input names.
 */
export interface HistogramOptions {
  /** Natural log (default) or bits. */
  base?: LogBase;
  /** ε ≥ 0 added to every bin of both histograms before normalising (default 0). */
  smoothing?: number;
  /** Names for error messages (default "P", "Q"). */
  names?: InputNames;
}

/** A histogram KL or JS divergence with the base and smoothing it was computed with. */
export interface HistogramDivergence {
  /** The divergence; `Infinity` for KL when q has an empty bin where p has mass. */
  readonly value: number;
  readonly base: LogBase;
  readonly smoothing: number;
}

/** Validates, smooths and normalises one histogram. */
function normalise(h: ArrayLike<number>, eps: number, name: string): Float64Array {
  if (h.length === 0) throw inputError(name, 'is empty (a histogram needs at least one bin)');
  const out = new Float64Array(h.length);
  let largest = eps;
  for (let i = 0; i < h.length; i++) {
    const v = h[i]!;
    if (v - v !== 0) throw inputError(name, `${Number.isNaN(v) ? 'NaN' : 'Inf'} in bin ${i}`);
    if (v < 0) throw inputError(name, `negative histogram entry ${v} in bin ${i}`);
    largest = Math.max(largest, v);
  }
  // Bins (and ε) are divided by a power of two near the largest one before summing, so that the
  // sum of bins near float64's maximum cannot overflow (it is at most 2·bins); dividing by a power
  // of two is exact, so ordinary histograms give bit-identical results.
  const scale = largest > 0 ? 2 ** Math.min(1023, Math.floor(Math.log2(largest))) : 1;
  let sum = 0;
  for (let i = 0; i < h.length; i++) {
    out[i] = h[i]! / scale + eps / scale;
    sum += out[i]!;
  }
  if (!(sum > 0)) throw inputError(name, 'all bins are zero (nothing to normalise); pass a smoothing ε > 0 or a non-empty histogram');
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

function prepare(p: ArrayLike<number>, q: ArrayLike<number>, opts: HistogramOptions): [Float64Array, Float64Array, number] {
  const names = opts.names ?? DEFAULT_NAMES;
  const eps = opts.smoothing ?? 0;
  if (!(eps >= 0) || !Number.isFinite(eps)) throw usageError(`smoothing must be a finite number ≥ 0, got ${eps}`);
  if (p.length !== q.length) {
    throw inputError(names[1], `has ${q.length} bins but ${names[0]} has ${p.length} (histograms of different length)`);
  }
  return [normalise(p, eps, names[0]), normalise(q, eps, names[1]), eps];
}

/** Σ p log(p/q) over normalised histograms, in nats (0·log 0 = 0). */
export function klNats(p: Float64Array, q: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    if (a === 0) continue;
    const b = q[i]!;
    if (b === 0) return Infinity;
    s += a * Math.log(a / b);
  }
  return s;
}

/** JS(p, q) = ½KL(p‖m) + ½KL(q‖m), m = (p+q)/2, in nats; always finite, at most log 2. */
export function jsNats(p: Float64Array, q: Float64Array): number {
  const m = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) m[i] = 0.5 * (p[i]! + q[i]!);
  return 0.5 * (klNats(p, m) + klNats(q, m));
}

function inBase(nats: number, base: LogBase): number {
  return base === 2 ? nats / Math.LN2 : nats;
}

/** KL(p ‖ q) between two histograms (normalised first; see the module notes). */
export function histogramKl(p: ArrayLike<number>, q: ArrayLike<number>, opts: HistogramOptions = {}): HistogramDivergence {
  const [a, b, eps] = prepare(p, q, opts);
  const base = opts.base ?? 'e';
  return { value: inBase(klNats(a, b), base), base, smoothing: eps };
}

/** Jensen–Shannon divergence (not its square root) between two histograms. */
export function histogramJs(p: ArrayLike<number>, q: ArrayLike<number>, opts: HistogramOptions = {}): HistogramDivergence {
  const [a, b, eps] = prepare(p, q, opts);
  const base = opts.base ?? 'e';
  return { value: inBase(jsNats(a, b), base), base, smoothing: eps };
}
