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
