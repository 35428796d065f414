/**
 * Several metrics from one feature pass (torch-fidelity's `calculate_metrics`): each input's
 * features are read or extracted once and every requested metric is computed from them. The IS
 * uses the generated set's logits.
 */
import { cmmd, CMMD_SCALE, CMMD_SIGMA } from './cmmd.js';
import { DEFAULTS } from './defaults.js';
import { GenEvalError, inputError } from './errors.js';
import { featureSpaceOfInputs, type FeatureSpace } from './feature-space.js';
import { fid, type FidMethod } from './fid.js';
import { inceptionScore } from './inception-score.js';
import { kernelInceptionDistance } from './kid.js';
import type { Matrix } from './matrix.js';
import { METRIC_GROUPS, type GroupKey, type MetricGroupName } from './metric-table.js';
import { featuresOf, fidInputOf, type LoadedInput } from './pipeline/load-input.js';
import { prdc } from './prdc.js';
import { precisionRecall } from './precision-recall.js';

/** The metric groups `--metrics` takes (metric-table.ts's METRIC_GROUPS), in table order. */
export const METRIC_NAMES = Object.keys(METRIC_GROUPS) as readonly MetricGroupName[];
/** A metric group `evaluate` computes. */
export type MetricName = MetricGroupName;

/** Parses `fid,kid,is` into a checked list (usage error on unknown names). */
export function parseMetricList(text: string): MetricName[] {
  const names = text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
  if (names.length === 0) throw new GenEvalError(`\`metrics\` needs at least one of ${METRIC_NAMES.join(', ')}`, { options: ['metrics'] });
  for (const n of names) {
    if (!(METRIC_NAMES as readonly string[]).includes(n)) throw new GenEvalError(`unknown metric "${n}"; choose from ${METRIC_NAMES.join(', ')}`);
  }
  return [...new Set(names)] as MetricName[];
}

/**
 * Per-metric settings of `evaluate` (each defaults to its `DEFAULTS` value), and the generated
 * logits when they are not extracted.
 */
export interface EvaluateOptions {
  isSplits?: number;
  isShuffleSeed?: number | null;
  kidSubsets?: number;
  kidSubsetSize?: number;
  kidSeed?: number;
  prK?: number;
  prdcK?: number;
  /** Logits of the generated set when it is not an image folder (e.g. a .npy of logits). */
  fakeLogits?: Matrix;
}

/** A key `evaluate` can return: those METRIC_GROUPS says each group yields. */
export type EvaluateKey = GroupKey<MetricName>;

/** The values of the groups asked for, flat, by the keys they yield (`kid` → kid_mean, kid_std). */
export type EvaluateMetrics = { [K in EvaluateKey]?: number };

/** How each metric was computed, by group; JSON keys snake_case as in every `--json` output. */
export interface EvaluateDetails {
  fid?: { method: FidMethod; epsilon_added: number; n1: number | null; n2: number | null; dims: number };
  kid?: { subsets: number; subset_size: number; seed: number; degree: number; coef0: number };
  is?: { splits: number; shuffle_seed: number | null; n: number; classes: number };
  pr?: { k: number; convention: string };
  prdc?: { k: number; convention: string };
  cmmd?: { sigma: number; scale: number; n1: number; n2: number };
  /** The features' extractor, weights hash and profile, when an input was images (a distance outside Inception space is not FID). */
  feature_space?: FeatureSpace;
}

/** What {@link evaluate} returns. */
export interface EvaluateResult {
  result: EvaluateMetrics;
  details: EvaluateDetails;
  warnings: string[];
}

/** Exactly the keys group G yields, so the table and this file cannot drift apart. */
type Yield<G extends MetricName> = Record<GroupKey<G>, number>;

/**
 * Flat result keys, as METRIC_GROUPS lists them: `fid`; `kid_mean`, `kid_std`; `is_mean`,
 * `is_std`; `precision`, `recall` (pr); `prdc_precision`, `prdc_recall`, `density`, `coverage`
 * (prdc — prefixed so they never shadow pr's).
 */
