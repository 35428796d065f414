/**
 * CMMD (Jayasumana et al. 2024, "Rethinking FID"): the biased (minimum-variance, Gretton et al.
 * 2012 Eq. 5) MMD² between CLIP image embeddings under the Gaussian kernel
 * exp(−‖x−y‖²/(2σ²)) with σ = 10, scaled by 1000 — google-research's `cmmd/distance.py`:
 * means over every entry of K_XX, K_YY and K_XY, diagonals included, with ‖x−y‖² written
 * ‖x‖² + ‖y‖² − 2x·y as there. Float64; kernel sums run over row blocks (memory O(block × n)).
 */
import { kernelSum } from './divergence/mmd.js';
import { checkFinite, checkSamplePair, DEFAULT_NAMES, type InputNames } from './divergence/validate.js';
import type { Matrix } from './matrix.js';

/** The Gaussian bandwidth of google-research's cmmd (`_SIGMA`). */
export const CMMD_SIGMA = 10;
/** The factor google-research's cmmd multiplies MMD² by (`_SCALE`). */
export const CMMD_SCALE = 1000;

/** Options of {@link cmmd}. */
export interface CmmdOptions {
  /** Rows per kernel block (does not change the result beyond rounding). */
  blockRows?: number;
  /** Names of the two sets in error messages (default P, Q). */
  names?: InputNames;
}

/** CMMD between two sets of embeddings (rows; same width; any sizes ≥ 1). Lower is better. */
export async function cmmd(x: Matrix, y: Matrix, opts: CmmdOptions = {}): Promise<number> {
  const names = opts.names ?? DEFAULT_NAMES;
  checkSamplePair(x, y, names, 1);
  checkFinite(x.data, names[0]);
  checkFinite(y.data, names[1]);
  const gamma = 1 / (2 * CMMD_SIGMA * CMMD_SIGMA);
  // No clamp of the expanded distance at 0: distance.py does not clamp either.
  const k = (dot: number, na: number, nb: number): number => Math.exp(-gamma * (-2 * dot + na + nb));
  const kxx = (await kernelSum(x, x, k, false, opts.blockRows)) / (x.rows * x.rows);
  const kyy = (await kernelSum(y, y, k, false, opts.blockRows)) / (y.rows * y.rows);
  const kxy = (await kernelSum(x, y, k, false, opts.blockRows)) / (x.rows * y.rows);
  return CMMD_SCALE * (kxx + kyy - 2 * kxy);
}
