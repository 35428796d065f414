/**
 * `gen-eval divergence ESTIMATOR P.npy Q.npy [options]` — one divergence estimate between two
 * sample sets (knn-kl, mmd, sliced-w, sinkhorn: N×D matrices; w1: 1-D values) or two histograms
 * (kl, js). JSON: {"estimator", "value", …the parameters used}.
 */
import { GenEvalError, inputError } from '@gen-eval/metrics/errors';
import {
  histogramJs,
  histogramKl,
  knnKl,
  METRIC,
  mmdUnbiased,
  readFeatureMatrix,
  readNpy,
  sinkhornDivergence,
  slicedWasserstein,
  wasserstein1d,
  type Matrix,
} from '@gen-eval/metrics';
import { emit, parseNumberOption, refuseIgnored, type OutputOptions } from '../output.js';
import { fileRecord } from '../read-inputs.js';

export type Estimator = 'knn-kl' | 'mmd' | 'w1' | 'sliced-w' | 'sinkhorn' | 'kl' | 'js';

export interface DivergenceCommandOptions extends OutputOptions {
  k: number;
  kernel: 'gaussian' | 'polynomial';
  sigma: string;
  pWeights?: string;
  qWeights?: string;
  projections: number;
  p: string;
  seed: number;
  epsilon: string;
  tolerance: string;
  maxIterations: number;
  base: 'e' | '2';
  smoothing: string;
  /** Options given on the command line (attribute names); those the estimator ignores are refused. */
  given?: readonly string[];
}

/** The options each estimator uses; any other given option is refused rather than ignored. */
export const ESTIMATOR_OPTIONS: Readonly<Record<Estimator, readonly string[]>> = {
  'knn-kl': ['k'],
  mmd: ['kernel', 'sigma'],
  w1: ['pWeights', 'qWeights'],
  'sliced-w': ['projections', 'p', 'seed'],
  sinkhorn: ['epsilon', 'p', 'tolerance', 'maxIterations'],
  kl: ['base', 'smoothing'],
  js: ['base', 'smoothing'],
};

const fmt = (v: number) => v.toPrecision(6);

/** Parses a number option, failing as a usage error (exit 2) that names the option. */
function num(name: string, value: string, bounds: { min?: number; exclusiveMin?: number }): number {
  try {
    return parseNumberOption(name, bounds)(value);
  } catch (e) {
    throw new GenEvalError((e as Error).message, { code: 'usage', cause: e });
  }
}

/**
 * A 1-D numeric vector from a `.npy` file: shape (N,) or (N, 1), float or integer dtype, finite.
 * Integer counts are fine for histograms and weights.
 */
export function readVector(path: string): Float64Array {
  const arr = readNpy(path);
  const { shape } = arr;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) {
    throw inputError(path, `expected a 1-D array (N,) or (N, 1), found shape (${shape.join(', ')})`);
  }
  const out = Float64Array.from(arr.data as ArrayLike<number | bigint>, (v) => Number(v));
  out.forEach((v, i) => {
    if (!Number.isFinite(v)) throw inputError(path, `${Number.isNaN(v) ? 'NaN' : 'Inf'} at index ${i}`);
  });
  return out;
}

function readSamples(path: string): Matrix {
  return readFeatureMatrix(path, { minRows: 0, allow1d: true });
}

interface Outcome {
  value: number;
  params: Record<string, unknown>;
  human: string;
  warnings: string[];
}

