/**
 * Improved precision and recall (Kynkäänniemi et al. 2019) on feature matrices.
 *
 * Each sample's radius is the distance to its k-th nearest neighbour in its own set (self
 * excluded; k = 3). A sample is inside a set's manifold when its distance to some member is
 * ≤ that member's radius. Precision = share of GENERATED samples inside the REAL manifold
 * (quality); recall = share of REAL samples inside the GENERATED manifold (coverage of the real
 * distribution). (torch-fidelity once shipped the two swapped; argument order is real, fake.)
 *
 * All work runs over row-block tiles of the real × fake distances (`forEachDistanceTile`):
 * memory O(N + block²), never N × N. Also used by `prdc.ts` (strict `<`, density, coverage).
 */
import { DEFAULTS } from './defaults.js';
import { GenEvalError, usageError } from './errors.js';
import { forEachDistanceTile, kthNeighbourDistances } from './knn.js';
import type { Matrix } from './matrix.js';

/** Comparison of a distance with a radius: `≤` (Kynkäänniemi) or strict `<` (Naeem / prdc). */
export type RadiusRule = 'le' | 'lt';

/** Counts gathered in one pass over the real × fake distances. */
export interface ManifoldCounts {
  /** Per generated sample: how many real balls contain it (density's numerator). */
  fakeInRealBalls: Uint32Array;
  /** Per real sample: whether some generated ball contains it (recall). */
  realInFakeManifold: Uint8Array;
  /** Per real sample: whether some generated sample lies in its own ball (coverage). */
  realBallHit: Uint8Array;
}

/** Radii: distance to the k-th nearest other member of the same set. */
export function manifoldRadii(set: Matrix, k: number, blockRows?: number): Promise<Float64Array> {
  return kthNeighbourDistances(set, set, k, { excludeSelf: true, blockRows });
}

/** Checks the inputs of a neighbourhood metric; messages say which set is short. */
export function checkManifoldInputs(real: Matrix, fake: Matrix, k: number, metric: string): void {
  if (!Number.isInteger(k) || k < 1) throw usageError(`${metric}: k must be a positive integer, got ${k}`);
  if (real.cols !== fake.cols) throw new GenEvalError(`${metric}: real features have ${real.cols} dims but generated ones have ${fake.cols}`);
  for (const [name, set] of [
    ['real', real],
    ['generated', fake],
  ] as const) {
    if (set.rows < k + 1) throw new GenEvalError(`${metric}: k = ${k} needs at least ${k + 1} ${name} samples, found ${set.rows}`);
  }
}

/**
 * One pass over the real × fake distance tiles, counting for every sample which balls of the
 * other set contain it under `rule`.
 */
export async function manifoldCounts(real: Matrix, fake: Matrix, realRadii: Float64Array, fakeRadii: Float64Array, rule: RadiusRule, blockRows?: number): Promise<ManifoldCounts> {
  const fakeInRealBalls = new Uint32Array(fake.rows);
  const realInFakeManifold = new Uint8Array(real.rows);
  const realBallHit = new Uint8Array(real.rows);
  const strict = rule === 'lt';
  await forEachDistanceTile(
    real,
    fake,
    (rs, rc, fs, fc, dist) => {
      for (let i = 0; i < rc; i++) {
        const r = rs + i;
        const rr = realRadii[r]!;
        let inFake = realInFakeManifold[r]!;
        let hit = realBallHit[r]!;
        for (let j = 0; j < fc; j++) {
          const d = dist[i * fc + j]!;
          const f = fs + j;
          if (strict ? d < rr : d <= rr) {
            fakeInRealBalls[f]!++;
            hit = 1;
          }
          if (!inFake && (strict ? d < fakeRadii[f]! : d <= fakeRadii[f]!)) inFake = 1;
        }
        realInFakeManifold[r] = inFake;
        realBallHit[r] = hit;
      }
    },
    { blockRows },
  );
  return { fakeInRealBalls, realInFakeManifold, realBallHit };
}

/** Share of non-zero entries. */
export function shareNonZero(a: Uint8Array | Uint32Array): number {
  let c = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) c++;
  return c / a.length;
}

/** Options of `precisionRecall`: k (default `DEFAULTS.prK` = 3) and block size. */
export interface PrecisionRecallOptions {
  /** Neighbourhood size (default `DEFAULTS.prK` = 3). */
  k?: number;
  /** Rows per tile side (does not change results). */
  blockRows?: number;
}

/** Improved precision and recall (Kynkäänniemi et al. 2019) and their F-score, each in [0, 1]. */
export interface PrecisionRecallResult {
  /** Share of generated samples inside the real manifold. */
  precision: number;
  /** Share of real samples inside the generated manifold. */
  recall: number;
  /** Harmonic mean 2PR/(P+R) (0 when both are 0). */
  fScore: number;
  k: number;
  convention: string;
}

/** The convention string recorded in results and printed by the CLI. */
export const PR_CONVENTION = 'Kynkäänniemi et al. 2019: k-th NN radius in own set (self excluded), inside when dist ≤ radius; precision = generated inside real manifold';

/**
 * Improved precision and recall of generated features against real ones.
 * @throws GenEvalError on a dimension mismatch or a set with k samples or fewer.
 */
export async function precisionRecall(real: Matrix, fake: Matrix, opts: PrecisionRecallOptions = {}): Promise<PrecisionRecallResult> {
  const k = opts.k ?? DEFAULTS.prK;
  checkManifoldInputs(real, fake, k, 'precision/recall');
  const realRadii = await manifoldRadii(real, k, opts.blockRows);
  const fakeRadii = await manifoldRadii(fake, k, opts.blockRows);
  const counts = await manifoldCounts(real, fake, realRadii, fakeRadii, 'le', opts.blockRows);
  const precision = shareNonZero(counts.fakeInRealBalls);
  const recall = shareNonZero(counts.realInFakeManifold);
  const fScore = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, fScore, k, convention: PR_CONVENTION };
}
