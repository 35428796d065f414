/**
 * Precision, recall, density and coverage (Naeem et al. 2020, clovaai `prdc`).
 *
 * Radii are k-th nearest-neighbour distances within each set (self excluded; k = 5), and every
 * comparison is strict `<`, as in prdc. With real samples R (radii r_i) and generated ones F:
 * - precision = share of F within distance < r_i of some real i;
 * - recall    = share of R within distance < the radius of some generated sample;
 * - density   = (1/k) · mean over F of the number of real balls containing it (can exceed 1);
 * - coverage  = share of real samples whose nearest generated sample lies inside their ball.
 * One pass over row-block tiles of the real × fake distances: memory O(N + block²).
 */
import { DEFAULTS } from './defaults.js';
import type { Matrix } from './matrix.js';
import { checkManifoldInputs, manifoldCounts, manifoldRadii, shareNonZero } from './precision-recall.js';

/** Options of `prdc`: k (default `DEFAULTS.prdcK` = 5) and block size. */
export interface PrdcOptions {
  /** Neighbourhood size (default `DEFAULTS.prdcK` = 5). */
  k?: number;
  /** Rows per tile side (does not change results). */
  blockRows?: number;
}

/** Precision, recall, density and coverage (Naeem et al. 2020), with k and the convention string. */
export interface PrdcResult {
  precision: number;
  recall: number;
  density: number;
  coverage: number;
  k: number;
  convention: string;
}

/** The convention string recorded in results and printed by the CLI. */
export const PRDC_CONVENTION = 'Naeem et al. 2020 (clovaai prdc): k-th NN radius in own set (self excluded), inside when dist < radius';

/**
 * PRDC of generated features against real ones.
 * @throws GenEvalError on a dimension mismatch or a set with k samples or fewer.
 */
export async function prdc(real: Matrix, fake: Matrix, opts: PrdcOptions = {}): Promise<PrdcResult> {
  const k = opts.k ?? DEFAULTS.prdcK;
  checkManifoldInputs(real, fake, k, 'PRDC');
  const realRadii = await manifoldRadii(real, k, opts.blockRows);
  const fakeRadii = await manifoldRadii(fake, k, opts.blockRows);
  const counts = await manifoldCounts(real, fake, realRadii, fakeRadii, 'lt', opts.blockRows);
  let inBalls = 0;
  for (const c of counts.fakeInRealBalls) inBalls += c;
  return {
    precision: shareNonZero(counts.fakeInRealBalls),
    recall: shareNonZero(counts.realInFakeManifold),
    density: inBalls / (k * fake.rows),
    coverage: shareNonZero(counts.realBallHit),
    k,
    convention: PRDC_CONVENTION,
  };
}
