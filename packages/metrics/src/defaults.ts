/**
 * The conventions of every metric, in one place, shared by the API and the CLI (torch-fidelity
 * style). Changing a value here changes both; results record the values they used.
 */
export const DEFAULTS = {
  /** FID: ε added to both covariance diagonals when both statistics are singular (pytorch-fid's value of ε). */
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

  // --- Divergences (packages/metrics/src/divergence) ---
  /** kNN KL (Wang–Kulkarni–Verdú 2009): neighbour order k. */
  knnKlK: 1,
  /** MMD²: kernel, and the Gaussian σ ('median' = median pairwise distance of the pooled sample). */
  mmdKernel: 'gaussian' as 'gaussian' | 'polynomial',
  mmdSigma: 'median' as number | 'median',
  /** Sliced Wasserstein of point clouds: POT's defaults (50 directions, p = 2); our seed. */
  slicedProjections: 50,
  slicedP: 2 as 1 | 2,
  slicedSeed: 2020,
  /** Progressive GAN's SWD protocol (Karras et al. 2018, metrics/sliced_wasserstein.py). */
  swdPatchSize: 7,
  swdPatchesPerImage: 128,
  swdDirRepeats: 4,
  swdDirsPerRepeat: 128,
  swdMinResolution: 16,
  swdSeed: 2020,
  /** Sinkhorn divergence: geomloss conventions, cost |x−y|^p / p with p = 2, ε = blur^p = 0.05². */
  sinkhornP: 2 as 1 | 2,
  sinkhornEpsilon: 0.0025,
  /** Stop when the L1 violation of the transport plan's marginals is at most this (POT's stopThr). */
  sinkhornTolerance: 1e-6,
  sinkhornMaxIterations: 10_000,
  /** Histogram KL/JS: ε added to every bin before normalising (0 = none: empty bins can give KL = ∞). */
  histogramSmoothing: 0,

  // --- Mode collapse (packages/metrics/src/modes) ---
  /** PacGAN / VEEGAN 2-D mixtures: ring of 8 modes, radius 1, σ 0.01; 5 × 5 grid {−4,−2,0,2,4}², σ 0.05. */
  ringModes: 8,
  ringRadius: 1,
  ringSigma: 0.01,
  gridSize: 5,
  gridSpacing: 2,
  gridSigma: 0.05,
  /** Samples drawn for the mixture protocol, and "high quality" = within this many σ of the nearest mode. */
  mixtureSamples: 2500,
  highQualitySigmas: 3,
  /** NDB (Richardson & Weiss 2018): k-means bins on real samples, two-proportion z-test at α. */
  ndbBins: 100,
  ndbAlpha: 0.05,
  ndbSeed: 2020,
  /** k-means (Lloyd after k-means++): iteration cap, as the NDB reference code. */
  kmeansMaxIterations: 100,
  /** Birthday-paradox test (Arora & Zhang 2017): batch size s, number of batches, closest pairs kept per batch. */
  birthdayBatchSize: 400,
  birthdayBatches: 10,
  birthdayPairs: 20,
  birthdaySeed: 2020,
  /** Image pipeline: images per batch (pytorch-fid's --batch-size default). */
  batchSize: 50,
  /** Image pipeline: decode/resize worker threads (onnxruntime already uses the cores for the network). */
  decodeWorkers: 1,
  /** Image pipeline: the feature extractor (`inception` or `onnx:PATH`). */
  extractor: 'inception',
  /** Inception feature block (pytorch-fid --dims). */
  inceptionDims: 2048 as 64 | 192 | 768 | 2048,
  /**
   * Feature extractors (onnxruntime): intra-op threads. On the idle 2-core machine the Inception
   * ran 12–13 images/s with 2 threads vs 6.4–6.9 with 1; when another process holds a core, 1
   * thread is faster (7.3 vs 5.5), so pass 1 on a busy machine.
   */
  extractorThreads: 2,
  /** Feature extractors: images per onnxruntime call (bounds activation memory; results do not depend on it). */
  extractorMaxBatch: 16,
  /** Image preprocessing profile: 'pytorch-fid' (torch bilinear, 2x−1) or 'clean' (clean-fid: Pillow bicubic, (x−128)/128). */
  imageProfile: 'pytorch-fid' as 'pytorch-fid' | 'clean',
  /** Image preprocessing: network input height = width (Inception-v3: 299). */
  imageSize: 299,
} as const;

/** The type of `DEFAULTS` (every key with its literal value type). */
export type Defaults = typeof DEFAULTS;
