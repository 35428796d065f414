/**
 * The conventions of every metric, in one place, shared by the API and the CLI (torch-fidelity
 * style). Changing a value here changes both; results record the values they used.
 */
export const DEFAULTS = {
  /** FID: ε added to both covariance diagonals when a factorisation fails (pytorch-fid's rule). */
  fidEps: 1e-6,
  /** FID: fewer samples than this gives a noticeably biased estimate (TTUR's advice). */
  fidMinSamples: 2048,
  /** Inception Score: number of splits (OpenAI original, torch-fidelity). */
  isSplits: 10,
  /** Inception Score: null keeps the row order (OpenAI original); a number shuffles with that seed. */
  isShuffleSeed: null as number | null,
  /** KID: number of random subsets. */
  kidSubsets: 100,
  /** KID: subset size (shrunk to min(n1, n2) with a warning). */
  kidSubsetSize: 1000,
  /** KID: seed of the subset draw (torch-fidelity's default seed). */
  kidSeed: 2020,
  /** KID polynomial kernel: (x·y / d + coef0)^degree, gamma = 1/d. */
  kidDegree: 3,
  kidCoef0: 1,
  /** Precision/recall of Kynkäänniemi et al. 2019: k-th neighbour, `≤`. */
  prK: 3,
  /** Precision/recall/density/coverage of Naeem et al. 2020: k-th neighbour, strict `<`. */
  prdcK: 5,
  /** Rows per block for pairwise-distance work (memory O(block × N)). */
  distanceBlockRows: 1024,
} as const;

export type Defaults = typeof DEFAULTS;
