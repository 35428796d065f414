/**
 * Several metrics from one feature pass (torch-fidelity's `calculate_metrics`): each input's
 * features are read or extracted once and every requested metric is computed from them. The IS
 * uses the generated set's logits.
 */
import { DEFAULTS } from './defaults.js';
import { GenEvalError, inputError } from './errors.js';
import { fid } from './fid.js';
import { inceptionScore } from './inception-score.js';
import { kernelInceptionDistance } from './kid.js';
import type { Matrix } from './matrix.js';
import { featuresOf, fidInputOf, type LoadedInput } from './pipeline/load-input.js';
import { prdc } from './prdc.js';
import { precisionRecall } from './precision-recall.js';

export const METRIC_NAMES = ['fid', 'kid', 'is', 'pr', 'prdc'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Parses `fid,kid,is` into a checked list (usage error on unknown names). */
export function parseMetricList(text: string): MetricName[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  if (names.length === 0) throw new GenEvalError(`--metrics needs at least one of ${METRIC_NAMES.join(', ')}`);
  for (const n of names) {
    if (!(METRIC_NAMES as readonly string[]).includes(n)) throw new GenEvalError(`unknown metric "${n}"; choose from ${METRIC_NAMES.join(', ')}`);
  }
  return [...new Set(names)] as MetricName[];
}

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

/**
 * Flat result keys: `fid`; `kid_mean`, `kid_std`; `is_mean`, `is_std`; `precision`, `recall` (pr);
 * `prdc_precision`, `prdc_recall`, `density`, `coverage` (prdc — prefixed so they never shadow pr's).
 */
export async function evaluate(
  real: LoadedInput, fake: LoadedInput, metrics: readonly MetricName[], opts: EvaluateOptions = {},
): Promise<{ result: Record<string, number>; details: Record<string, unknown>; warnings: string[] }> {
  const result: Record<string, number> = {};
  const details: Record<string, unknown> = {};
  const warnings: string[] = [];
  const labels = [real.path, fake.path] as const;
  for (const metric of metrics) {
    switch (metric) {
      case 'fid': {
        const r = await fid(fidInputOf(real), fidInputOf(fake), { labels });
        result.fid = r.fid;
        details.fid = { method: r.method, epsilon_added: r.epsilonAdded, n1: r.n1, n2: r.n2, dims: r.dims }; // JSON keys: snake_case
        warnings.push(...r.warnings);
        break;
      }
      case 'kid': {
        const r = await kernelInceptionDistance(featuresOf(real, 'KID'), featuresOf(fake, 'KID'), {
          subsets: opts.kidSubsets ?? DEFAULTS.kidSubsets, subsetSize: opts.kidSubsetSize ?? DEFAULTS.kidSubsetSize, seed: opts.kidSeed ?? DEFAULTS.kidSeed,
        });
        result.kid_mean = r.mean;
        result.kid_std = r.std;
        details.kid = { subsets: r.subsets, subset_size: r.subsetSize, seed: r.seed, degree: r.degree, coef0: r.coef0 };
        warnings.push(...r.warnings);
        break;
      }
      case 'is': {
        const logits = fake.kind === 'images' ? fake.set.logits : opts.fakeLogits;
        if (!logits) throw inputError(fake.path, 'the Inception Score needs logits: give an image folder (or pass logits)');
        const r = inceptionScore(logits, { splits: opts.isSplits ?? DEFAULTS.isSplits, shuffleSeed: opts.isShuffleSeed ?? DEFAULTS.isShuffleSeed });
        result.is_mean = r.mean;
        result.is_std = r.std;
        details.is = { splits: r.splits, shuffleSeed: r.shuffleSeed, n: r.n, classes: r.classes };
        break;
      }
      case 'pr': {
        const r = await precisionRecall(featuresOf(real, 'precision/recall'), featuresOf(fake, 'precision/recall'), { k: opts.prK ?? DEFAULTS.prK });
        result.precision = r.precision;
        result.recall = r.recall;
        details.pr = { k: r.k, convention: r.convention };
        break;
      }
      case 'prdc': {
        const r = await prdc(featuresOf(real, 'PRDC'), featuresOf(fake, 'PRDC'), { k: opts.prdcK ?? DEFAULTS.prdcK });
        result.prdc_precision = r.precision;
        result.prdc_recall = r.recall;
        result.density = r.density;
        result.coverage = r.coverage;
        details.prdc = { k: r.k, convention: r.convention };
        break;
      }
    }
  }
  return { result, details, warnings };
}
