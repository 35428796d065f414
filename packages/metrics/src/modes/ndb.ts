/**
 * NDB — the number of statistically different bins (Richardson & Weiss 2018): k-means bins on the
 * real samples, both sets assigned to the nearest bin centre, and a pooled two-proportion z-test
 * per bin at significance α; plus the Jensen–Shannon divergence (nats) of the two bin histograms.
 * As the reference code, bins are ordered by their real share (largest first) and a bin whose
 * pooled proportion is 0 or 1 (no variance) is not counted as different.
 */
import { createRequire } from 'node:module';
import type erfcFunction from '@stdlib/math-base-special-erfc';
import { DEFAULTS } from '../defaults.js';
import { badInputError, inputError, usageError } from '../errors.js';
import { nearestNeighbour } from '../knn.js';
import type { Matrix } from '../matrix.js';
import { jsNats } from '../divergence/histogram.js';
import { checkSamplePair, DEFAULT_NAMES, type InputNames } from '../divergence/validate.js';
import { kMeans } from './kmeans.js';

// @stdlib's erfc loads ~60 small modules (tens of ms): required on first use, not at import.
const require = createRequire(import.meta.url);
let erfcCached: typeof erfcFunction | undefined;
const erfc = (x: number): number => (erfcCached ??= require('@stdlib/math-base-special-erfc') as typeof erfcFunction)(x);

/**
 * Pooled two-proportion z-test: z = (p₁ − p₂)/√(p(1−p)(1/n₁ + 1/n₂)), p = (p₁n₁ + p₂n₂)/(n₁+n₂),
 * two-sided p-value 2Φ(−|z|) = erfc(|z|/√2). With p ∈ {0, 1} there is no variance: z = 0, p-value 1.
 */
export function twoProportionZTest(p1: number, n1: number, p2: number, n2: number): { z: number; pValue: number } {
  const p = (p1 * n1 + p2 * n2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: 0, pValue: 1 };
  const z = (p1 - p2) / se;
  return { z, pValue: erfc(Math.abs(z) / Math.SQRT2) };
}

/** NDB on given bin counts: per-bin proportions and two-proportion z-tests, number of different bins, JS divergence. */
export interface NdbStage {
  /** Bins whose proportions differ at level α. */
  readonly ndb: number;
  /** ndb / K. */
  readonly ndbFraction: number;
  /** JS divergence (nats) of the two bin histograms. */
  readonly js: number;
  readonly realProportions: readonly number[];
  readonly fakeProportions: readonly number[];
  readonly z: readonly number[];
  readonly pValues: readonly number[];
  readonly different: readonly boolean[];
}

/** The z-test and JS stage of NDB on given bin counts (bins in the order given). */
export function ndbFromCounts(realCounts: ArrayLike<number>, fakeCounts: ArrayLike<number>, alpha: number = DEFAULTS.ndbAlpha): NdbStage {
  const K = realCounts.length;
  if (fakeCounts.length !== K) throw badInputError(`bin counts differ in length (${K} vs ${fakeCounts.length})`);
  let n1 = 0;
  let n2 = 0;
  for (let b = 0; b < K; b++) {
    n1 += realCounts[b]!;
    n2 += fakeCounts[b]!;
  }
  const p1 = Float64Array.from({ length: K }, (_, b) => realCounts[b]! / n1);
  const p2 = Float64Array.from({ length: K }, (_, b) => fakeCounts[b]! / n2);
  const z: number[] = [];
  const pValues: number[] = [];
  const different: boolean[] = [];
  for (let b = 0; b < K; b++) {
    const t = twoProportionZTest(p1[b]!, n1, p2[b]!, n2);
    z.push(t.z);
    pValues.push(t.pValue);
    different.push(t.pValue < alpha);
  }
  const ndb = different.filter(Boolean).length;
  return { ndb, ndbFraction: ndb / K, js: jsNats(p1, p2), realProportions: Array.from(p1), fakeProportions: Array.from(p2), z, pValues, different };
}

/** Options of `ndb` (Richardson & Weiss 2018; defaults `DEFAULTS.ndb*`: 100 bins, α = 0.05). */
export interface NdbOptions {
  /** Number of k-means bins K (default `DEFAULTS.ndbBins`). */
  bins?: number;
  /** Significance level α (default 0.05). */
  alpha?: number;
  /** Seed of k-means++ (default `DEFAULTS.ndbSeed`). */
  seed?: number;
  maxIterations?: number;
  blockRows?: number;
  names?: InputNames;
}

/** NDB between real and generated samples, with the k-means binning used. */
export interface NdbResult extends NdbStage {
  readonly bins: number;
  readonly alpha: number;
  readonly seed: number;
  readonly kmeansIterations: number;
  readonly kmeansConverged: boolean;
}

/** NDB between real and generated samples (see the module notes). */
export async function ndb(real: Matrix, fake: Matrix, opts: NdbOptions = {}): Promise<NdbResult> {
  const names = opts.names ?? DEFAULT_NAMES;
  checkSamplePair(real, fake, names);
  const bins = opts.bins ?? DEFAULTS.ndbBins;
  const alpha = opts.alpha ?? DEFAULTS.ndbAlpha;
  const seed = opts.seed ?? DEFAULTS.ndbSeed;
  if (!Number.isInteger(bins) || bins < 2) throw usageError(`bins must be an integer ≥ 2, got ${bins}`);
  if (!(alpha > 0 && alpha < 1)) throw usageError(`alpha must lie in (0, 1), got ${alpha}`);
  if (real.rows < bins) throw inputError(names[0], `has ${real.rows} samples, fewer than the ${bins} bins`);
  const km = await kMeans(real, { k: bins, seed, maxIterations: opts.maxIterations, blockRows: opts.blockRows, name: names[0] });
  const realCounts = new Float64Array(bins);
  for (const a of km.assignments) realCounts[a]!++;
  const fakeCounts = new Float64Array(bins);
  for (const a of (await nearestNeighbour(fake, km.centres, { blockRows: opts.blockRows })).index) fakeCounts[a]!++;
  // Largest real bins first (stable on ties), as the reference implementation orders them.
  const order = Array.from({ length: bins }, (_, b) => b).sort((a, b) => realCounts[b]! - realCounts[a]! || a - b);
  const stage = ndbFromCounts(
    order.map((b) => realCounts[b]!),
    order.map((b) => fakeCounts[b]!),
    alpha,
  );
  return { ...stage, bins, alpha, seed, kmeansIterations: km.iterations, kmeansConverged: km.converged };
}