export async function evaluateLoaded(real: LoadedInput, fake: LoadedInput, metrics: readonly MetricName[], opts: EvaluateOptions = {}): Promise<EvaluateResult> {
  const result: EvaluateMetrics = {};
  const space = featureSpaceOfInputs([real, fake]);
  const details: EvaluateDetails = space !== undefined ? { feature_space: space } : {};
  const warnings: string[] = [];
  const labels = [real.path, fake.path] as const;
  for (const metric of metrics) {
    switch (metric) {
      case 'fid': {
        const r = await fid(fidInputOf(real), fidInputOf(fake), { labels });
        Object.assign(result, { fid: r.fid } satisfies Yield<'fid'>);
        details.fid = { method: r.method, epsilon_added: r.epsilonAdded, n1: r.n1, n2: r.n2, dims: r.dims }; // JSON keys: snake_case
        warnings.push(...r.warnings);
        break;
      }
      case 'kid': {
        const r = await kernelInceptionDistance(featuresOf(real, 'KID'), featuresOf(fake, 'KID'), {
          subsets: opts.kidSubsets ?? DEFAULTS.kidSubsets,
          subsetSize: opts.kidSubsetSize ?? DEFAULTS.kidSubsetSize,
          seed: opts.kidSeed ?? DEFAULTS.kidSeed,
        });
        Object.assign(result, { kid_mean: r.mean, kid_std: r.std } satisfies Yield<'kid'>);
        details.kid = { subsets: r.subsets, subset_size: r.subsetSize, seed: r.seed, degree: r.degree, coef0: r.coef0 };
        warnings.push(...r.warnings);
        break;
      }
      case 'is': {
        const logits = fake.kind === 'images' ? fake.set.logits : opts.fakeLogits;
        if (!logits) throw inputError(fake.path, 'the Inception Score needs logits: give an image folder (or pass logits)');
        const r = inceptionScore(logits, { splits: opts.isSplits ?? DEFAULTS.isSplits, shuffleSeed: opts.isShuffleSeed ?? DEFAULTS.isShuffleSeed });
        Object.assign(result, { is_mean: r.mean, is_std: r.std } satisfies Yield<'is'>);
        details.is = { splits: r.splits, shuffle_seed: r.shuffleSeed, n: r.n, classes: r.classes };
        break;
      }
      case 'pr': {
        const r = await precisionRecall(featuresOf(real, 'precision/recall'), featuresOf(fake, 'precision/recall'), { k: opts.prK ?? DEFAULTS.prK });
        Object.assign(result, { precision: r.precision, recall: r.recall } satisfies Yield<'pr'>);
        details.pr = { k: r.k, convention: r.convention };
        break;
      }
      case 'prdc': {
        const r = await prdc(featuresOf(real, 'PRDC'), featuresOf(fake, 'PRDC'), { k: opts.prdcK ?? DEFAULTS.prdcK });
        Object.assign(result, { prdc_precision: r.precision, prdc_recall: r.recall, density: r.density, coverage: r.coverage } satisfies Yield<'prdc'>);
        details.prdc = { k: r.k, convention: r.convention };
        break;
      }
      case 'cmmd': {
        // google-research's cmmd: the sets' CLIP embeddings (`--extractor clip`, or .npy embeddings).
        const [x, y] = [featuresOf(real, 'CMMD'), featuresOf(fake, 'CMMD')];
        Object.assign(result, { cmmd: await cmmd(x, y, { names: labels }) } satisfies Yield<'cmmd'>);
        details.cmmd = { sigma: CMMD_SIGMA, scale: CMMD_SCALE, n1: x.rows, n2: y.rows };
        // σ = 10 is set for unit-norm CLIP embeddings: on other features the number is not CMMD.
        if (space !== undefined && space.network !== 'clip') warnings.push(`cmmd: computed on ${space.extractor} features; CMMD is defined on CLIP embeddings (extractor clip)`);
        break;
      }
    }
  }
  return { result, details, warnings };
}
