/**
 * `gen-eval prdc REAL FAKE [--k 5]` — precision, recall, density, coverage (Naeem et al. 2020).
 */
import { METRIC, prdc } from '@gen-eval/metrics';
import { emit, type OutputOptions } from '../output.js';
import { readFeaturePair } from '../read-inputs.js';

export interface PrdcCommandOptions extends OutputOptions {
  k: number;
}

export async function run(realPath: string, fakePath: string, opts: PrdcCommandOptions): Promise<void> {
  const { k } = opts;
  const { real, fake, warnings, inputs } = await readFeaturePair(realPath, fakePath, opts, {
    metric: 'PRDC',
    minRows: k + 1,
    why: `--k ${k} needs at least ${k + 1} samples (a sample is not its own neighbour)`,
  });
  const r = await prdc(real, fake, { k });
  emit(
    {
      metric: 'prdc',
      [METRIC.precision]: r.precision,
      [METRIC.recall]: r.recall,
      [METRIC.density]: r.density,
      [METRIC.coverage]: r.coverage,
      k: r.k,
      n_real: real.rows,
      n_fake: fake.rows,
      dims: real.cols,
      inputs,
      convention: r.convention,
    },
    opts,
    `precision: ${r.precision.toFixed(6)}  recall: ${r.recall.toFixed(6)}  density: ${r.density.toFixed(6)}  coverage: ${r.coverage.toFixed(6)}  (k = ${k})`,
    warnings,
  );
}
