/** Defaults of the training loop, shared by the API and the CLI (families keep their own hyper-parameters). */
export const TRAIN_DEFAULTS = {
  /** Steps when neither --steps nor --time-budget is given. */
  steps: 2000,
  /** Evaluate (and checkpoint) every this many steps, and always at the last step. */
  evalEvery: 500,
  /** Points generated per evaluation: the PacGAN / VEEGAN protocol's 2 500. */
  evalSamples: 2500,
  seed: 0,
  backend: 'auto' as const,
};

/**
 * The classification accuracy score's budget (train/cas.ts): images generated (and real images of
 * its baseline), passes over them, Adam's batch and rate. Timings in docs/tuning/cas.md.
 */
export const CAS_DEFAULTS = {
  /** 200 of each of 10 classes. */
  n: 2000,
  epochs: 5,
  batchSize: 64,
  /** The embedded classifiers' rate (fixtures/scripts/train_digit_classifiers.py), kept constant. */
  lr: 2e-3,
};
