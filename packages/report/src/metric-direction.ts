/** Whether a larger value of a metric is better; unknown keys are not ranked. */
const HIGHER_IS_BETTER: Readonly<Record<string, boolean>> = {
  fid: false,
  kid_mean: false,
  is_mean: true,
  precision: true,
  recall: true,
  density: true,
  coverage: true,
  modes_covered: true,
  high_quality: true,
  reverse_kl: false,
  ndb: false,
  ndb_fraction: false,
  js: false,
};

/** `true` if higher is better, `false` if lower is better, `undefined` if the key is not ranked. */
export function higherIsBetter(metric: string): boolean | undefined {
  return HIGHER_IS_BETTER[metric];
}
