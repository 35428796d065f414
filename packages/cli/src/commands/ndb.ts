/**
 * `gen-eval ndb REAL.npy FAKE.npy [--bins 100] [--seed S] [--alpha 0.05]` — number of
 * statistically different bins (Richardson & Weiss 2018) and the JS divergence of the bin histograms.
 */
import { GenEvalError } from '@gen-eval/metrics/errors';
import { METRIC, ndb, readFeatureMatrix } from '@gen-eval/metrics';
import { fileRecord } from '../read-inputs.js';
import { emit, parseNumberOption, type OutputOptions } from '../output.js';

export interface NdbCommandOptions extends OutputOptions {
  bins: number;
  seed: number;
  alpha: string;
}

export async function run(realPath: string, fakePath: string, opts: NdbCommandOptions): Promise<void> {
  let alpha: number;
  try {
    alpha = parseNumberOption('--alpha', { exclusiveMin: 0 })(opts.alpha);
  } catch (e) {
    throw new GenEvalError((e as Error).message, { code: 'usage', cause: e });
  }
  if (alpha >= 1) throw new GenEvalError(`--alpha must be below 1, got "${opts.alpha}"`, { code: 'usage' });
  const real = readFeatureMatrix(realPath, { minRows: 0 });
  const fake = readFeatureMatrix(fakePath, { minRows: 0 });
  const r = await ndb(real, fake, { bins: opts.bins, seed: opts.seed, alpha, names: [realPath, fakePath] });
  const warnings = r.kmeansConverged ? [] : [`k-means stopped after ${r.kmeansIterations} iterations before converging`];
  emit(
    {
      metric: 'ndb',
      [METRIC.ndb]: r.ndb,
      [METRIC.ndb_fraction]: r.ndbFraction,
      [METRIC.js]: r.js,
      bins: r.bins,
      alpha: r.alpha,
      seed: r.seed,
      n_real: real.rows,
      n_fake: fake.rows,
      dims: real.cols,
      kmeans_iterations: r.kmeansIterations,
      real_proportions: r.realProportions,
      fake_proportions: r.fakeProportions,
      z: r.z,
      p_values: r.pValues,
      inputs: [realPath, fakePath].map(fileRecord),
    },
    opts,
    `NDB: ${r.ndb} / ${r.bins} bins differ (NDB/K = ${r.ndbFraction.toFixed(3)}), JS = ${r.js.toPrecision(6)} nats  (α = ${r.alpha}, seed ${r.seed})`,
    warnings,
  );
}