async function estimate(estimator: Estimator, pPath: string, qPath: string, opts: DivergenceCommandOptions): Promise<Outcome> {
  const names = [pPath, qPath] as const;
  switch (estimator) {
    case 'knn-kl': {
      const [p, q] = [readSamples(pPath), readSamples(qPath)];
      const r = await knnKl(p, q, { k: opts.k, names });
      const warnings: string[] = [];
      if (r.duplicates > 0) warnings.push(`${r.duplicates} samples of ${pPath} have exact duplicates; duplicates are skipped as neighbours`);
      if (r.skipped > 0) warnings.push(`${r.skipped} samples left out: their k-th distinct neighbour is at distance 0 (near-duplicates)`);
      return {
        value: r.value,
        params: { k: r.k, n_p: p.rows, n_q: q.rows, dims: p.cols, duplicates: r.duplicates, skipped: r.skipped, units: 'nats' },
        human: `KL(P‖Q) ≈ ${fmt(r.value)} nats  (kNN, k = ${r.k})`,
        warnings,
      };
    }
    case 'mmd': {
      const [p, q] = [readSamples(pPath), readSamples(qPath)];
      const sigma = opts.sigma === 'median' ? 'median' : num('--sigma', opts.sigma, { exclusiveMin: 0 });
      const r = await mmdUnbiased(p, q, { kernel: opts.kernel, sigma, names });
      const params =
        r.kernel === 'gaussian' ? { kernel: r.kernel, sigma: r.sigma, sigma_rule: r.sigmaRule } : { kernel: r.kernel, degree: r.degree, gamma: r.gamma, coef0: r.coef0 };
      const how =
        r.kernel === 'gaussian'
          ? `Gaussian kernel, σ = ${fmt(r.sigma!)}${r.sigmaRule === 'median' ? ' (median heuristic)' : ''}`
          : `polynomial kernel (x·y/${p.cols} + ${r.coef0})^${r.degree}`;
      return { value: r.value, params: { ...params, unbiased: true, n_p: p.rows, n_q: q.rows, dims: p.cols }, human: `MMD²: ${fmt(r.value)}  (unbiased, ${how})`, warnings: [] };
    }
    case 'w1': {
      const [u, v] = [readVector(pPath), readVector(qPath)];
      const uWeights = opts.pWeights === undefined ? undefined : readVector(opts.pWeights);
      const vWeights = opts.qWeights === undefined ? undefined : readVector(opts.qWeights);
      const value = wasserstein1d(u, v, { uWeights, vWeights, names: [pPath, qPath, opts.pWeights, opts.qWeights] });
      return { value, params: { weighted: uWeights !== undefined || vWeights !== undefined, n_p: u.length, n_q: v.length }, human: `W₁: ${fmt(value)}`, warnings: [] };
    }
    case 'sliced-w': {
      const [p, q] = [readSamples(pPath), readSamples(qPath)];
      const r = await slicedWasserstein(p, q, { projections: opts.projections, p: Number(opts.p) as 1 | 2, seed: opts.seed, names });
      return {
        value: r.value,
        params: { p: r.p, projections: r.projections, seed: r.seed, n_p: p.rows, n_q: q.rows, dims: p.cols },
        human: `SW${r.p}: ${fmt(r.value)}  (${r.projections} directions, seed ${r.seed})`,
        warnings: [],
      };
    }
    case 'sinkhorn': {
      const [p, q] = [readSamples(pPath), readSamples(qPath)];
      const epsilon = num('--epsilon', opts.epsilon, { exclusiveMin: 0 });
      const tolerance = num('--tolerance', opts.tolerance, { exclusiveMin: 0 });
      const r = await sinkhornDivergence(p, q, { epsilon, p: Number(opts.p) as 1 | 2, tolerance, maxIterations: opts.maxIterations, names });
      const warnings = r.converged ? [] : [`Sinkhorn iterations stopped at --max-iterations ${opts.maxIterations} before reaching --tolerance ${tolerance}; raise either, or ε`];
      return {
        value: r.value,
        params: {
          epsilon: r.epsilon,
          p: r.p,
          cost: r.p === 2 ? '|x-y|^2/2' : '|x-y|',
          tolerance,
          converged: r.converged,
          iterations: r.iterations,
          ot: r.ot,
          n_p: p.rows,
          n_q: q.rows,
          dims: p.cols,
        },
        human: `Sinkhorn divergence: ${fmt(r.value)}  (ε = ${r.epsilon}, cost ${r.p === 2 ? '‖x−y‖²/2' : '‖x−y‖'}${r.converged ? '' : ', NOT converged'})`,
        warnings,
      };
    }
    case 'kl':
    case 'js': {
      const [p, q] = [readVector(pPath), readVector(qPath)];
      const smoothing = num('--smoothing', opts.smoothing, { min: 0 });
      const base = opts.base === '2' ? 2 : 'e';
      const r = (estimator === 'kl' ? histogramKl : histogramJs)(p, q, { base, smoothing, names });
      if (r.value === Infinity) throw inputError(qPath, `has empty bins where ${pPath} has mass, so KL is infinite; pass --smoothing EPS`);
      const units = base === 2 ? 'bits' : 'nats';
      const label = estimator === 'kl' ? 'KL(P‖Q)' : 'JS(P, Q)';
      return {
        value: r.value,
        params: { base: opts.base, units, smoothing, bins: p.length },
        human: `${label}: ${fmt(r.value)} ${units}${smoothing > 0 ? `  (smoothing ${smoothing})` : ''}`,
        warnings: [],
      };
    }
  }
}

export async function run(estimator: Estimator, pPath: string, qPath: string, opts: DivergenceCommandOptions): Promise<void> {
  refuseIgnored(opts.given, ESTIMATOR_OPTIONS[estimator], estimator);
  // The polynomial kernel (KID's) has no bandwidth.
  if (estimator === 'mmd' && opts.kernel === 'polynomial') refuseIgnored(opts.given, ['kernel'], 'mmd --kernel polynomial');
  const r = await estimate(estimator, pPath, qPath, opts);
  emit({ estimator, [METRIC.value]: r.value, ...r.params, inputs: [pPath, qPath].map(fileRecord) }, opts, r.human, r.warnings);
}
