/**
 * Exact Wasserstein distances between 1-D empirical distributions.
 *
 * `wasserstein1d` is W₁ = ∫|F_u − F_v| (the area between the two CDFs), with optional weights —
 * the same quantity and the same route as `scipy.stats.wasserstein_distance`. `wassersteinPowSorted`
 * is W_p^p = ∫₀¹|F_u⁻¹ − F_v⁻¹|^p for sorted, equally weighted samples (the quantity POT's
 * `wasserstein_1d` returns), used by the sliced estimators.
 */
import { inputError, internalError } from '../errors.js';
import { DEFAULT_NAMES } from './validate.js';

/** Options of `wasserstein1d`: optional sample weights (default equal) and input names. */
export interface Wasserstein1dOptions {
  /** Non-negative weights of u's samples (default: equal); normalised to sum 1. */
  uWeights?: ArrayLike<number>;
  /** Non-negative weights of v's samples (default: equal). */
  vWeights?: ArrayLike<number>;
  /** Names for error messages: [u, v, u weights, v weights]. */
  names?: readonly [string, string, string?, string?];
}

interface SortedSample {
  readonly values: Float64Array;
  /** cum[i] = total weight of the i smallest values (cum[0] = 0); null for equal weights. */
  readonly cum: Float64Array | null;
}

function sortWithWeights(x: ArrayLike<number>, w: ArrayLike<number> | undefined, name: string, wName: string): SortedSample {
  if (x.length === 0) throw inputError(name, 'is empty (no samples)');
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v - v !== 0) throw inputError(name, `${Number.isNaN(v) ? 'NaN' : 'Inf'} at index ${i}`);
  }
  if (w === undefined) return { values: Float64Array.from(x).sort(), cum: null };
  if (w.length !== x.length) throw inputError(wName, `has ${w.length} weights for ${x.length} samples of ${name}`);
  let total = 0;
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    if (!(v >= 0) || !Number.isFinite(v)) throw inputError(wName, `weight ${i} is ${v}; weights must be finite and ≥ 0`);
    total += v;
  }
  if (!(total > 0)) throw inputError(wName, 'weights sum to 0');
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
  const values = new Float64Array(x.length);
  const cum = new Float64Array(x.length + 1);
  order.forEach((idx, i) => {
    values[i] = x[idx]!;
    cum[i + 1] = cum[i]! + w[idx]!;
  });
  return { values, cum };
}

/** F(t) for t = the current merged breakpoint, given how many values are ≤ t. */
function cdfAt(s: SortedSample, countLe: number): number {
  return s.cum === null ? countLe / s.values.length : s.cum[countLe]! / s.cum[s.values.length]!;
}

/**
 * W₁ between two 1-D samples, optionally weighted: Σ |F_u(t_k) − F_v(t_k)|·(t_{k+1} − t_k) over the
 * merged sorted values t. Equals `scipy.stats.wasserstein_distance(u, v, uWeights, vWeights)`.
 */
export function wasserstein1d(u: ArrayLike<number>, v: ArrayLike<number>, opts: Wasserstein1dOptions = {}): number {
  const names = opts.names ?? DEFAULT_NAMES;
  const a = sortWithWeights(u, opts.uWeights, names[0], names[2] ?? `${names[0]} weights`);
  const b = sortWithWeights(v, opts.vWeights, names[1], names[3] ?? `${names[1]} weights`);
  const A = a.values;
  const B = b.values;
  let i = 0; // values of A ≤ current t
  let j = 0;
  let t = Math.min(A[0]!, B[0]!);
  let sum = 0;
  // Walk the merged breakpoints; between t and the next breakpoint both CDFs are constant.
  while (i < A.length || j < B.length) {
    while (i < A.length && A[i]! <= t) i++;
    while (j < B.length && B[j]! <= t) j++;
    if (i === A.length && j === B.length) break;
    const next = Math.min(i < A.length ? A[i]! : Infinity, j < B.length ? B[j]! : Infinity);
    sum += Math.abs(cdfAt(a, i) - cdfAt(b, j)) * (next - t);
    t = next;
  }
  return sum;
}

/**
 * W_p^p = ∫₀¹ |F_a⁻¹(s) − F_b⁻¹(s)|^p ds for two ascending arrays with equal weights per sample
 * (sizes may differ). Breakpoints i/n and j/m are compared exactly in integers, so equal
 * quantile levels merge without rounding.
 */
export function wassersteinPowSorted(a: ArrayLike<number>, b: ArrayLike<number>, p: number): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) throw internalError('wassersteinPowSorted: empty sample');
  if (n === m) {
    let s = 0;
    if (p === 1) for (let i = 0; i < n; i++) s += Math.abs(a[i]! - b[i]!);
    else if (p === 2) for (let i = 0; i < n; i++) s += (a[i]! - b[i]!) ** 2;
    else for (let i = 0; i < n; i++) s += Math.abs(a[i]! - b[i]!) ** p;
    return s / n;
  }
  let i = 0;
  let j = 0;
  let prev = 0; // the quantile level reached so far, in units of 1/(n·m)
  let s = 0;
  while (i < n && j < m) {
    const nextA = (i + 1) * m; // (i+1)/n in units of 1/(n·m)
    const nextB = (j + 1) * n;
    const next = Math.min(nextA, nextB);
    const diff = Math.abs(a[i]! - b[j]!);
    s += (next - prev) * (p === 1 ? diff : diff ** p);
    prev = next;
    if (nextA === next) i++;
    if (nextB === next) j++;
  }
  return s / (n * m);
}
