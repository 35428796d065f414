/**
 * The one table of metric metadata the report (and the CI gate) read: which way is better, how
 * to label and measure a metric, and which key holds its spread. A key missing here is still
 * shown, unranked, under its own name.
 */

/** What the report knows about a metric key. */
export interface MetricInfo {
  /** The key as it appears in results, summary.json and metrics.jsonl. */
  readonly key: string;
  /** Short human label for headers and chart titles. */
  readonly label: string;
  /** `true` higher is better, `false` lower is better, `undefined` not ranked. */
  readonly higherIsBetter: boolean | undefined;
  /** Unit shown on chart axes ('' when dimensionless). */
  readonly unit: string;
  /** Key of the spread printed as ± (e.g. kid_std for kid_mean). */
  readonly spread?: string;
  /**
   * `quality`: comparable across models, a comparison-table column; `loss`: a training loss, only
   * meaningful within one model family, charted but never ranked against other families.
   */
  readonly group: 'quality' | 'loss';
}

type Row = [key: string, label: string, higher: boolean | undefined, unit: string, group: MetricInfo['group'], spread?: string];

const ROWS: readonly Row[] = [
  // Evaluation metrics of `gen-eval eval|fid|kid|…`.
  ['fid', 'FID', false, '', 'quality'],
  ['kid_mean', 'KID', false, '', 'quality', 'kid_std'],
  ['is_mean', 'IS', true, '', 'quality', 'is_std'],
  ['precision', 'precision', true, 'share', 'quality'],
  ['recall', 'recall', true, 'share', 'quality'],
  ['density', 'density', true, '', 'quality'],
  ['coverage', 'coverage', true, 'share', 'quality'],
  ['ndb', 'NDB', false, 'bins', 'quality'],
  ['ndb_fraction', 'NDB/K', false, 'share of bins', 'quality'],
  ['js', 'JS divergence', false, 'nats', 'quality'],
  // Training-time evaluations (docs/run-format.md) and `gen-eval modes`.
  ['modes_covered', 'modes covered', true, 'modes', 'quality'],
  ['high_quality', 'high quality', true, 'share of points', 'quality'],
  ['reverse_kl', 'reverse KL', false, 'nats', 'quality'],
  ['sliced_w', 'sliced Wasserstein', false, 'data units', 'quality'],
  ['mmd', 'MMD²', false, '', 'quality'],
  ['elbo', 'ELBO', true, 'nats/point', 'quality'],
  ['log_likelihood', 'log-likelihood', true, 'nats/point', 'quality'],
  ['non_finite_samples', 'non-finite samples', false, 'samples', 'quality'],
  // Losses: lower within a run, but a GAN's d_loss is no rival of a VAE's recon.
  ['d_loss', 'discriminator loss', false, '', 'loss'],
  ['g_loss', 'generator loss', false, '', 'loss'],
  ['gp', 'gradient penalty', false, '', 'loss'],
  ['w_estimate', 'Wasserstein estimate', undefined, '', 'loss'],
  ['loss', 'loss', false, '', 'loss'],
  ['recon', 'reconstruction loss', false, '', 'loss'],
  ['kl', 'KL', false, 'nats', 'loss'],
  ['nll', 'negative log-likelihood', false, 'nats/point', 'loss'],
  ['cycle_loss', 'cycle loss', false, '', 'loss'],
  ['mi_loss', 'mutual-information loss', false, '', 'loss'],
];

const TABLE: ReadonlyMap<string, MetricInfo> = new Map(
  ROWS.map(([key, label, higher, unit, group, spread]) => [key, { key, label, higherIsBetter: higher, unit, group, ...(spread ? { spread } : {}) }]),
);

/** Spread keys (kid_std, is_std): shown as ± next to their metric, never as columns. */
const SPREADS: ReadonlySet<string> = new Set(ROWS.flatMap((r) => (r[5] ? [r[5]] : [])));

/**
 * Numeric keys of `--json` results that describe the computation, not its quality (sample sizes,
 * seeds, bins…): they are provenance, not metrics.
 */
const PARAMETERS: ReadonlySet<string> = new Set([
  'n', 'dims', 'seed', 'shuffle_seed', 'subsets', 'subset_size', 'n_real', 'n_fake', 'samples', 'modes', 'bins',
  'alpha', 'sigma', 'high_quality_threshold', 'splits', 'classes', 'channels', 'kmeans_iterations', 'epsilon_added',
  'radius', 'spacing', 'grid_size', 'k', 'steps', 'version',
]);

/** Metadata of a metric; unknown keys get their own name as label and no direction. */
export function metricInfo(key: string): MetricInfo {
  return TABLE.get(key) ?? { key, label: key, higherIsBetter: undefined, unit: '', group: 'quality' };
}

/** `true` if higher is better, `false` if lower is better, `undefined` if the key is not ranked. */
export function higherIsBetter(metric: string): boolean | undefined {
  return TABLE.get(metric)?.higherIsBetter;
}

/** Whether a numeric top-level key of a result file is a metric (not a spread or a parameter). */
export function isMetricKey(key: string): boolean {
  return !SPREADS.has(key) && !PARAMETERS.has(key);
}

/** Whether a key is the spread (± value) of another metric. */
export function isSpreadKey(key: string): boolean {
  return SPREADS.has(key);
}

/** Every known metric, in table order (quality metrics first). */
export function knownMetrics(): readonly MetricInfo[] {
  return [...TABLE.values()];
}

/** Sorts metric keys: known ones in table order, then unknown ones alphabetically. */
export function orderMetrics(keys: Iterable<string>): string[] {
  const order = new Map(ROWS.map((r, i) => [r[0], i]));
  return [...new Set(keys)].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || a.localeCompare(b));
}
