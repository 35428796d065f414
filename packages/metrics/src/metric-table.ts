/**
 * The one table of every metric gen-eval reports: the evaluator's (`evaluate`, every CLI
 * command's `--json`) and the training-time evaluations of `gen-eval train` (metrics.jsonl,
 * summary.json), plus the losses a model family declares with {@link registerMetrics} (this
 * package knows no families: each family module declares its own loss keys, and a run records
 * them in its config.json for readers that do not load the models). `evaluate`, the commands,
 * the report's column directions and the CI gate all read it; a test fails when a command, an
 * evaluation or a family emits a key that is neither here nor declared.
 */
import { usageError } from './errors.js';

/** Which way is better: `higher`, `lower`, or `none` (not ranked: a spread, a signed estimate). */
export type Direction = 'higher' | 'lower' | 'none';

/**
 * `quality`: comparable across models, ranked in the report; `loss`: a training loss, only
 * meaningful within one model family (charted, never ranked against other families); `spread`:
 * the ± of another metric, shown beside it and never as a column.
 */
export type MetricKind = 'quality' | 'loss' | 'spread';

/** What the table says about one metric key. */
export interface MetricSpec {
  /** Short human label for headers and chart titles. */
  readonly label: string;
  readonly direction: Direction;
  /** The values it can take, [min, max] (±Infinity when unbounded). */
  readonly range: readonly [min: number, max: number];
  /** Unit shown on chart axes ('' when dimensionless). */
  readonly unit: string;
  readonly kind: MetricKind;
  /** Key of the spread printed as ± (kid_std for kid_mean). */
  readonly spread?: string;
}

const INF = Infinity;

/**
 * Every built-in metric key, in the report's column order (quality metrics first). `kl` is
 * `gen-eval modes classes`' KL from uniform; a KL term a model reports while training is one of
 * its losses, never ranked across models, hence kind `loss` (lower is better for both).
 */
