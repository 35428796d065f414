/**
 * Inception Score (Salimans et al. 2016) from classifier logits:
 * IS = exp(E_x KL(p(y|x) ‖ p(y))), computed per split and reported as mean ± population std.
 *
 * Conventions (OpenAI original, torch-fidelity): float64 softmax / log-softmax of the logits,
 * `splits` contiguous chunks with boundaries ⌊i·N/splits⌋ (every sample used), p(y) = the split's
 * mean prediction, std with ddof 0. Rows keep their order unless a shuffle seed is given; with
 * one, rows are permuted by numpy's `RandomState(seed).permutation(N)` first, exactly as
 * torch-fidelity does (it shuffles by default with seed 2020).
 *
 * Memory O(K): each split is streamed twice (its mean prediction, then the KL terms), so the
 * N × K probability matrix is never materialised.
 */
import { DEFAULTS } from './defaults.js';
import { GenEvalError, usageError } from './errors.js';
import type { Matrix } from './matrix.js';
import { RandomState } from './random.js';

/** Options of `inceptionScore`: splits (default 10) and an optional shuffle seed. */
export interface InceptionScoreOptions {
  /** Number of splits (default `DEFAULTS.isSplits` = 10). */
  splits?: number;
  /** Permute rows with `RandomState(seed).permutation(N)` first; null/undefined keeps the order. */
  shuffleSeed?: number | null;
}

/** Inception Score: mean and population std of exp(E KL(p(y|x) ‖ p(y))) over the splits. */
export interface InceptionScoreResult {
  /** Mean of the per-split scores. */
  mean: number;
  /** Population standard deviation (ddof 0) of the per-split scores. */
  std: number;
  /** exp(mean KL) of each split, in order. */
  scores: number[];
  /** Samples and classes of the logits. */
  n: number;
  classes: number;
  splits: number;
  shuffleSeed: number | null;
}

/** log Σ exp(row), shifted by the row maximum so that large logits do not overflow. */
function logSumExp(data: Matrix['data'], offset: number, k: number): number {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, data[offset + c]!);
  let s = 0;
  for (let c = 0; c < k; c++) s += Math.exp(data[offset + c]! - max);
  return max + Math.log(s);
}

/** Mean softmax prediction of the given rows (p(y) of a split). */
function meanPrediction(logits: Matrix, rows: ArrayLike<number>, lo: number, hi: number): Float64Array {
  const k = logits.cols;
  const q = new Float64Array(k);
  for (let r = lo; r < hi; r++) {
    const o = rows[r]! * k;
    const lse = logSumExp(logits.data, o, k);
    for (let c = 0; c < k; c++) q[c]! += Math.exp(logits.data[o + c]! - lse);
  }
  for (let c = 0; c < k; c++) q[c]! /= hi - lo;
  return q;
}

/** exp(mean over the rows of KL(p_i ‖ q)). */
function splitScore(logits: Matrix, rows: ArrayLike<number>, lo: number, hi: number, q: Float64Array): number {
  const k = logits.cols;
  const logQ = q.map(Math.log);
  let total = 0;
  for (let r = lo; r < hi; r++) {
    const o = rows[r]! * k;
    const lse = logSumExp(logits.data, o, k);
    let kl = 0;
    for (let c = 0; c < k; c++) {
      const logP = logits.data[o + c]! - lse;
      const p = Math.exp(logP);
      // p = 0 contributes 0 (the limit of p·log p); skipping it also avoids 0·(−∞) when q underflows.
      if (p > 0) kl += p * (logP - logQ[c]!);
    }
    total += kl;
  }
  return Math.exp(total / (hi - lo));
}

/** Mean and population (ddof 0) standard deviation. */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i]!;
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(v / n) };
}

/**
 * Inception Score of an N × K logits matrix (unnormalised log-probabilities, e.g. pytorch-fid's
 * Inception "logits_unbiased", K = 1008).
 * @throws GenEvalError when there are fewer samples than splits or fewer than 2 classes.
 */
export function inceptionScore(logits: Matrix, opts: InceptionScoreOptions = {}): InceptionScoreResult {
  const splits = opts.splits ?? DEFAULTS.isSplits;
  const shuffleSeed = opts.shuffleSeed ?? DEFAULTS.isShuffleSeed;
  const n = logits.rows;
  if (!Number.isInteger(splits) || splits < 1) throw usageError(`splits must be a positive integer, got ${splits}`);
  if (n < splits) throw new GenEvalError(`Inception Score: ${splits} splits need at least ${splits} samples, found ${n}`);
  if (logits.cols < 2) throw new GenEvalError(`Inception Score: logits need at least 2 classes, found ${logits.cols}`);
  let rows: ArrayLike<number>;
  if (shuffleSeed === null) {
    const identity = new Uint32Array(n);
    for (let i = 0; i < n; i++) identity[i] = i;
    rows = identity;
  } else {
    rows = new RandomState(shuffleSeed).permutation(n);
  }
  const scores: number[] = [];
  for (let i = 0; i < splits; i++) {
    // Integer boundaries ⌊i·N/splits⌋: every sample lands in exactly one split.
    const lo = Math.floor((i * n) / splits);
    const hi = Math.floor(((i + 1) * n) / splits);
    scores.push(splitScore(logits, rows, lo, hi, meanPrediction(logits, rows, lo, hi)));
  }
  return { ...meanStd(scores), scores, n, classes: logits.cols, splits, shuffleSeed };
}
