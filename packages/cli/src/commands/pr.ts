/**
 * `gen-eval pr REAL FAKE [--k 3]` — improved precision and recall (Kynkäänniemi et al. 2019).
 */
import { METRIC, precisionRecall } from '@gen-eval/metrics';
import { emit, type OutputOptions } from '../output.js';
import { readFeaturePair } from '../read-inputs.js';

export interface PrOptions extends OutputOptions {
  k: number;
}

export async function run(realPath: string, fakePath: string, opts: PrOptions): Promise<void> {
  const { k } = opts;
  const { real, fake, warnings, inputs } = await readFeaturePair(realPath, fakePath, opts, {
    metric: 'precision/recall',
    minRows: k + 1,
    why: `--k ${k} needs at least ${k + 1} samples (a sample is not its own neighbour)`,
  });
  const r = await precisionRecall(real, fake, { k });
  emit(
    {
      metric: 'pr',
      [METRIC.precision]: r.precision,
      [METRIC.recall]: r.recall,
      [METRIC.f_score]: r.fScore,
      k: r.k,
      n_real: real.rows,
      n_fake: fake.rows,
      dims: real.cols,
      inputs,
      convention: r.convention,
    },
    opts,
    `precision: ${r.precision.toFixed(6)}  recall: ${r.recall.toFixed(6)}  (k = ${k}, ${real.rows} real, ${fake.rows} generated)`,
    warnings,
  );
}