export const METRIC_TABLE = {
  // `gen-eval eval|fid|kid|is|pr|prdc`.
  fid: { label: 'FID', direction: 'lower', range: [0, INF], unit: '', kind: 'quality' },
  kid_mean: { label: 'KID', direction: 'lower', range: [-INF, INF], unit: '', kind: 'quality', spread: 'kid_std' },
  kid_std: { label: 'KID std', direction: 'none', range: [0, INF], unit: '', kind: 'spread' },
  is_mean: { label: 'IS', direction: 'higher', range: [1, INF], unit: '', kind: 'quality', spread: 'is_std' },
  is_std: { label: 'IS std', direction: 'none', range: [0, INF], unit: '', kind: 'spread' },
  precision: { label: 'precision', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  recall: { label: 'recall', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  f_score: { label: 'F-score (precision, recall)', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  prdc_precision: { label: 'PRDC precision', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  prdc_recall: { label: 'PRDC recall', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  density: { label: 'density', direction: 'higher', range: [0, INF], unit: '', kind: 'quality' },
  coverage: { label: 'coverage', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  // `gen-eval cmmd` (Jayasumana et al. 2024: MMD² with a Gaussian kernel, σ = 10, on CLIP
  // ViT-L/14@336 embeddings, the biased V-statistic ×1000 as google-research's cmmd reports it)
  // and `gen-eval clip-score` (torchmetrics' CLIPScore: mean of 100·max(cos(image, text), 0)).
  cmmd: { label: 'CMMD (CLIP space, ×1000)', direction: 'lower', range: [0, INF], unit: '', kind: 'quality' },
  clip_score: { label: 'CLIP score', direction: 'higher', range: [0, 100], unit: '', kind: 'quality' },
  // `gen-eval ndb`, `gen-eval divergence` (its `value` is every estimator's: all are distances).
  ndb: { label: 'NDB', direction: 'lower', range: [0, INF], unit: 'bins', kind: 'quality' },
  ndb_fraction: { label: 'NDB/K', direction: 'lower', range: [0, 1], unit: 'share of bins', kind: 'quality' },
  js: { label: 'JS divergence', direction: 'lower', range: [0, Math.LN2], unit: 'nats', kind: 'quality' },
  value: { label: 'divergence estimate', direction: 'lower', range: [-INF, INF], unit: '', kind: 'quality' },
  // `gen-eval l1|psnr|ssim` and paired families' training-time evaluations: an output against its
  // target image (the mean over image pairs; psnr is +Infinity only when every pair is identical).
  l1: { label: 'L1 (mean |Δ| / 255)', direction: 'lower', range: [0, 1], unit: 'share of peak', kind: 'quality' },
  psnr: { label: 'PSNR', direction: 'higher', range: [0, INF], unit: 'dB', kind: 'quality' },
  ssim: { label: 'SSIM', direction: 'higher', range: [-1, 1], unit: '', kind: 'quality' },
  // Training-time evaluations (docs/run-format.md) and `gen-eval modes`.
  modes_covered: { label: 'modes covered', direction: 'higher', range: [0, INF], unit: 'modes', kind: 'quality' },
  high_quality: { label: 'high quality', direction: 'higher', range: [0, 1], unit: 'share of points', kind: 'quality' },
  reverse_kl: { label: 'reverse KL', direction: 'lower', range: [0, INF], unit: 'nats', kind: 'quality' },
  sliced_w: { label: 'sliced Wasserstein', direction: 'lower', range: [0, INF], unit: 'data units', kind: 'quality' },
  mmd: { label: 'MMD²', direction: 'lower', range: [-INF, INF], unit: '', kind: 'quality' },
  elbo: { label: 'ELBO', direction: 'higher', range: [-INF, INF], unit: 'nats/point', kind: 'quality' },
  log_likelihood: { label: 'log-likelihood', direction: 'higher', range: [-INF, INF], unit: 'nats/point', kind: 'quality' },
  neg_elbo_nats: { label: 'negative ELBO', direction: 'lower', range: [-INF, INF], unit: 'nats/image', kind: 'quality' },
  nll_nats: { label: 'negative log-likelihood', direction: 'lower', range: [-INF, INF], unit: 'nats/image', kind: 'quality' },
  bits_per_dim: { label: 'bits per dimension', direction: 'lower', range: [-INF, INF], unit: 'bits/dim', kind: 'quality' },
  non_finite_samples: { label: 'non-finite samples', direction: 'lower', range: [0, INF], unit: 'samples', kind: 'quality' },
  // Whether images obey their condition (@gen-eval/metrics/conditional; docs/metrics.md): the
  // embedded classifier's and the attribute functions' agreement with the caption, the judge
  // encoder's R-precision (AttnGAN; chance 1 %) and CLIP-score analogue, FID per class, and the
  // classification accuracy score (Ravuri & Vinyals 2019) with its real-data baseline.
  class_accuracy: { label: 'class accuracy', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  attribute_accuracy: { label: 'attribute accuracy', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  attribute_accuracy_thickness: { label: 'attribute accuracy: thickness', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  attribute_accuracy_slant: { label: 'attribute accuracy: slant', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  attribute_accuracy_size: { label: 'attribute accuracy: size', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  attribute_accuracy_brightness: { label: 'attribute accuracy: brightness', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  r_precision: { label: 'R-precision', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  text_alignment: { label: 'text alignment (100·cos)', direction: 'higher', range: [0, 100], unit: '', kind: 'quality' },
  intra_fid: { label: 'intra-FID', direction: 'lower', range: [0, INF], unit: '', kind: 'quality' },
  cas: { label: 'CAS (trained on generated)', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  cas_real: { label: 'CAS baseline (trained on real)', direction: 'higher', range: [0, 1], unit: 'share', kind: 'quality' },
  // A divergence from a reference distribution, and a training loss term (see above).
  kl: { label: 'KL', direction: 'lower', range: [0, INF], unit: 'nats', kind: 'loss' },
} as const satisfies Record<string, MetricSpec>;

/** A metric key of the table. */
export type MetricKey = keyof typeof METRIC_TABLE;

/** Every built-in metric key, in table order (declared losses: {@link metricKeys}). */
export const METRIC_KEYS = Object.keys(METRIC_TABLE) as readonly MetricKey[];

/** Metrics declared by {@link registerMetrics}, in the order of their first declaration. */
const declared = new Map<string, MetricSpec>();

const sameSpec = (a: MetricSpec, b: MetricSpec) =>
  a.label === b.label && a.direction === b.direction && a.unit === b.unit && a.kind === b.kind && a.spread === b.spread && a.range[0] === b.range[0] && a.range[1] === b.range[1];

/**
 * Declares metrics beyond the built-in table — a model family's losses, a run's recorded ones —
 * so that every reader (evaluation checks, the report, the gate) knows their label and direction.
 * Idempotent: declaring a key again with the same spec does nothing; a different spec for a known
 * key (built-in or declared), or a parameter's name, is refused (a usage error naming the key) and
 * nothing of the call is declared.
 */
export function registerMetrics(specs: Readonly<Record<string, MetricSpec>>): void {
  for (const [key, spec] of Object.entries(specs)) {
    if (PARAMETERS.has(key)) throw usageError(`metric "${key}" is a parameter key of the metric table, not a metric`);
    const known = metricSpec(key);
    if (known !== undefined && !sameSpec(known, spec))
      throw usageError(`metric "${key}" is already declared as ${JSON.stringify(known.label)} (${known.direction}, ${known.kind}); a second spec for it differs`);
  }
  for (const [key, spec] of Object.entries(specs))
    if (!declared.has(key) && !Object.hasOwn(METRIC_TABLE, key)) declared.set(key, { ...spec, range: [spec.range[0], spec.range[1]] });
}

/** Every metric key: the built-in table's in order, then the declared ones (see {@link registerMetrics}). */
export function metricKeys(): readonly string[] {
  return [...METRIC_KEYS, ...declared.keys()];
}

/** The key constants: `METRIC.fid === 'fid'`, so a misspelt key does not compile. */
export const METRIC = Object.fromEntries(METRIC_KEYS.map((k) => [k, k])) as { readonly [K in MetricKey]: K };

/** Metric values by key, as a command's `--json` or an evaluation carries them (`null`: not defined here). */
export type MetricValues = { [K in MetricKey]?: number | null };

/** Whether `key` is a built-in metric of the table (see {@link isKnownMetric} for declared ones too). */
export function isMetric(key: string): key is MetricKey {
  return Object.hasOwn(METRIC_TABLE, key);
}

/** Whether `key` is a metric of the table, built in or declared with {@link registerMetrics}. */
export function isKnownMetric(key: string): boolean {
  return isMetric(key) || declared.has(key);
}

/** The entry for a metric key (built in or declared), with the key; `undefined` for an unknown key. */
export function metricSpec(key: string): (MetricSpec & { readonly key: string }) | undefined {
  if (isMetric(key)) return { key, ...(METRIC_TABLE[key] as MetricSpec) };
  const spec = declared.get(key);
  return spec === undefined ? undefined : { key, ...spec };
}

/**
 * The metric groups `gen-eval eval --metrics` and {@link evaluate} take, and the keys each yields
 * there (prdc's precision/recall are prefixed so they never shadow pr's; `gen-eval prdc` alone
 * prints them unprefixed, and `gen-eval pr` adds `f_score`).
 */
export const METRIC_GROUPS = {
  fid: { label: 'Fréchet Inception Distance', yields: ['fid'] },
  kid: { label: 'Kernel Inception Distance', yields: ['kid_mean', 'kid_std'] },
  is: { label: 'Inception Score', yields: ['is_mean', 'is_std'] },
  pr: { label: 'precision/recall (Kynkäänniemi et al. 2019)', yields: ['precision', 'recall'] },
  prdc: { label: 'precision/recall/density/coverage (Naeem et al. 2020)', yields: ['prdc_precision', 'prdc_recall', 'density', 'coverage'] },
  cmmd: { label: 'CMMD (Jayasumana et al. 2024; CLIP embeddings)', yields: ['cmmd'] },
} as const satisfies Record<string, { readonly label: string; readonly yields: readonly MetricKey[] }>;

/** A metric group name (`fid`, `kid`, `is`, `pr`, `prdc`). */
export type MetricGroupName = keyof typeof METRIC_GROUPS;

/** The keys group `G` yields. */
export type GroupKey<G extends MetricGroupName> = (typeof METRIC_GROUPS)[G]['yields'][number];

/**
 * Numeric keys of `--json` results that describe the computation, not its quality (sample sizes,
 * seeds, bins, solver diagnostics…): provenance, never metrics.
 */
export const PARAMETER_KEYS = [
  'n',
  'dims',
  'seed',
  'shuffle_seed',
  'subsets',
  'subset_size',
  'n_real',
  'n_fake',
  'samples',
  'modes',
  'bins',
  'alpha',
  'sigma',
  'high_quality_threshold',
  'splits',
  'classes',
  'channels',
  'kmeans_iterations',
  'epsilon_added',
  'radius',
  'spacing',
  'grid_size',
  'k',
  'steps',
  'version',
  // gen-eval divergence: sizes, kernel and solver settings and diagnostics.
  'n_p',
  'n_q',
  'p',
  'projections',
  'degree',
  'gamma',
  'coef0',
  'epsilon',
  'tolerance',
  'iterations',
  'duplicates',
  'skipped',
  'smoothing',
  // gen-eval l1 / psnr / ssim: pairs whose images are identical (their PSNR is infinite).
  'identical_pairs',
  // gen-eval stats / features / merge-stats.
  'logit_dims',
  'total_files',
  'shards',
] as const;

/** A parameter key (see {@link PARAMETER_KEYS}). */
export type ParameterKey = (typeof PARAMETER_KEYS)[number];

const PARAMETERS: ReadonlySet<string> = new Set(PARAMETER_KEYS);

/** Whether a numeric key of a result describes the computation rather than its quality. */
export function isParameter(key: string): key is ParameterKey {
  return PARAMETERS.has(key);
}
